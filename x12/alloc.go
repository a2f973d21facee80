package x12

import "unsafe"

// The parser allocates in chunks rather than per value: strings are cut
// from a shared arena, and the small slices of a claim are copied into
// shared slabs when the claim is complete. A 1 MB file then costs a few
// hundred allocations instead of tens of thousands. The price is that a
// kept Remittance keeps its chunks (a few KB) alive, which is nothing next
// to the data itself.

// arenaChunk is the size of one string arena chunk.
const arenaChunk = 16 << 10

// arena makes strings from byte slices, many per allocation: it copies
// the bytes to the end of a chunk and returns a string that views them.
// Bytes before len(buf) are never written again (a full chunk is replaced,
// not reused), so every string handed out stays immutable; a chunk lives
// as long as any string points into it. This is what strings.Builder does
// inside; doing it here saves the Builder's pointer store per string, which
// during a garbage collection costs a write barrier.
type arena struct {
	buf []byte
}

// str returns b as a string.
func (a *arena) str(b []byte) string {
	n := len(b)
	if n == 0 {
		return ""
	}
	if cap(a.buf)-len(a.buf) < n {
		size := min(max(2*cap(a.buf), 1024), arenaChunk) // small inputs stay small
		a.buf = make([]byte, 0, max(size, n))
	}
	start := len(a.buf)
	a.buf = a.buf[:start+n]
	copy(a.buf[start:], b)
	return unsafe.String(&a.buf[start], n)
}

// trimmed returns b as a string without surrounding spaces (the padding of
// fixed-width ISA fields, and the stray blanks some payers leave).
func (a *arena) trimmed(b []byte) string {
	for len(b) > 0 && b[0] == ' ' {
		b = b[1:]
	}
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return a.str(b)
}

// slabBytes bounds a slab chunk: at most 32 KiB, the largest size the Go
// allocator serves from its fast small-object classes.
const slabBytes = 32 << 10

// chunkLen is how many values of T one chunk holds: 8 at first, doubling
// up to slabBytes, so that small inputs stay small.
func chunkLen[T any](prev int) int {
	var zero T
	most := max(slabBytes/max(int(unsafe.Sizeof(zero)), 1), 8)
	return min(max(2*prev, 8), most)
}

// slab hands out small slices carved from larger shared arrays.
type slab[T any] struct {
	buf []T
}

// copy returns a copy of src in slab memory, nil when src is empty. Its
// capacity equals its length, so a caller's append reallocates instead of
// writing over a neighbour.
func (s *slab[T]) copy(src []T) []T {
	n := len(src)
	if n == 0 {
		return nil
	}
	if cap(s.buf)-len(s.buf) < n {
		s.grow(n)
	}
	start := len(s.buf)
	s.buf = append(s.buf, src...)
	return s.buf[start : start+n : start+n]
}

// alloc returns a pointer to a zero T in slab memory.
func (s *slab[T]) alloc() *T {
	if len(s.buf) == cap(s.buf) {
		s.grow(1)
	}
	var zero T
	s.buf = append(s.buf, zero)
	return &s.buf[len(s.buf)-1]
}

// grow starts a new chunk with room for at least n values.
func (s *slab[T]) grow(n int) {
	s.buf = make([]T, 0, max(chunkLen[T](cap(s.buf)), n))
}

// run is a slab whose values are handed out one at a time and then
// returned together as one contiguous slice: the claims of a remittance,
// the lines of a claim. Values are built in place; when a chunk fills up
// in the middle of a run, the run so far moves to a larger chunk (the
// caller must then not keep pointers from before the move: next is only
// called after the previous value is complete).
type run[T any] struct {
	buf   []T
	start int
}

// next returns a pointer to a new zero value at the end of the run.
func (s *run[T]) next() *T {
	if len(s.buf) == cap(s.buf) {
		n := len(s.buf) - s.start
		nb := make([]T, n, max(chunkLen[T](cap(s.buf)), 2*n))
		copy(nb, s.buf[s.start:])
		s.buf, s.start = nb, 0
	}
	s.buf = s.buf[:len(s.buf)+1]
	return &s.buf[len(s.buf)-1]
}

// reserve makes room for n more values without a move.
func (s *run[T]) reserve(n int) {
	if cap(s.buf)-len(s.buf) >= n {
		return
	}
	cur := len(s.buf) - s.start
	nb := make([]T, cur, cur+n)
	copy(nb, s.buf[s.start:])
	s.buf, s.start = nb, 0
}

// current returns the values of the run so far.
func (s *run[T]) current() []T { return s.buf[s.start:] }

// done ends the run and returns its values (nil for an empty run), with
// capacity equal to length.
func (s *run[T]) done() []T {
	out := s.buf[s.start:len(s.buf):len(s.buf)]
	s.start = len(s.buf)
	if len(out) == 0 {
		return nil
	}
	return out
}

// drop abandons the run (after an error).
func (s *run[T]) drop() {
	clear(s.buf[s.start:])
	s.buf = s.buf[:s.start]
}
