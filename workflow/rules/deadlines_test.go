package rules

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestAddMonths(t *testing.T) {
	t.Parallel()
	tests := []struct {
		from   time.Time
		months int
		want   time.Time
	}{
		{Date(2024, 2, 29), 12, Date(2025, 2, 28)}, // Feb 29 + 1 year is Feb 28
		{Date(2028, 2, 29), 12, Date(2029, 2, 28)},
		{Date(2023, 2, 28), 12, Date(2024, 2, 28)}, // no roll forward into a leap day
		{Date(2026, 1, 31), 1, Date(2026, 2, 28)},
		{Date(2028, 1, 31), 1, Date(2028, 2, 29)},
		{Date(2026, 8, 31), 6, Date(2027, 2, 28)},
		{Date(2026, 12, 15), 12, Date(2027, 12, 15)},
		{Date(2026, 3, 31), -1, Date(2026, 2, 28)},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, AddMonths(tt.from, tt.months), "%s + %d months", tt.from.Format(DateLayout), tt.months)
	}
}

func TestDefaultDeadlines(t *testing.T) {
	t.Parallel()
	remit := Date(2026, 3, 10)
	dates := Dates{Service: Date(2026, 2, 20), Remit: remit}
	tests := []struct {
		name   string
		kind   PayerKind
		dl     DeadlineKind
		dates  Dates
		due    time.Time
		anchor time.Time
	}{
		// Medicare redetermination: remit + 5 days of presumed receipt + 120 days.
		{"medicare appeal_1", Medicare, DeadlineAppeal1, dates, Date(2026, 7, 13), Date(2026, 3, 15)},
		{"medicare appeal_1 from an earlier recorded receipt", Medicare, DeadlineAppeal1,
			Dates{Remit: remit, Received: Date(2026, 3, 12)}, Date(2026, 7, 10), Date(2026, 3, 12)},
		{"medicare appeal_1 ignores a later receipt", Medicare, DeadlineAppeal1,
			Dates{Remit: remit, Received: Date(2026, 4, 1)}, Date(2026, 7, 13), Date(2026, 3, 15)},
		{"medicare appeal_1 across a year boundary", Medicare, DeadlineAppeal1,
			Dates{Remit: Date(2025, 12, 20)}, Date(2026, 4, 24), Date(2025, 12, 25)},
		{"medicare appeal_2 from the level-1 decision", Medicare, DeadlineAppeal2,
			Dates{Remit: remit, Decision: Date(2026, 6, 1)}, Date(2026, 12, 3), Date(2026, 6, 6)},
		{"medicare appeal_3", Medicare, DeadlineAppeal3, Dates{Decision: Date(2026, 6, 1)}, Date(2026, 8, 5), Date(2026, 6, 6)},
		{"medicare reopening one year from the remit", Medicare, DeadlineReopening, dates, Date(2027, 3, 10), remit},
		{"medicare reopening from a Feb 29 remit", Medicare, DeadlineReopening, Dates{Remit: Date(2028, 2, 29)}, Date(2029, 2, 28), Date(2028, 2, 29)},
		{"medicare timely filing one year from service", Medicare, DeadlineTimelyFiling, dates, Date(2027, 2, 20), Date(2026, 2, 20)},
		{"medicare timely filing from a Feb 29 service", Medicare, DeadlineTimelyFiling, Dates{Service: Date(2024, 2, 29)}, Date(2025, 2, 28), Date(2024, 2, 29)},
		{"medicare advantage appeal_1", MedicareAdvantage, DeadlineAppeal1, dates, Date(2026, 5, 9), remit},
		{"commercial appeal_1", Commercial, DeadlineAppeal1, dates, Date(2026, 9, 6), remit},
		{"commercial appeal_2 from the decision", Commercial, DeadlineAppeal2, Dates{Decision: Date(2026, 9, 1)}, Date(2026, 10, 31), Date(2026, 9, 1)},
		{"commercial corrected claim", Commercial, DeadlineCorrectedClaim, dates, Date(2026, 9, 6), remit},
		{"commercial timely filing", Commercial, DeadlineTimelyFiling, dates, Date(2026, 8, 19), Date(2026, 2, 20)},
		{"commercial appeal_1 across a year boundary", Commercial, DeadlineAppeal1, Dates{Remit: Date(2026, 11, 20)}, Date(2027, 5, 19), Date(2026, 11, 20)},
		{"medicaid appeal_1", Medicaid, DeadlineAppeal1, dates, Date(2026, 6, 8), remit},
		{"medicaid corrected claim", Medicaid, DeadlineCorrectedClaim, dates, Date(2026, 9, 6), remit},
		{"medicaid timely filing", Medicaid, DeadlineTimelyFiling, dates, Date(2027, 2, 20), Date(2026, 2, 20)},
		{"other payer appeal_1 as commercial", OtherPayer, DeadlineAppeal1, dates, Date(2026, 9, 6), remit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dl, ok := DefaultPolicy(tt.kind).Deadline(tt.dl, tt.dates)
			require.True(t, ok)
			require.Equal(t, tt.due, dl.Due, "due")
			require.Equal(t, tt.anchor, dl.AnchorDate, "anchor")
		})
	}
}

func TestDeadlinesNeedTheirAnchor(t *testing.T) {
	t.Parallel()
	_, ok := DefaultPolicy(Medicare).Deadline(DeadlineAppeal2, Dates{Remit: Date(2026, 3, 10)})
	require.False(t, ok, "level 2 waits for the level-1 decision")
	_, ok = DefaultPolicy(Commercial).Deadline(DeadlineReopening, Dates{Remit: Date(2026, 3, 10)})
	require.False(t, ok, "commercial payers have no reopening")
}

func TestDeadlinesFallBackToAppeal(t *testing.T) {
	t.Parallel()
	dls := DefaultPolicy(Commercial).Deadlines([]DeadlineKind{DeadlineReopening}, Dates{Remit: Date(2026, 3, 10)})
	require.Len(t, dls, 1)
	require.Equal(t, DeadlineAppeal1, dls[0].Kind, "a workable denial always carries a clock")

	dls = DefaultPolicy(Medicare).Deadlines(DeadlineKindsFor(Reopening), Dates{Remit: Date(2026, 3, 10)})
	require.Equal(t, []DeadlineKind{DeadlineReopening, DeadlineAppeal1}, []DeadlineKind{dls[0].Kind, dls[1].Kind})

	require.Empty(t, DefaultPolicy(Medicare).Deadlines(DeadlineKindsFor(None), Dates{Remit: Date(2026, 3, 10)}))
}

func TestTaskDue(t *testing.T) {
	t.Parallel()
	p := DefaultPolicy(Medicare)
	dls := p.Deadlines(DeadlineKindsFor(Reopening), Dates{Remit: Date(2026, 3, 10)})
	// appeal_1 is due 2026-07-13 and comes first: 14 days before it.
	require.Equal(t, Date(2026, 6, 29), p.TaskDue(dls, Date(2026, 3, 20)))
	// Never before today.
	require.Equal(t, Date(2026, 7, 1), p.TaskDue(dls, Date(2026, 7, 1)))

	c := DefaultPolicy(Commercial)
	dls = c.Deadlines(DeadlineKindsFor(CorrectedClaim), Dates{Remit: Date(2026, 3, 10)})
	require.Equal(t, Date(2026, 8, 30), c.TaskDue(dls, Date(2026, 3, 20)), "7 days before a non-appeal deadline")
}

func TestPolicyOverride(t *testing.T) {
	t.Parallel()
	grace := 0
	no := false
	o := PolicyOverride{
		Windows:          map[DeadlineKind]Window{DeadlineAppeal1: {Days: 90, Anchor: AnchorRemitDate}},
		CorrectedClaims:  &no,
		ReceiptGraceDays: &grace,
	}
	require.NoError(t, o.Validate())
	p := DefaultPolicy(Commercial).Apply(o)
	require.Equal(t, 90, p.Windows[DeadlineAppeal1].Days)
	require.Equal(t, 180, DefaultPolicy(Commercial).Windows[DeadlineAppeal1].Days, "the default is not changed")
	require.False(t, p.CorrectedClaims)
	require.Equal(t, Reopening, ClaimFix(p))

	bad := []PolicyOverride{
		{Windows: map[DeadlineKind]Window{"appeal_9": {Days: 10, Anchor: AnchorRemitDate}}},
		{Windows: map[DeadlineKind]Window{DeadlineAppeal1: {Days: 10, Months: 1, Anchor: AnchorRemitDate}}},
		{Windows: map[DeadlineKind]Window{DeadlineAppeal1: {Days: 10, Anchor: "yesterday"}}},
		{Windows: map[DeadlineKind]Window{DeadlineAppeal1: {Anchor: AnchorRemitDate}}},
		{Windows: map[DeadlineKind]Window{DeadlineAppeal1: {Days: -1, Anchor: AnchorRemitDate}}},
	}
	for _, o := range bad {
		require.Error(t, o.Validate(), "%+v", o)
	}
	neg := -1
	require.ErrorContains(t, PolicyOverride{ReceiptGraceDays: &neg}.Validate(), "receipt_grace_days")
}

func TestPriority(t *testing.T) {
	t.Parallel()
	chance, basis := RecoveryChance(Modifier, 0, 0)
	require.Equal(t, 85, chance)
	require.Contains(t, basis, "prior")

	// The record pulls the chance away from the prior as outcomes accumulate.
	chance, _ = RecoveryChance(Modifier, 0, 90)
	require.Equal(t, 9, chance)
	chance, _ = RecoveryChance(NonCovered, 10, 10)
	require.Equal(t, 55, chance)

	far, _ := Priority(3000, 50, "", 90)
	near, reasons := Priority(3000, 50, "50% chance", 5)
	require.Equal(t, int64(1500), far)
	require.Equal(t, int64(4500), near)
	require.Equal(t, []string{"$30.00 denied", "50% chance", "deadline in 5 days (×3)"}, reasons)
	more, _ := Priority(6000, 50, "", 90)
	require.Greater(t, more, far, "more money at stake ranks higher")
}

func TestFormatCents(t *testing.T) {
	t.Parallel()
	require.Equal(t, "$0.05", FormatCents(5))
	require.Equal(t, "$30.00", FormatCents(3000))
	require.Equal(t, "$1,234,567.89", FormatCents(123456789))
	require.Equal(t, "-$9.00", FormatCents(-900))
}

// Every kind's default policy is one a manager could also set: its windows pass the
// checks an override must.
func TestDefaultPoliciesAreValidOverrides(t *testing.T) {
	for _, kind := range PayerKinds {
		p := DefaultPolicy(kind)
		require.NoError(t, PolicyOverride{Windows: p.Windows}.Validate(), kind)
	}
}
