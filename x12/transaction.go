package x12

import (
	"bytes"
	"fmt"
)

// loop says which 835 loop the segment being read belongs to; REF, DTM,
// CAS, AMT and QTY mean different things in different loops.
type loop int

const (
	loopHeader       loop = iota // table 1 before any N1
	loopPayer                    // 1000A, N1*PR
	loopPayee                    // 1000B, N1*PE
	loopOtherParty               // an N1 loop we do not keep
	loopHeaderNumber             // 2000, LX
	loopClaim                    // 2100, CLP
	loopLine                     // 2110, SVC
	loopSummary                  // table 3, PLB
)

// txState is the transaction being read. The claim and line in progress
// are built in place in the Reader's runs, and so are their adjustments,
// references, amounts and remarks: within a claim, the claim's own CAS,
// REF and AMT segments all come before its first SVC, and each line's
// come before the next, so each list is one contiguous run. The rarer
// lists (QTY, MOA, MIA, LQ*RX) collect in scratch slices and are copied
// when the claim or line ends.
type txState struct {
	loop         loop
	segs         int // segments from ST, inclusive
	headerNumber string
	claim        *Claim       // the claim being read, nil outside one
	claimLists   bool         // the claim's runs are still open (no SVC yet)
	line         *ServiceLine // the line being read, nil outside one
	shifts       []pendingShift

	cQtys    []Quantity
	cMOA     []string
	cMIA     []string
	lQtys    []Quantity
	lRejects []string
}

// transaction reads one ST..SE transaction set; the ST is the current
// segment.
func (r *Reader) transaction() (*Remittance, error) {
	rem := &Remittance{Interchange: r.ic, Group: r.grp, Segment: r.seg}
	r.rem = rem
	defer func() { r.rem = nil }()
	r.resetTx()

	if id := r.elem(1); string(id) != "835" {
		return nil, r.errAt(1, "transaction set "+quote(id)+" is not an 835")
	}
	if len(r.field(2)) == 0 {
		return nil, r.errAt(2, "missing transaction set control number")
	}
	rem.ControlNumber = r.str(2)
	rem.ImplementationRef = r.str(3)
	if v := r.elem(3); len(v) > 0 && !bytes.HasPrefix(v, []byte("005010X221")) {
		r.warnAt(3, "implementation "+quote(v)+" is not 005010X221A1; read as 005010X221A1")
	}
	r.tx.segs = 1
	for {
		ok, err := r.readSegment()
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, &SyntaxError{Msg: fmt.Sprintf("unexpected end of input: transaction set %s has no SE", rem.ControlNumber)}
		}
		r.tx.segs++
		done, err := r.body(rem)
		if err != nil {
			return nil, err
		}
		if done {
			return rem, nil
		}
	}
}

func (r *Reader) resetTx() {
	t := &r.tx
	t.loop = loopHeader
	t.segs = 0
	t.headerNumber = ""
	t.claim = nil
	t.claimLists = false
	t.line = nil
	t.shifts = t.shifts[:0]
	t.cQtys, t.cMOA, t.cMIA = t.cQtys[:0], t.cMOA[:0], t.cMIA[:0]
	t.lQtys, t.lRejects = t.lQtys[:0], t.lRejects[:0]
	r.claims.drop()
	r.lineRun.drop()
	r.adjRun.drop()
	r.refRun.drop()
	r.amtRun.drop()
	r.remarkRun.drop()
	// Transactions in one file tend to be alike: room for as many claims
	// as the last one had spares the run its growth copies.
	r.claims.reserve(min(r.lastClaims+r.lastClaims/8, maxClaimHint))
}

// maxClaimHint bounds the claims reserved ahead of a transaction.
const maxClaimHint = 1 << 14

// body handles one segment inside a transaction. It reports true at SE.
func (r *Reader) body(rem *Remittance) (bool, error) {
	var err error
	switch string(r.elem(0)) {
	case "CLP":
		err = r.clp()
	case "CAS":
		err = r.cas()
	case "NM1":
		r.nm1()
	case "SVC":
		err = r.svc()
	case "DTM":
		err = r.dtm(rem)
	case "REF":
		r.ref(rem)
	case "AMT":
		err = r.amt()
	case "QTY":
		err = r.qty()
	case "LQ":
		r.lq()
	case "MOA":
		r.moa()
	case "MIA":
		r.mia()
	case "LX":
		err = r.lx()
	case "BPR":
		err = r.bpr(rem)
	case "TRN":
		r.trn(rem)
	case "N1":
		err = r.n1(rem)
	case "N3":
		r.n3(rem)
	case "N4":
		r.n4(rem)
	case "CUR":
		if c := r.elem(2); len(c) > 0 && string(c) != "USD" {
			r.warnAt(2, "amounts are in currency "+quote(c)+", not USD; read as written")
		}
	case "PLB":
		err = r.plb(rem)
	case "SE":
		return true, r.se(rem)
	case "ST", "GS", "GE", "IEA", "ISA":
		return false, r.errAt(0, fmt.Sprintf("%s before the SE of transaction set %s", r.elem(0), rem.ControlNumber))
	default:
		// TS3, TS2, PER, RDM, NTE and segments we do not know carry
		// nothing Reclaim uses; they are counted and skipped. Only their
		// IDs need checking: a known ID is a valid one.
		if err := r.checkID(); err != nil {
			return false, err
		}
	}
	return false, err
}

func (r *Reader) se(rem *Remittance) error {
	if err := r.commitClaim(); err != nil {
		return err
	}
	if err := r.checkCount(1, r.tx.segs, "segments from ST to SE"); err != nil {
		return err
	}
	if err := r.checkControl(2, rem.ControlNumber, "ST02"); err != nil {
		return err
	}
	rem.Claims = r.claims.done()
	r.lastClaims = len(rem.Claims)
	if rem.Payment.Segment == 0 {
		r.warnAt(0, "transaction set has no BPR (financial information)")
	}
	if rem.Payer.Segment == 0 {
		r.warnAt(0, "transaction set has no payer (N1*PR)")
	}
	if rem.Payee.Segment == 0 {
		r.warnAt(0, "transaction set has no payee (N1*PE)")
	}
	if rem.Payment.Segment != 0 {
		var paid, plb int64
		for i := range rem.Claims {
			paid += rem.Claims[i].PaidCents
		}
		for _, p := range rem.ProviderAdjustments {
			for _, it := range p.Items {
				plb += it.AmountCents
			}
		}
		if paid-plb != rem.Payment.TotalCents {
			r.addWarning(Warning{Segment: rem.Payment.Segment, ID: "BPR", Element: 2, Message: fmt.Sprintf(
				"total payment %s does not equal the claim payments %s less the provider adjustments %s",
				FormatAmount(rem.Payment.TotalCents), FormatAmount(paid), FormatAmount(plb))})
		}
	}
	return nil
}

func (r *Reader) bpr(rem *Remittance) error {
	if rem.Payment.Segment != 0 {
		r.warnAt(0, "second BPR in the transaction set; ignored")
		return nil
	}
	p := Payment{
		Segment:      r.seg,
		HandlingCode: r.str(1),
		CreditDebit:  r.str(3),
		Method:       r.str(4),
		Format:       r.str(5),
	}
	total, err := r.amount(2, true)
	if err != nil {
		return err
	}
	p.TotalCents = total
	switch d16, d15 := r.elem(16), r.elem(15); {
	case len(d16) > 0:
		if d, ok := parseDate(d16); ok {
			p.Date = d
		} else {
			r.warnAt(16, "invalid payment date "+quote(d16)+"; left unset")
		}
	case len(d15) > 0 && len(r.elem(14)) == 0:
		// The payment date one element early: BPR15 is an account
		// number only after an account qualifier in BPR14.
		if d, ok := parseDate(d15); ok {
			p.Date = d
			r.warnAt(15, "payment date found in BPR15 instead of BPR16; read as "+d.String())
		} else {
			r.warnAt(16, "missing payment date")
		}
	default:
		r.warnAt(16, "missing payment date")
	}
	rem.Payment = p
	return nil
}

func (r *Reader) trn(rem *Remittance) {
	if rem.Trace.Number != "" {
		r.warnAt(0, "second TRN in the transaction set; ignored")
		return
	}
	rem.Trace = Trace{TypeCode: r.str(1), Number: r.str(2), OriginatorID: r.str(3), OriginatorSupplemental: r.str(4)}
}

func (r *Reader) n1(rem *Remittance) error {
	switch r.tx.loop {
	case loopHeader, loopPayer, loopPayee, loopOtherParty:
	default:
		return r.errAt(0, "N1 after the first claim: party loops come before LX and CLP")
	}
	p := Party{Segment: r.seg, Name: r.str(2), IDQualifier: r.str(3), ID: r.str(4)}
	switch string(r.elem(1)) {
	case "PR":
		if rem.Payer.Segment != 0 {
			r.warnAt(1, "second payer (N1*PR); it replaces the first")
		}
		rem.Payer = p
		r.tx.loop = loopPayer
	case "PE":
		if rem.Payee.Segment != 0 {
			r.warnAt(1, "second payee (N1*PE); it replaces the first")
		}
		rem.Payee = p
		r.tx.loop = loopPayee
	default:
		r.tx.loop = loopOtherParty
	}
	return nil
}

// party returns the party whose loop is being read, or nil.
func (r *Reader) party(rem *Remittance) *Party {
	switch r.tx.loop {
	case loopPayer:
		return &rem.Payer
	case loopPayee:
		return &rem.Payee
	}
	return nil
}

func (r *Reader) n3(rem *Remittance) {
	if p := r.party(rem); p != nil {
		p.Address.Line1 = r.str(1)
		p.Address.Line2 = r.str(2)
	}
}

func (r *Reader) n4(rem *Remittance) {
	if p := r.party(rem); p != nil {
		p.Address.City = r.str(1)
		p.Address.State = r.str(2)
		p.Address.PostalCode = r.str(3)
		p.Address.Country = r.str(4)
	}
}

func (r *Reader) ref(rem *Remittance) {
	ref := Ref{Qualifier: r.str(1), Value: r.str(2)}
	switch r.tx.loop {
	case loopHeader:
		rem.Refs = append(rem.Refs, ref)
	case loopPayer, loopPayee:
		p := r.party(rem)
		p.Refs = append(p.Refs, ref)
	case loopClaim, loopLine:
		*r.refRun.next() = ref
	}
}

func (r *Reader) dtm(rem *Remittance) error {
	q := r.elem(1)
	var err error
	switch r.tx.loop {
	case loopClaim:
		err = r.claimDate(q)
	case loopLine:
		switch string(q) {
		case "472":
			r.tx.line.ServiceDate, err = r.date(2, true)
		case "150":
			r.tx.line.ServiceFrom, err = r.date(2, true)
		case "151":
			r.tx.line.ServiceTo, err = r.date(2, true)
		case "232", "233", "050", "036":
			r.warnAt(1, "claim date "+quote(q)+" after a service line; applied to the claim")
			err = r.claimDate(q)
		}
	default:
		if string(q) == "405" {
			rem.ProductionDate, err = r.date(2, false)
		}
	}
	return err
}

func (r *Reader) claimDate(q []byte) error {
	c := r.tx.claim
	var err error
	switch string(q) {
	case "232":
		c.StatementFrom, err = r.date(2, true)
	case "233":
		c.StatementTo, err = r.date(2, true)
	case "050":
		c.Received, err = r.date(2, false)
	case "036":
		c.CoverageExpiration, err = r.date(2, false)
	case "472", "150", "151":
		r.warnAt(1, "service date "+quote(q)+" before any service line (SVC); ignored")
	}
	return err
}

// date reads element i as CCYYMMDD. A strict date (statement and service
// dates, which decide deadlines and matching) must be valid; any other
// bad date is left unset with a warning.
func (r *Reader) date(i int, strict bool) (Date, error) {
	b := r.elem(i)
	if d, ok := parseDate(b); ok {
		return d, nil
	}
	msg := "invalid date " + quote(b)
	if len(b) == 0 {
		msg = "missing date"
	}
	if strict {
		return Date{}, r.errAt(i, msg)
	}
	r.warnAt(i, msg+"; left unset")
	return Date{}, nil
}

// amount reads element i as cents; an absent optional amount is 0.
func (r *Reader) amount(i int, required bool) (int64, error) {
	b := r.elem(i)
	if len(b) == 0 {
		if required {
			return 0, r.errAt(i, "missing amount")
		}
		return 0, nil
	}
	c, ok := parseCents(b)
	if !ok {
		return 0, r.errAt(i, amountMessage(b))
	}
	return c, nil
}

func (r *Reader) lx() error {
	if err := r.commitClaim(); err != nil {
		return err
	}
	r.tx.headerNumber = r.str(1)
	r.tx.loop = loopHeaderNumber
	return nil
}

// knownStatus lists the CLP02 codes of 005010X221A1.
func knownStatus(b []byte) bool {
	switch string(b) {
	case "1", "2", "3", "4", "19", "20", "21", "22", "23", "25":
		return true
	}
	return false
}

func (r *Reader) clp() error {
	if err := r.commitClaim(); err != nil {
		return err
	}
	if r.tx.loop == loopSummary {
		r.warnAt(0, "claim after the provider adjustments (PLB)")
	}
	c := r.claims.next()
	r.tx.claim = c
	r.tx.claimLists = true
	r.tx.loop = loopClaim
	c.Segment = r.seg
	if r.tx.headerNumber != "" {
		c.HeaderNumber = r.tx.headerNumber
	}
	if len(r.field(1)) == 0 {
		return r.errAt(1, "missing patient control number")
	}
	c.PatientControlNumber = r.str(1)
	st := r.field(2)
	if len(st) == 0 {
		return r.errAt(2, "missing claim status code")
	}
	if !knownStatus(st) {
		r.warnAt(2, "unknown claim status code "+quote(st)+"; kept as read")
	}
	c.Status = r.str(2)
	var err error
	if c.ChargeCents, err = r.amount(3, true); err != nil {
		return err
	}
	if c.PaidCents, err = r.amount(4, true); err != nil {
		return err
	}
	if c.PatientResponsibilityCents, err = r.amount(5, false); err != nil {
		return err
	}
	r.set(&c.FilingIndicator, 6)
	r.set(&c.PayerClaimNumber, 7)
	r.set(&c.FacilityCode, 8)
	r.set(&c.FrequencyCode, 9)
	return nil
}

func (r *Reader) cas() error {
	switch r.tx.loop {
	case loopClaim, loopLine:
	default:
		return r.errAt(0, "CAS outside a claim or service line")
	}
	g := r.field(1)
	if len(g) == 0 {
		return r.errAt(1, "missing adjustment group code")
	}
	switch string(g) {
	case "CO", "PR", "OA", "PI", "CR":
	default:
		r.warnAt(1, "unknown adjustment group code "+quote(g)+"; kept as read")
	}
	group := r.str(1)
	n := 0
	for base := 2; base < r.elems(); base += 3 {
		reason, amt, qty := r.field(base), r.elem(base+1), r.elem(base+2)
		if len(reason) == 0 && len(amt) == 0 && len(qty) == 0 {
			continue
		}
		if len(reason) == 0 {
			return r.errAt(base, "adjustment without a reason code")
		}
		if len(amt) == 0 {
			return r.errAt(base+1, "missing adjustment amount for reason "+quote(reason))
		}
		cents, ok := parseCents(amt)
		if !ok {
			return r.errAt(base+1, amountMessage(amt))
		}
		if len(qty) > 0 && !isDecimal(qty) {
			return r.errAt(base+2, "invalid quantity "+quote(qty))
		}
		a := r.adjRun.next()
		a.Group = group
		a.Reason = r.str(base)
		a.AmountCents = cents
		if len(qty) > 0 {
			a.Quantity = r.str(base + 2)
		}
		n++
	}
	switch {
	case n == 0:
		r.warnAt(0, "CAS without adjustments; ignored")
	case n > 6:
		r.warnAt(0, fmt.Sprintf("CAS with %d adjustments, more than the 6 allowed; all kept", n))
	}
	return nil
}

// claimForSegment returns the claim a 2100-only segment belongs to,
// warning when it comes after a service line; nil outside a claim.
func (r *Reader) claimForSegment() *Claim {
	switch r.tx.loop {
	case loopClaim:
	case loopLine:
		r.warnAt(0, "claim segment after a service line; applied to the claim")
	default:
		r.warnAt(0, "segment outside a claim; ignored")
		return nil
	}
	return r.tx.claim
}

func (r *Reader) nm1() {
	c := r.claimForSegment()
	if c == nil {
		return
	}
	var e *Entity
	switch string(r.elem(1)) {
	case "QC":
		c.Patient = Entity{}
		e = &c.Patient
	case "IL":
		e = r.entity(&c.Insured)
	case "74":
		e = r.entity(&c.CorrectedInsured)
	case "82":
		e = r.entity(&c.RenderingProvider)
	case "TT":
		e = r.entity(&c.CrossoverCarrier)
	case "PR":
		e = r.entity(&c.CorrectedPayer)
	case "GB":
		e = r.entity(&c.OtherSubscriber)
	default:
		r.warnAt(1, "unknown entity code "+quote(r.elem(1))+"; ignored")
		return
	}
	e.Segment = r.seg
	r.set(&e.EntityCode, 1)
	r.set(&e.Type, 2)
	r.set(&e.Last, 3)
	r.set(&e.First, 4)
	r.set(&e.Middle, 5)
	r.set(&e.Suffix, 7)
	r.set(&e.IDQualifier, 8)
	r.set(&e.ID, 9)
}

// entity points *dst at a new Entity in slab memory and returns it.
func (r *Reader) entity(dst **Entity) *Entity {
	e := r.ents.alloc()
	*dst = e
	return e
}

// set stores element i in *dst when it is not empty. Fields of fresh
// values are already empty, and skipping the store spares the garbage
// collector a write barrier.
func (r *Reader) set(dst *string, i int) {
	if b := r.elem(i); len(b) > 0 {
		*dst = r.strs.trimmed(b)
	}
}

func (r *Reader) moa() {
	c := r.claimForSegment()
	if c == nil {
		return
	}
	for i := 3; i <= 7; i++ {
		if b := r.elem(i); len(b) > 0 {
			r.tx.cMOA = append(r.tx.cMOA, r.str(i))
		}
	}
}

func (r *Reader) mia() {
	c := r.claimForSegment()
	if c == nil {
		return
	}
	for _, i := range [...]int{5, 20, 21, 22, 23, 24} {
		if b := r.elem(i); len(b) > 0 {
			r.tx.cMIA = append(r.tx.cMIA, r.str(i))
		}
	}
}

func (r *Reader) amt() error {
	switch r.tx.loop {
	case loopClaim, loopLine:
	default:
		r.warnAt(0, "AMT outside a claim or service line; ignored")
		return nil
	}
	cents, err := r.amount(2, true)
	if err != nil {
		return err
	}
	a := r.amtRun.next()
	a.Qualifier = r.str(1)
	a.Cents = cents
	return nil
}

func (r *Reader) qty() error {
	var dst *[]Quantity
	switch r.tx.loop {
	case loopClaim:
		dst = &r.tx.cQtys
	case loopLine:
		dst = &r.tx.lQtys
	default:
		r.warnAt(0, "QTY outside a claim or service line; ignored")
		return nil
	}
	if b := r.elem(2); !isDecimal(b) {
		return r.errAt(2, "invalid quantity "+quote(b))
	}
	*dst = append(*dst, Quantity{Qualifier: r.str(1), Value: r.str(2)})
	return nil
}

func (r *Reader) lq() {
	if r.tx.loop != loopLine {
		r.warnAt(0, "LQ outside a service line; ignored")
		return
	}
	switch string(r.elem(1)) {
	case "HE":
		*r.remarkRun.next() = r.str(2)
	case "RX":
		r.tx.lRejects = append(r.tx.lRejects, r.str(2))
	default:
		r.warnAt(1, "unknown remark qualifier "+quote(r.elem(1))+"; ignored")
	}
}

func (r *Reader) plb(rem *Remittance) error {
	if err := r.commitClaim(); err != nil {
		return err
	}
	r.tx.loop = loopSummary
	if len(r.field(1)) == 0 {
		return r.errAt(1, "missing provider identifier")
	}
	p := ProviderAdjustment{Segment: r.seg, ProviderID: r.str(1)}
	var err error
	if p.FiscalPeriod, err = r.date(2, false); err != nil {
		return err
	}
	for base := 3; base < r.elems(); base += 2 {
		comp, amt := r.elem(base), r.elem(base+1)
		if len(comp) == 0 && len(amt) == 0 {
			continue
		}
		if len(comp) == 0 {
			return r.errAt(base, "provider adjustment without a reason code")
		}
		cents, err := r.amount(base+1, true)
		if err != nil {
			return err
		}
		reason, ref := r.plbReason(base, comp)
		if reason == "" {
			return r.errAt(base, "provider adjustment without a reason code")
		}
		p.Items = append(p.Items, ProviderAdjustmentItem{Reason: reason, Reference: ref, AmountCents: cents})
	}
	if len(p.Items) == 0 {
		r.warnAt(0, "PLB without adjustments; ignored")
		return nil
	}
	if len(p.Items) > 6 {
		r.warnAt(0, fmt.Sprintf("PLB with %d adjustments, more than the 6 allowed; all kept", len(p.Items)))
	}
	rem.ProviderAdjustments = append(rem.ProviderAdjustments, p)
	return nil
}

// plbReason splits a PLB reason composite (WO:ICN). A composite written
// with ':' or '>' instead of the declared separator is accepted with a
// warning when it splits off a two-character reason code.
func (r *Reader) plbReason(elem int, b []byte) (reason, ref string) {
	sep := r.d.Component
	i := bytes.IndexByte(b, sep)
	if i < 0 {
		for _, alt := range altComponentSeparators {
			if alt == sep {
				continue
			}
			if j := bytes.IndexByte(b, alt); j == 2 && isAlnum(b[0]) && isAlnum(b[1]) {
				r.warnAt(elem, fmt.Sprintf("composite %s uses %q but ISA16 declares %q; read as reason %s", quote(b), alt, sep, b[:j]))
				i = j
				break
			}
		}
	}
	if i < 0 {
		return r.strs.str(b), ""
	}
	rest := b[i+1:]
	if k := bytes.IndexByte(rest, b[i]); k >= 0 {
		rest = rest[:k]
	}
	return r.strs.str(b[:i]), r.strs.str(rest)
}

// closeClaimLists ends the claim's runs of adjustments, references and
// amounts; it is called at the claim's first SVC, or when the claim ends.
func (r *Reader) closeClaimLists() {
	t := &r.tx
	if !t.claimLists {
		return
	}
	c := t.claim
	c.Adjustments = r.adjRun.done()
	c.Refs = r.refRun.done()
	c.Amounts = r.amtRun.done()
	t.claimLists = false
}

// commitLine finishes the service line being read, if any.
func (r *Reader) commitLine() {
	l := r.tx.line
	if l == nil {
		return
	}
	t := &r.tx
	l.Adjustments = r.adjRun.done()
	l.Refs = r.refRun.done()
	l.Amounts = r.amtRun.done()
	l.Remarks = r.remarkRun.done()
	l.Quantities = r.qtys.copy(t.lQtys)
	l.RejectCodes = r.codes.copy(t.lRejects)
	t.lQtys, t.lRejects = t.lQtys[:0], t.lRejects[:0]
	t.line = nil
}

// commitClaim finishes the claim being read, if any: it settles pending
// SVC repairs, checks balancing and ends the claim's run of lines.
func (r *Reader) commitClaim() error {
	r.commitLine()
	r.closeClaimLists()
	c := r.tx.claim
	if c == nil {
		return nil
	}
	t := &r.tx
	lines := r.lineRun.current()
	for i := range t.shifts {
		if err := r.settleShift(c, lines, &t.shifts[i]); err != nil {
			return err
		}
	}
	t.shifts = t.shifts[:0]
	c.Quantities = r.qtys.copy(t.cQtys)
	c.MOARemarks = r.codes.copy(t.cMOA)
	c.MIARemarks = r.codes.copy(t.cMIA)
	c.Lines = r.lineRun.done()
	t.cQtys, t.cMOA, t.cMIA = t.cQtys[:0], t.cMOA[:0], t.cMIA[:0]
	t.claim = nil
	if c.Patient.Segment == 0 {
		r.addWarning(Warning{Segment: c.Segment, ID: "CLP", Message: "claim has no patient (NM1*QC)"})
	}
	r.checkBalance(c, c.Lines)
	return nil
}

// checkBalance warns when a line's or the claim's charge less payment is
// not the sum of its adjustments, as 005010X221A1 requires.
func (r *Reader) checkBalance(c *Claim, lines []ServiceLine) {
	var lineAdj int64
	for i := range lines {
		l := &lines[i]
		s := sumAdjustments(l.Adjustments)
		lineAdj += s
		if l.ChargeCents-l.PaidCents != s {
			r.addWarning(Warning{Segment: l.Segment, ID: "SVC", Message: fmt.Sprintf(
				"service line does not balance: charge %s less paid %s is %s, but its adjustments total %s",
				FormatAmount(l.ChargeCents), FormatAmount(l.PaidCents), FormatAmount(l.ChargeCents-l.PaidCents), FormatAmount(s))})
		}
	}
	total := sumAdjustments(c.Adjustments) + lineAdj
	if c.ChargeCents-c.PaidCents != total {
		r.addWarning(Warning{Segment: c.Segment, ID: "CLP", Message: fmt.Sprintf(
			"claim does not balance: charge %s less paid %s is %s, but claim and line adjustments total %s",
			FormatAmount(c.ChargeCents), FormatAmount(c.PaidCents), FormatAmount(c.ChargeCents-c.PaidCents), FormatAmount(total))})
	}
}

func sumAdjustments(adjs []Adjustment) int64 {
	var s int64
	for _, a := range adjs {
		s += a.AmountCents
	}
	return s
}
