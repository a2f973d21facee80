package x12test_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/reclaimhq/reclaim/x12"
	"github.com/reclaimhq/reclaim/x12/x12test"
)

func TestGenerateIsValidAndMatchesItsSummary(t *testing.T) {
	t.Parallel()
	for _, opts := range []x12test.Options{
		{},
		{Lines: 1},
		{Lines: 2500, MaxLinesPerClaim: 5, ClaimsPerTransaction: 100, Seed: 42},
		{Lines: 300, DeniedPercent: 100, NoNewlines: true, IDPrefix: "Z"},
		{Lines: 300, DeniedPercent: -1},
	} {
		data, sum := x12test.GenerateSummary(opts)
		rems, warnings, err := x12.Parse(data)
		require.NoError(t, err)
		require.Empty(t, warnings, "a generated file is valid and balanced")

		var got x12test.Summary
		got.Transactions = len(rems)
		for _, r := range rems {
			for _, c := range r.Claims {
				got.Claims++
				for _, l := range c.Lines {
					got.Lines++
					got.ChargeCents += l.ChargeCents
					got.PaidCents += l.PaidCents
					if l.PaidCents == 0 && len(l.Adjustments) == 1 && l.Adjustments[0].Reason != "45" {
						got.DeniedLines++
						got.DeniedCents += l.ChargeCents
					}
				}
			}
		}
		require.Equal(t, sum, got)
		want := opts.Lines
		if want == 0 {
			want = 100
		}
		require.Equal(t, want, sum.Lines)
		if opts.DeniedPercent < 0 {
			require.Zero(t, sum.DeniedLines)
		}
		if opts.DeniedPercent == 100 {
			require.Equal(t, sum.Lines, sum.DeniedLines)
		}
		require.Equal(t, opts.NoNewlines, !bytes.Contains(data, []byte("~\n")))
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	t.Parallel()
	a := x12test.Generate(x12test.Options{Lines: 500, Seed: 9})
	b := x12test.Generate(x12test.Options{Lines: 500, Seed: 9})
	c := x12test.Generate(x12test.Options{Lines: 500, Seed: 10})
	require.Equal(t, a, b)
	require.NotEqual(t, a, c)
}

func TestGeneratedClaimsAreUnique(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, prefix := range []string{"A", "B"} {
		rems, _, err := x12.Parse(x12test.Generate(x12test.Options{Lines: 400, IDPrefix: prefix}))
		require.NoError(t, err)
		for _, r := range rems {
			for _, c := range r.Claims {
				require.False(t, seen[c.PayerClaimNumber], c.PayerClaimNumber)
				seen[c.PayerClaimNumber] = true
				require.True(t, x12test.ValidNPI(c.RenderingProvider.NPI()))
			}
		}
	}
}

func TestNPI(t *testing.T) {
	t.Parallel()
	// 1234567893 is the check-digit example CMS publishes.
	require.True(t, x12test.ValidNPI("1234567893"))
	require.False(t, x12test.ValidNPI("1234567890"))
	require.False(t, x12test.ValidNPI("123456789"))
	require.False(t, x12test.ValidNPI("12345678a3"))
	require.Equal(t, "1234567893", x12test.NPI(23456789))
	for n := 0; n < 1000; n++ {
		require.True(t, x12test.ValidNPI(x12test.NPI(n*7919)))
	}
}
