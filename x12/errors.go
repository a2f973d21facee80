package x12

import (
	"strconv"
	"strings"
)

// SyntaxError reports input that cannot be read as an 835 without guessing.
// It names the segment (its 1-based ordinal in the input and its ID) and,
// when one element is at fault, the element's 1-based position.
//
// A Reader that returned a *SyntaxError returns the same error from every
// later call of Next: nothing after a malformed segment is trusted.
type SyntaxError struct {
	// Segment is the 1-based ordinal of the segment in the input, counting
	// every non-empty segment from the first ISA; 0 when the input ended
	// before the segment could be read.
	Segment int
	// ID is the segment identifier ("CLP", "SVC", ...); empty when the
	// segment has no readable ID.
	ID string
	// Element is the 1-based position of the element at fault (CLP03 is 3);
	// 0 when the whole segment is at fault.
	Element int
	// Msg says what is wrong, e.g. `invalid amount "12.3.4"`.
	Msg string
}

// Error formats the error as
// `x12: segment 17 (CLP), element 3: invalid amount "12.3.4"`.
func (e *SyntaxError) Error() string {
	return "x12: " + position(e.Segment, e.ID, e.Element) + e.Msg
}

// Warning records an oddity that real files carry and that the parser
// accepted: a repaired composite, a misplaced payment date, an impossible
// optional date, an amount that does not balance. The file still parses;
// the warning says exactly what was assumed so that a person can check it.
type Warning struct {
	// Segment is the 1-based ordinal of the segment in the input.
	Segment int
	// ID is the segment identifier.
	ID string
	// Element is the 1-based element position; 0 for the whole segment.
	Element int
	// Message says what was found and what was assumed.
	Message string
}

// String formats the warning as
// `segment 4 (BPR), element 16: invalid payment date "20002316"; left unset`.
func (w Warning) String() string {
	return position(w.Segment, w.ID, w.Element) + w.Message
}

func position(seg int, id string, elem int) string {
	var b strings.Builder
	b.Grow(32)
	if seg > 0 || id != "" {
		b.WriteString("segment ")
		b.WriteString(strconv.Itoa(seg))
		if id != "" {
			b.WriteString(" (")
			b.WriteString(id)
			b.WriteString(")")
		}
		if elem > 0 {
			b.WriteString(", element ")
			b.WriteString(strconv.Itoa(elem))
		}
		b.WriteString(": ")
	}
	return b.String()
}

// maxQuoted bounds how much of a bad value an error message repeats.
const maxQuoted = 40

// quote renders a value for a message: quoted, and cut short when long so
// that a garbage segment cannot blow up an error string.
func quote(b []byte) string {
	if len(b) > maxQuoted {
		return strconv.Quote(string(b[:maxQuoted])) + "…"
	}
	return strconv.Quote(string(b))
}
