package x12_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/reclaimhq/reclaim/x12"
	"github.com/reclaimhq/reclaim/x12/x12test"
)

// BenchmarkReader streams a generated multi-megabyte 835 through a Reader.
// SPEC.md §10 asks for at least 200 MB/s.
func BenchmarkReader(b *testing.B) {
	data := x12test.Generate(x12test.Options{Lines: 20_000})
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r := x12.NewReader(bytes.NewReader(data))
		n := 0
		for {
			rem, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n += len(rem.Claims)
		}
		if n == 0 {
			b.Fatal("no claims")
		}
	}
}

// BenchmarkParse reads the same file with Parse. Parse scans the bytes in
// place, with no copy, but it keeps every remittance until the end, so the
// garbage collector has the whole result to mark: it is somewhat slower
// than streaming, as any caller that holds a whole file's results is.
func BenchmarkParse(b *testing.B) {
	data := x12test.Generate(x12test.Options{Lines: 20_000})
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rems, _, err := x12.Parse(data)
		if err != nil || len(rems) == 0 {
			b.Fatal(err)
		}
	}
}
