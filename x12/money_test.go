package x12_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/reclaimhq/reclaim/x12"
)

func TestParseAmount(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int64{
		"34":                    3400,
		"34.0":                  3400,
		"34.00":                 3400,
		"34.000":                3400,
		"-9.00":                 -900,
		".5":                    50,
		"-.05":                  -5,
		"5.":                    500,
		"0":                     0,
		"-0":                    0,
		"0.01":                  1,
		"007.10":                710,
		"211366.97":             21136697,
		"92233720368547758.07":  math.MaxInt64,
		"-92233720368547758.08": math.MinInt64,
	} {
		got, err := x12.ParseAmount(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	for _, in := range []string{
		"", "-", ".", "-.", "1,000", "12.3.4", "+5", "1e3", " 5", "5 ", "0.125", "0.001", "--1", "1-", "$5",
		"92233720368547758.08", "-92233720368547758.09", "99999999999999999999999",
	} {
		_, err := x12.ParseAmount(in)
		require.Error(t, err, in)
	}
	_, err := x12.ParseAmount("1,000")
	require.EqualError(t, err, `x12: invalid amount "1,000"`)
}

func TestFormatAmount(t *testing.T) {
	t.Parallel()
	for cents, want := range map[int64]string{
		0:             "0.00",
		5:             "0.05",
		-5:            "-0.05",
		3400:          "34.00",
		-900:          "-9.00",
		21136697:      "211366.97",
		math.MaxInt64: "92233720368547758.07",
		math.MinInt64: "-92233720368547758.08",
	} {
		require.Equal(t, want, x12.FormatAmount(cents))
		back, err := x12.ParseAmount(want)
		require.NoError(t, err)
		require.Equal(t, cents, back)
	}
}
