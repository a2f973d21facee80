package x12

import (
	"encoding/binary"
	"errors"
	"io"
	"math/bits"
)

// source is the Reader's input buffer: buf[r:w] is read but not consumed.
// Unlike bufio.Reader it lets the segment scanner look for the terminator
// and the element separators in one pass, and Parse hands it the caller's
// bytes directly, with no copy (the source then never writes to buf).
type source struct {
	rd   io.Reader
	buf  []byte
	r, w int
	eof  bool  // rd has nothing more to give
	err  error // the read error that ended the input, other than io.EOF
}

// maxEmptyReads bounds how often a misbehaving io.Reader may return no
// data and no error before the source gives up.
const maxEmptyReads = 100

// fill reads more input into buf, keeping buf[r:w]. It compacts the buffer
// when the unread bytes have reached its end, and doubles it when they
// fill it (a segment longer than the buffer). It reports whether any bytes
// were added.
func (s *source) fill() bool {
	if s.eof {
		return false
	}
	if s.w == len(s.buf) && s.r > 0 {
		n := copy(s.buf, s.buf[s.r:s.w])
		s.r, s.w = 0, n
	}
	if s.w == len(s.buf) {
		nb := make([]byte, 2*len(s.buf))
		copy(nb, s.buf[s.r:s.w])
		s.buf, s.w, s.r = nb, s.w-s.r, 0
	}
	for range maxEmptyReads {
		n, err := s.rd.Read(s.buf[s.w:])
		s.w += n
		if err != nil {
			s.eof = true
			if !errors.Is(err, io.EOF) {
				s.err = err
			}
		}
		if n > 0 || s.eof {
			return n > 0
		}
	}
	s.eof, s.err = true, io.ErrNoProgress
	return false
}

// ensure makes at least n unread bytes available, unless the input ends
// first; it reports whether they are.
func (s *source) ensure(n int) bool {
	for s.w-s.r < n {
		if !s.fill() {
			return false
		}
	}
	return true
}

// Word-at-a-time byte search: eight bytes are compared with a delimiter at
// once, and the positions that match come out as the top bit of each
// matching byte.
const (
	ones  = 0x0101010101010101
	low7s = 0x7f7f7f7f7f7f7f7f
)

// matches returns a word with bit 7 set in each byte of w equal to the
// byte that rep repeats, and no other bit set.
func matches(w, rep uint64) uint64 {
	x := w ^ rep
	t := (x & low7s) + low7s
	return ^(t | x | low7s)
}

// scanSegment looks for the terminator term in b. It records in ends,
// from index n on, the offsets of the element separators before it, each
// plus base, growing ends when it is full, and returns the terminator's
// index in b (or -1 when b has none, with every separator of b recorded),
// ends and the new count. ends is used to its full length, so that
// recording an offset is a plain store.
func scanSegment(b []byte, sep, term byte, base int, ends []int32, n int) (int, []int32, int) {
	sepRep, termRep := ones*uint64(sep), ones*uint64(term)
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		ms := matches(w, sepRep)
		t := -1
		if mt := matches(w, termRep); mt != 0 {
			t = bits.TrailingZeros64(mt) >> 3
			ms &= uint64(1)<<(uint(t)*8) - 1
		}
		for ; ms != 0; ms &= ms - 1 {
			if n == len(ends) {
				ends = grow(ends)
			}
			ends[n] = int32(base + i + bits.TrailingZeros64(ms)>>3)
			n++
		}
		if t >= 0 {
			return i + t, ends, n
		}
	}
	for ; i < len(b); i++ {
		switch b[i] {
		case term:
			return i, ends, n
		case sep:
			if n == len(ends) {
				ends = grow(ends)
			}
			ends[n] = int32(base + i)
			n++
		}
	}
	return -1, ends, n
}

// grow returns ends with more room, at its full capacity.
func grow(ends []int32) []int32 {
	ends = append(ends, 0)
	return ends[:cap(ends)]
}
