package x12

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

const (
	// bufferSize is the read buffer of a Reader: large enough that nearly
	// every segment is read in place, with no copy.
	bufferSize = 256 << 10
	// maxSegmentLen bounds one segment so that garbage without terminators
	// cannot make the Reader hold the whole input.
	maxSegmentLen = 1 << 20
	// isaPeek is how far the Reader looks ahead to find the end of ISA; a
	// fixed-width ISA is 106 bytes, padded variants are a little longer.
	isaPeek = 512
)

// Reader reads 835 remittances from a stream, one transaction set (ST to
// SE) per call of Next. It holds at most one segment of input beyond its
// read buffer, so files of any size stream through in constant memory
// (plus the results the caller keeps).
//
// A Reader is not safe for concurrent use.
type Reader struct {
	src source

	d       Delimiters
	seg     int     // ordinal of the current segment
	lineOff int     // offset in src.buf of the current segment
	ends    []int32 // -1, then the end offset of each element from lineOff (element 0 is the ID)
	nends   int     // entries of ends in use
	started bool    // the first ISA has been looked for (BOM handled)

	inISA    bool
	ic       *Interchange
	icGroups int
	grp      *Group
	grpTx    int

	err      error
	warnings []Warning
	rem      *Remittance // the transaction being read, if any

	tx         txState
	strs       arena
	claims     run[Claim]
	lineRun    run[ServiceLine]
	adjRun     run[Adjustment]
	refRun     run[Ref]
	amtRun     run[Amount]
	remarkRun  run[string]
	qtys       slab[Quantity]
	codes      slab[string]
	ents       slab[Entity]
	lastClaims int       // claims in the last transaction, a size hint
	pwarns     []Warning // warnings of a reading not yet chosen
}

// NewReader returns a Reader that reads 835 data from r, through a
// 256 KiB buffer of its own (so r need not be buffered).
func NewReader(r io.Reader) *Reader {
	return &Reader{src: source{rd: r, buf: make([]byte, bufferSize)}, ends: make([]int32, 0, 32)}
}

// Parse reads every remittance in data. It returns all of them and every
// warning, or, when the input is malformed, no remittances, the warnings
// seen before the error, and the error (a *SyntaxError for bad input), so
// that a caller never stores half a file.
func Parse(data []byte) ([]*Remittance, []Warning, error) {
	// The Reader scans data in place; it never writes to it.
	r := &Reader{src: source{buf: data, w: len(data), eof: true}, ends: make([]int32, 0, 32)}
	var out []*Remittance
	for {
		rem, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out, r.Warnings(), nil
		}
		if err != nil {
			return nil, r.Warnings(), err
		}
		out = append(out, rem)
	}
}

// Next returns the next remittance (835 transaction set) in the input, or
// io.EOF after the last interchange. Each remittance is checked when its
// SE is read (segment count, control number, balancing); the enclosing GE
// and IEA are checked when the Reader reaches them, so a caller that must
// refuse a whole file for a bad trailer reads to io.EOF before storing
// anything (Parse does this).
//
// After an error other than io.EOF, Next returns the same error forever.
func (r *Reader) Next() (*Remittance, error) {
	if r.err != nil {
		return nil, r.err
	}
	rem, err := r.next()
	if err != nil {
		r.err = err
		return nil, err
	}
	return rem, nil
}

// Warnings returns every warning so far, in the order they were found:
// those inside transactions (also on each Remittance) and those on
// envelopes. Warnings about a claim as a whole (balancing, a repaired
// SVC) are found when the claim ends, after those of its segments. The
// caller must not modify the slice.
func (r *Reader) Warnings() []Warning { return r.warnings }

// Delimiters returns the separators of the interchange being read (zero
// before the first ISA).
func (r *Reader) Delimiters() Delimiters { return r.d }

func (r *Reader) next() (*Remittance, error) {
	for {
		if !r.inISA {
			ok, err := r.readISA()
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, io.EOF
			}
			continue
		}
		ok, err := r.readSegment()
		if err != nil {
			return nil, err
		}
		if !ok {
			if r.grp != nil {
				return nil, &SyntaxError{Msg: fmt.Sprintf("unexpected end of input: functional group %s has no GE", r.grp.ControlNumber)}
			}
			return nil, &SyntaxError{Msg: fmt.Sprintf("unexpected end of input: interchange %s has no IEA", r.ic.ControlNumber)}
		}
		switch string(r.elem(0)) {
		case "GS":
			if err := r.gs(); err != nil {
				return nil, err
			}
		case "ST":
			if r.grp == nil {
				return nil, r.errAt(0, "ST outside a functional group (no GS)")
			}
			r.grpTx++
			return r.transaction()
		case "GE":
			if err := r.ge(); err != nil {
				return nil, err
			}
		case "IEA":
			if err := r.iea(); err != nil {
				return nil, err
			}
		case "ISA":
			return nil, r.errAt(0, fmt.Sprintf("ISA before the IEA of interchange %s", r.ic.ControlNumber))
		default:
			if err := r.checkID(); err != nil {
				return nil, err
			}
			if isTransactionSegment(r.elem(0)) {
				return nil, r.errAt(0, "segment outside a transaction set (no ST)")
			}
			// Anything else outside a transaction (TA1, a private
			// segment) carries nothing for us and is skipped.
		}
	}
}

// readSegment reads the next non-empty segment into r.lineOff and r.ends. It
// returns false at the end of the input.
func (r *Reader) readSegment() (bool, error) {
	s := &r.src
	for {
		// Skip the line breaks and blanks between segments.
		for {
			for s.r < s.w && isSpace(s.buf[s.r]) {
				s.r++
			}
			if s.r < s.w || !s.fill() {
				break
			}
		}
		if s.r == s.w {
			if s.err != nil {
				return false, fmt.Errorf("x12: error reading segment %d: %w", r.seg+1, s.err)
			}
			return false, nil
		}
		// Find the terminator and the element separators in one pass,
		// reading more when the buffer ends first. Offsets are relative to
		// the segment's start, which a refill may move.
		ends := r.ends[:cap(r.ends)]
		ends[0] = -1
		nends := 1
		scanned := 0
		terminated := true
		var end int
		for {
			var t int
			t, ends, nends = scanSegment(s.buf[s.r+scanned:s.w], r.d.Element, r.d.Segment, scanned, ends, nends)
			if t >= 0 {
				end = s.r + scanned + t
			} else {
				scanned = s.w - s.r
			}
			if max(end-s.r, scanned) > maxSegmentLen {
				return false, &SyntaxError{Segment: r.seg + 1, Msg: fmt.Sprintf("segment longer than %d bytes (is the segment terminator %q right?)", maxSegmentLen, r.d.Segment)}
			}
			if t >= 0 {
				break
			}
			if !s.fill() {
				if s.err != nil {
					return false, fmt.Errorf("x12: error reading segment %d: %w", r.seg+1, s.err)
				}
				terminated = false
				end = s.w
				break
			}
		}
		start := s.r
		s.r = end
		if terminated {
			s.r++
		}
		// Some files put a carriage return before the terminator.
		for end > start && (s.buf[end-1] == '\r' || s.buf[end-1] == '\n') {
			end--
		}
		if end == start {
			continue // two terminators in a row
		}
		if nends == len(ends) {
			ends = grow(ends)
		}
		ends[nends] = int32(end - start)
		if cap(ends) != cap(r.ends) {
			r.ends = ends // grown: store the slice only then, it is a pointer
		}
		r.seg++
		r.lineOff, r.nends = start, nends+1
		if !terminated {
			r.warnAt(0, "last segment has no segment terminator")
		}
		return true, nil
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

// splitISA cuts the ISA segment into elements. Elements are kept as
// offsets, not slices: storing integers costs the garbage collector
// nothing, and segments are split this way everywhere (see scanSegment).
func (r *Reader) splitISA(off, n int) error {
	r.lineOff = off
	r.ends = r.ends[:cap(r.ends)]
	r.ends[0] = -1
	k := 1
	for i, c := range r.src.buf[off : off+n] {
		if c == r.d.Element {
			if k == len(r.ends) {
				r.ends = grow(r.ends)
			}
			r.ends[k] = int32(i)
			k++
		}
	}
	if k == len(r.ends) {
		r.ends = grow(r.ends)
	}
	r.ends[k] = int32(n)
	r.nends = k + 1
	return r.checkID()
}

// checkID checks the current segment's ID: two or three capital letters
// or digits.
func (r *Reader) checkID() error {
	id := r.elem(0)
	if len(id) < 2 || len(id) > 3 {
		return &SyntaxError{Segment: r.seg, Msg: "invalid segment ID " + quote(id)}
	}
	for _, c := range id {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return &SyntaxError{Segment: r.seg, Msg: "invalid segment ID " + quote(id)}
		}
	}
	return nil
}

// readISA looks for the next interchange, learns its delimiters and reads
// its ISA segment. It returns false at the clean end of the input.
func (r *Reader) readISA() (bool, error) {
	s := &r.src
	if !r.started {
		r.started = true
		if s.ensure(3) && string(s.buf[s.r:s.r+3]) == "\xef\xbb\xbf" {
			s.r += 3
		}
	}
	// Skip whitespace, and the NUL or SUB padding some systems leave
	// between or after interchanges.
	for {
		for s.r < s.w && (isSpace(s.buf[s.r]) || s.buf[s.r] == 0 || s.buf[s.r] == 0x1a) {
			s.r++
		}
		if s.r < s.w || !s.fill() {
			break
		}
	}
	if s.r == s.w {
		switch {
		case s.err != nil:
			return false, fmt.Errorf("x12: error reading interchange header: %w", s.err)
		case r.seg == 0:
			return false, &SyntaxError{Msg: "empty input: no ISA segment"}
		}
		return false, nil
	}
	if !s.ensure(isaPeek) && s.err != nil {
		return false, fmt.Errorf("x12: error reading interchange header: %w", s.err)
	}
	head := s.buf[s.r:min(s.w, s.r+isaPeek)]
	r.seg++
	if len(head) < 4 || !bytes.HasPrefix(head, []byte("ISA")) {
		n := min(len(head), 3)
		return false, &SyntaxError{Segment: r.seg, Msg: "expected an ISA segment, found " + quote(head[:n])}
	}
	sep := head[3]
	if !validDelimiter(sep) {
		return false, &SyntaxError{Segment: r.seg, ID: "ISA", Msg: fmt.Sprintf("invalid element separator %q", sep)}
	}
	// ISA16 follows the 16th element separator; the terminator follows it.
	k, seps := 3, 1
	for seps < 16 {
		i := bytes.IndexByte(head[k+1:], sep)
		if i < 0 {
			return false, &SyntaxError{Segment: r.seg, ID: "ISA", Msg: fmt.Sprintf("truncated ISA: %d of 16 elements", seps)}
		}
		k += i + 1
		seps++
	}
	if k+2 >= len(head) {
		return false, &SyntaxError{Segment: r.seg, ID: "ISA", Element: 16, Msg: "ISA has no component separator and segment terminator"}
	}
	comp, term := head[k+1], head[k+2]
	d := Delimiters{Element: sep, Component: comp, Segment: term}
	if err := r.checkDelimiters(d); err != nil {
		return false, err
	}
	r.d = d
	if err := r.splitISA(s.r, k+2); err != nil {
		return false, err
	}
	// ISA11 is the repetition separator in 5010; older files put a
	// standards ID letter there, which is no separator.
	if rep := r.elem(11); len(rep) == 1 && validDelimiter(rep[0]) && rep[0] != sep && rep[0] != comp && rep[0] != term {
		r.d.Repetition = rep[0]
	}
	if k != 103 {
		r.warnAt(0, fmt.Sprintf("ISA is %d bytes long, not the fixed 106; delimiters read from its elements", k+3))
	}
	r.isa()
	s.r += k + 3
	return true, nil
}

// checkDelimiters refuses delimiters that would make the file unreadable.
func (r *Reader) checkDelimiters(d Delimiters) error {
	bad := func(elem int, what string, c byte) error {
		return &SyntaxError{Segment: r.seg, ID: "ISA", Element: elem, Msg: fmt.Sprintf("invalid %s %q", what, c)}
	}
	if !validDelimiter(d.Component) || d.Component == d.Element {
		return bad(16, "component separator", d.Component)
	}
	if (!validDelimiter(d.Segment) && d.Segment != '\n' && d.Segment != '\r') || d.Segment == d.Element || d.Segment == d.Component {
		return bad(16, "segment terminator", d.Segment)
	}
	return nil
}

// validDelimiter: a delimiter may be any byte that cannot occur in data.
func validDelimiter(c byte) bool {
	return !isAlnum(c) && !isSpace(c) && c != 0
}

func isAlnum(c byte) bool {
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
}

func (r *Reader) isa() {
	ic := &Interchange{
		Segment:           r.seg,
		SenderQualifier:   r.strs.trimmed(r.elem(5)),
		SenderID:          r.strs.trimmed(r.elem(6)),
		ReceiverQualifier: r.strs.trimmed(r.elem(7)),
		ReceiverID:        r.strs.trimmed(r.elem(8)),
		Time:              r.strs.trimmed(r.elem(10)),
		Version:           r.strs.trimmed(r.elem(12)),
		ControlNumber:     r.strs.trimmed(r.elem(13)),
		Usage:             r.strs.trimmed(r.elem(15)),
		Delimiters:        r.d,
	}
	if b := r.elem(9); len(b) > 0 {
		if d, ok := parseShortDate(b); ok {
			ic.Date = d
		} else {
			r.warnAt(9, "invalid interchange date "+quote(b)+"; left unset")
		}
	}
	r.ic = ic
	r.inISA = true
	r.icGroups = 0
	r.grp = nil
}

func (r *Reader) gs() error {
	if r.grp != nil {
		return r.errAt(0, fmt.Sprintf("GS before the GE of functional group %s", r.grp.ControlNumber))
	}
	if id := r.elem(1); string(id) != "HP" {
		return r.errAt(1, "functional group "+quote(id)+" is not HP (health care claim payment/advice)")
	}
	g := &Group{
		Segment:       r.seg,
		FunctionalID:  "HP",
		SenderCode:    r.str(2),
		ReceiverCode:  r.str(3),
		Time:          r.str(5),
		ControlNumber: r.str(6),
		Version:       r.str(8),
	}
	if b := r.elem(4); len(b) > 0 {
		if d, ok := parseDate(b); ok {
			g.Date = d
		} else {
			r.warnAt(4, "invalid group date "+quote(b)+"; left unset")
		}
	}
	if v := r.elem(8); !bytes.HasPrefix(v, []byte("005010X221")) {
		r.warnAt(8, "version "+quote(v)+" is not 005010X221A1; read as 005010X221A1")
	}
	r.grp = g
	r.grpTx = 0
	return nil
}

func (r *Reader) ge() error {
	if r.grp == nil {
		return r.errAt(0, "GE without GS")
	}
	if err := r.checkCount(1, r.grpTx, "transaction sets"); err != nil {
		return err
	}
	if err := r.checkControl(2, r.grp.ControlNumber, "GS06"); err != nil {
		return err
	}
	r.grp = nil
	r.icGroups++
	return nil
}

func (r *Reader) iea() error {
	if r.grp != nil {
		return r.errAt(0, fmt.Sprintf("IEA before the GE of functional group %s", r.grp.ControlNumber))
	}
	if err := r.checkCount(1, r.icGroups, "functional groups"); err != nil {
		return err
	}
	if err := r.checkControl(2, r.ic.ControlNumber, "ISA13"); err != nil {
		return err
	}
	r.inISA = false
	return nil
}

// checkCount compares a trailer's count element with what was read.
func (r *Reader) checkCount(elem, have int, what string) error {
	b := r.elem(elem)
	n, ok := atoi(b)
	if !ok {
		return r.errAt(elem, "invalid count "+quote(b))
	}
	if n != have {
		return r.errAt(elem, fmt.Sprintf("count %d does not match the %d %s read", n, have, what))
	}
	return nil
}

// checkControl compares a trailer's control number with its header's.
// Numbers that differ only in leading zeros are accepted with a warning.
func (r *Reader) checkControl(elem int, want, header string) error {
	b := bytes.TrimSpace(r.elem(elem))
	if string(b) == want {
		return nil
	}
	if x, ok := atoi(b); ok {
		if y, ok := atoi([]byte(want)); ok && x == y {
			r.warnAt(elem, fmt.Sprintf("control number %s differs from %s %q in leading zeros", quote(b), header, want))
			return nil
		}
	}
	return r.errAt(elem, fmt.Sprintf("control number %s does not match %s %q", quote(b), header, want))
}

// atoi reads a non-negative decimal count of at most 9 digits.
func atoi(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// elem returns element i of the current segment, nil when absent.
func (r *Reader) elem(i int) []byte {
	if i < 0 || i+1 >= r.nends {
		return nil
	}
	base := r.lineOff
	return r.src.buf[base+int(r.ends[i])+1 : base+int(r.ends[i+1])]
}

// field returns element i without surrounding spaces: what a string
// field will hold, so what a check for a required value must look at.
func (r *Reader) field(i int) []byte {
	b := r.elem(i)
	for len(b) > 0 && b[0] == ' ' {
		b = b[1:]
	}
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return b
}

// elems returns the number of elements of the current segment, its ID
// included.
func (r *Reader) elems() int { return r.nends - 1 }

// str returns element i as a string, trimmed of surrounding spaces.
func (r *Reader) str(i int) string { return r.strs.trimmed(r.elem(i)) }

// id returns the current segment's ID as a string (for messages only).
func (r *Reader) id() string {
	return string(r.elem(0))
}

// errAt returns a *SyntaxError at element elem of the current segment.
func (r *Reader) errAt(elem int, msg string) *SyntaxError {
	return &SyntaxError{Segment: r.seg, ID: r.id(), Element: elem, Msg: msg}
}

// warnAt records a warning at element elem of the current segment.
func (r *Reader) warnAt(elem int, msg string) {
	r.addWarning(Warning{Segment: r.seg, ID: r.id(), Element: elem, Message: msg})
}

func (r *Reader) addWarning(w Warning) {
	r.warnings = append(r.warnings, w)
	if r.rem != nil {
		r.rem.Warnings = append(r.rem.Warnings, w)
	}
}

// isTransactionSegment reports whether id is a segment of the 835 body,
// which must not appear outside ST/SE.
func isTransactionSegment(id []byte) bool {
	switch string(id) {
	case "BPR", "TRN", "CUR", "CLP", "CAS", "NM1", "MIA", "MOA", "SVC", "LQ", "PLB", "SE", "LX", "TS3", "TS2":
		return true
	}
	return false
}
