package x12

import (
	"bytes"
	"fmt"
	"strings"
)

// altComponentSeparators are the component separators files use when they
// ignore the one ISA16 declares.
var altComponentSeparators = [...]byte{':', '>'}

// knownQualifier reports whether b is a product/service ID qualifier of
// SVC01-1 in 005010X221A1.
func knownQualifier(b []byte) bool {
	switch string(b) {
	case "HC", "AD", "ER", "HP", "IV", "N4", "NU", "WK":
		return true
	}
	return false
}

// pendingShift is an SVC whose SVC01 is a qualifier with no code. Which
// reading is right can only be decided when the claim is complete (the
// line's CAS and the claim's line count are known), so both are kept.
type pendingShift struct {
	line         int // index of the line in the claim
	seg          int
	svc01        string
	codeText     string // SVC02 as written
	code         string // procedure code SVC02 gives when shifted
	mods         []string
	asRead       ServiceLine // SVC02–SVC07 as written (amounts, units, SVC06)
	asReadErr    *SyntaxError
	asReadWarns  []Warning
	canShift     bool
	shifted      ServiceLine // the same read one element further on
	shiftedWarns []Warning
}

func (r *Reader) svc() error {
	switch r.tx.loop {
	case loopClaim, loopLine:
	default:
		return r.errAt(0, "SVC outside a claim (no CLP)")
	}
	r.commitLine()
	r.closeClaimLists()
	l := r.lineRun.next()
	r.tx.line = l
	r.tx.loop = loopLine
	l.Segment = r.seg
	b := r.field(1)
	if len(b) == 0 {
		return r.errAt(1, "missing procedure (SVC01)")
	}
	r.pwarns = r.pwarns[:0]
	qualifierOnly := r.procedure(1, b, &r.pwarns, &l.Procedure)
	r.flush(r.pwarns)
	if !qualifierOnly {
		r.pwarns = r.pwarns[:0]
		if err := r.readSVC(0, &r.pwarns, l); err != nil {
			return err
		}
		r.flush(r.pwarns)
		return nil
	}

	// SVC*HC*24599.00*...: a qualifier and no code. Perhaps the code was
	// written with the element separator; keep both readings.
	ps := pendingShift{line: len(r.lineRun.current()) - 1, seg: r.seg, svc01: string(b)}
	ps.asReadErr = r.readSVC(0, &ps.asReadWarns, &ps.asRead)
	if text := r.elem(2); len(text) > 0 {
		if code, mods, ok := r.shiftedCode(text); ok {
			if err := r.readSVC(1, &ps.shiftedWarns, &ps.shifted); err == nil {
				ps.canShift = true
				ps.code = code
				ps.mods = mods
				ps.codeText = string(text)
			}
		}
	}
	if ps.asReadErr != nil && !ps.canShift {
		return ps.asReadErr
	}
	if ps.asReadErr == nil {
		l.apply(&ps.asRead)
	} else {
		l.apply(&ps.shifted) // provisional; settleShift decides
	}
	r.tx.shifts = append(r.tx.shifts, ps)
	return nil
}

// apply sets the fields a reading of SVC02–SVC07 gives.
func (l *ServiceLine) apply(v *ServiceLine) {
	l.ChargeCents = v.ChargeCents
	l.PaidCents = v.PaidCents
	l.RevenueCode = v.RevenueCode
	l.Units = v.Units
	l.OriginalProcedure = v.OriginalProcedure
	l.OriginalUnits = v.OriginalUnits
}

// flush records warnings collected for a reading that was chosen.
func (r *Reader) flush(ws []Warning) {
	for _, w := range ws {
		r.addWarning(w)
	}
}

// readSVC reads SVC02–SVC07, each shifted right by off elements, into the
// line l. Empty values are not stored: l's fields are empty already, and
// a store of a pointer costs a write barrier while the collector runs.
func (r *Reader) readSVC(off int, warns *[]Warning, l *ServiceLine) *SyntaxError {
	var ok bool
	for i, dst := range [...]*int64{&l.ChargeCents, &l.PaidCents} {
		e := 2 + off + i
		b := r.elem(e)
		if len(b) == 0 {
			return r.errAt(e, "missing amount")
		}
		if *dst, ok = parseCents(b); !ok {
			return r.errAt(e, amountMessage(b))
		}
	}
	r.set(&l.RevenueCode, 4+off)
	if u := r.elem(5 + off); len(u) == 0 {
		l.Units = "1" // 005010X221A1: an absent SVC05 means one unit
	} else if !isDecimal(u) {
		return r.errAt(5+off, "invalid units "+quote(u))
	} else {
		l.Units = r.strs.str(u)
	}
	if b := r.elem(6 + off); len(b) > 0 {
		orig := new(Procedure)
		if r.procedure(6+off, b, warns, orig) {
			*warns = append(*warns, r.warning(6+off, "composite "+quote(b)+" is a qualifier with no procedure code"))
		}
		l.OriginalProcedure = orig
	}
	if u := r.elem(7 + off); len(u) > 0 {
		if !isDecimal(u) {
			return r.errAt(7+off, "invalid units "+quote(u))
		}
		l.OriginalUnits = r.strs.str(u)
	}
	return nil
}

// procedure reads a procedure composite (SVC01, SVC06) into p, which is
// empty. It reports qualifierOnly when the element is a bare qualifier
// such as "HC".
func (r *Reader) procedure(elem int, b []byte, warns *[]Warning, p *Procedure) (qualifierOnly bool) {
	sep := r.d.Component
	if bytes.IndexByte(b, sep) < 0 {
		for _, alt := range altComponentSeparators {
			if alt == sep {
				continue
			}
			if i := bytes.IndexByte(b, alt); i > 0 && knownQualifier(b[:i]) {
				*warns = append(*warns, r.warning(elem, fmt.Sprintf(
					"composite %s uses %q as component separator but ISA16 declares %q; read as %s",
					quote(b), alt, sep, strings.ReplaceAll(string(b), string(alt), ":"))))
				sep = alt
				break
			}
		}
	}
	// At most 8 components mean something; more are counted, not kept.
	var parts [8][]byte
	n, rest := 0, b
	for {
		i := bytes.IndexByte(rest, sep)
		if i < 0 {
			if n < len(parts) {
				parts[n] = rest
			}
			n++
			break
		}
		if n < len(parts) {
			parts[n] = rest[:i]
		}
		n++
		rest = rest[i+1:]
	}
	comps := parts[:min(n, len(parts))]
	if len(comps) == 1 {
		if knownQualifier(b) {
			p.Qualifier = r.strs.str(b)
			return true
		}
		*warns = append(*warns, r.warning(elem, "composite "+quote(b)+" has no qualifier; read as the procedure code"))
		p.Code = r.strs.str(b)
		return false
	}
	p.Qualifier = r.strs.str(comps[0])
	p.Code = r.strs.str(comps[1])
	if p.Code == "" {
		*warns = append(*warns, r.warning(elem, "composite "+quote(b)+" has no procedure code; left empty"))
	}
	var mods [4]string
	k := 0
	for i := 2; i < 6 && i < len(comps); i++ {
		if len(comps[i]) > 0 {
			mods[k] = r.strs.str(comps[i])
			k++
		}
	}
	if k > 0 {
		p.Modifiers = r.codes.copy(mods[:k])
	}
	if len(comps) > 6 && len(comps[6]) > 0 {
		p.Description = r.strs.str(comps[6])
	}
	if n > len(parts) {
		*warns = append(*warns, r.warning(elem, fmt.Sprintf("composite has %d components; those after the 8th ignored", n)))
	}
	return false
}

// warning builds a warning at element elem of the current segment.
func (r *Reader) warning(elem int, msg string) Warning {
	return Warning{Segment: r.seg, ID: r.id(), Element: elem, Message: msg}
}

// shiftedCode reads SVC02 as a procedure code that was split off SVC01:
// letters and digits, optionally with modifiers after the component
// separator. A code written as a number with a zero fraction ("24599.00")
// loses the fraction; the warning that applies the shift says so.
func (r *Reader) shiftedCode(text []byte) (code string, mods []string, ok bool) {
	parts := bytes.Split(text, []byte{r.d.Component})
	c := parts[0]
	if i := bytes.IndexByte(c, '.'); i > 0 && i < len(c)-1 && len(bytes.Trim(c[i+1:], "0")) == 0 {
		c = c[:i]
	}
	if len(c) == 0 || len(c) > 48 {
		return "", nil, false
	}
	for _, ch := range c {
		if !isAlnum(ch) {
			return "", nil, false
		}
	}
	if len(parts) > 5 {
		return "", nil, false
	}
	for _, m := range parts[1:] {
		if len(m) > 0 {
			mods = append(mods, string(m))
		}
	}
	return string(c), mods, true
}

// settleShift decides a pending SVC: the shifted reading is taken only when
// it balances (against the line's adjustments, or against CLP03/CLP04 for
// a single-line claim) and the reading as written does not.
func (r *Reader) settleShift(c *Claim, lines []ServiceLine, ps *pendingShift) error {
	if ps.line >= len(lines) {
		return nil
	}
	l := &lines[ps.line]
	adj := sumAdjustments(l.Adjustments)
	single := len(lines) == 1
	why := func(v *ServiceLine) string {
		var reasons []string
		if v.ChargeCents-v.PaidCents == adj {
			reasons = append(reasons, "balances against the line adjustments ("+FormatAmount(adj)+")")
		}
		if single && v.ChargeCents == c.ChargeCents && v.PaidCents == c.PaidCents {
			reasons = append(reasons, "matches CLP03/CLP04 of this single-line claim")
		}
		return strings.Join(reasons, " and ")
	}
	asReadWhy := ""
	if ps.asReadErr == nil {
		asReadWhy = why(&ps.asRead)
	}
	shiftedWhy := ""
	if ps.canShift {
		shiftedWhy = why(&ps.shifted)
	}
	at := Warning{Segment: ps.seg, ID: "SVC", Element: 1}
	switch {
	case shiftedWhy != "" && asReadWhy == "":
		l.apply(&ps.shifted)
		l.Procedure.Code = ps.code
		l.Procedure.Modifiers = ps.mods
		r.flush(ps.shiftedWarns)
		at.Message = fmt.Sprintf("SVC01 %q is a qualifier with no procedure code; assumed the code was written as a separate element and read every element shifted left by one: procedure %s from SVC02 %q, charge %s, paid %s, units %s, because that reading %s and the reading as written (charge %s, paid %s) does not",
			ps.svc01, l.Procedure.String(), ps.codeText, FormatAmount(l.ChargeCents), FormatAmount(l.PaidCents), l.Units, shiftedWhy,
			r.asWritten(ps, 0), r.asWritten(ps, 1))
	case ps.asReadErr != nil:
		return ps.asReadErr
	default:
		r.flush(ps.asReadWarns)
		msg := fmt.Sprintf("SVC01 %q is a qualifier with no procedure code; procedure code left empty", ps.svc01)
		switch {
		case shiftedWhy != "":
			msg += "; reading SVC02 as the code would also balance, but so does the reading as written"
		case ps.canShift:
			msg += "; reading SVC02 as the code does not balance either"
		}
		at.Message = msg
	}
	r.addWarning(at)
	return nil
}

// asWritten formats the as-written charge (i=0) or paid (i=1) of a pending
// shift, or "unreadable".
func (r *Reader) asWritten(ps *pendingShift, i int) string {
	if ps.asReadErr != nil {
		return "unreadable"
	}
	if i == 0 {
		return FormatAmount(ps.asRead.ChargeCents)
	}
	return FormatAmount(ps.asRead.PaidCents)
}
