package x12_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/reclaimhq/reclaim/x12"
)

func TestNewDateValidates(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		y     int
		m     time.Month
		d     int
		valid bool
	}{
		{2026, time.January, 31, true},
		{2026, time.February, 29, false},
		{2024, time.February, 29, true},
		{2000, time.February, 29, true},
		{1900, time.February, 29, false},
		{2026, time.April, 31, false},
		{2026, time.June, 30, true},
		{2026, 13, 1, false},
		{2026, 0, 1, false},
		{2026, time.March, 0, false},
		{0, time.March, 1, false},
		{10000, time.March, 1, false},
	} {
		d := x12.NewDate(tc.y, tc.m, tc.d)
		require.Equal(t, tc.valid, !d.IsZero(), "%d-%d-%d", tc.y, tc.m, tc.d)
		if tc.valid {
			require.Equal(t, tc.y, d.Year())
			require.Equal(t, tc.m, d.Month())
			require.Equal(t, tc.d, d.Day())
		}
	}
}

func TestDateFormats(t *testing.T) {
	t.Parallel()
	d := x12.NewDate(2026, time.September, 5)
	require.Equal(t, "2026-09-05", d.String())
	require.Equal(t, time.Date(2026, time.September, 5, 0, 0, 0, 0, time.UTC), d.Time())
	require.Equal(t, "", x12.Date{}.String())
	require.True(t, x12.Date{}.Time().IsZero())

	b, err := json.Marshal(struct{ D, Z x12.Date }{D: d})
	require.NoError(t, err)
	require.JSONEq(t, `{"D":"2026-09-05","Z":""}`, string(b))
	var back struct{ D, Z x12.Date }
	require.NoError(t, json.Unmarshal(b, &back))
	require.Equal(t, d, back.D)
	require.True(t, back.Z.IsZero())

	var bad x12.Date
	require.Error(t, bad.UnmarshalText([]byte("2026-02-30")))
	require.Error(t, bad.UnmarshalText([]byte("20260230")))
}

func TestDateCompare(t *testing.T) {
	t.Parallel()
	a := x12.NewDate(2026, time.January, 31)
	b := x12.NewDate(2026, time.February, 1)
	require.True(t, a.Before(b))
	require.False(t, b.Before(a))
	require.Equal(t, 0, a.Compare(x12.NewDate(2026, time.January, 31)))
	require.Equal(t, 1, b.Compare(a))
	require.True(t, x12.Date{}.Before(a), "the zero Date sorts first")
}
