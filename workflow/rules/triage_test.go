package rules

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func adj(group Group, reason string, cents int64) Adjustment {
	return Adjustment{Group: group, Reason: reason, AmountCents: cents}
}

func TestTriage(t *testing.T) {
	t.Parallel()

	type want struct {
		category Category
		action   Action
		rule     string
		denied   int64
		reason   string
	}
	tests := []struct {
		name string
		kind PayerKind
		adjs []Adjustment
		rems []string
		paid int64
		want want
	}{
		{"medical necessity appeals", Commercial, []Adjustment{adj(GroupContractual, "50", 3000)}, nil, 0,
			want{MedicalNecessity, Appeal, "carc.50", 3000, "50"}},
		{"CARC 50 with N386 is an NCD exclusion", Medicare, []Adjustment{adj(GroupContractual, "50", 3000)}, []string{"N386"}, 0,
			want{NonCovered, Review, "rarc.N386", 3000, "50"}},
		{"a remark never closes a denial as contractual", Medicare, []Adjustment{adj(GroupContractual, "50", 3000)}, []string{"N851"}, 0,
			want{MedicalNecessity, Appeal, "carc.50", 3000, "50"}},
		{"an alert remark changes nothing", Medicare, []Adjustment{adj(GroupContractual, "50", 3000)}, []string{"MA01", "N115"}, 0,
			want{MedicalNecessity, Appeal, "carc.50", 3000, "50"}},
		{"CARC 16 with N465 is documentation, reopened on Medicare", Medicare, []Adjustment{adj(GroupContractual, "16", 3000)}, []string{"N465"}, 0,
			want{Documentation, Reopening, "carc.16", 3000, "16"}},
		{"CARC 16 with M51 is coding, corrected elsewhere", Commercial, []Adjustment{adj(GroupPayerInitial, "16", 3000)}, []string{"M51"}, 0,
			want{Coding, CorrectedClaim, "97026.modality_confusion", 3000, "16"}},
		{"missing modifier on Medicare is a reopening", Medicare, []Adjustment{adj(GroupContractual, "4", 2800)}, []string{"N822"}, 0,
			want{Modifier, Reopening, "modifier.gp_missing", 2800, "4"}},
		{"missing modifier on a commercial payer is a corrected claim", Commercial, []Adjustment{adj(GroupContractual, "4", 2800)}, []string{"N822"}, 0,
			want{Modifier, CorrectedClaim, "modifier.reason", 2800, "4"}},
		{"eligibility rebills the right payer", Medicaid, []Adjustment{adj(GroupContractual, "27", 2000)}, nil, 0,
			want{Eligibility, RebillOtherPayer, "carc.27", 2000, "27"}},
		{"a decisive CARC keeps its category over a remark", Commercial, []Adjustment{adj(GroupContractual, "197", 2000)}, []string{"N623"}, 0,
			want{Authorization, Appeal, "carc.197", 2000, "197"}},
		{"bundling is reviewed", MedicareAdvantage, []Adjustment{adj(GroupContractual, "97", 2000)}, []string{"M80"}, 0,
			want{Bundling, Review, "bundling.review", 2000, "97"}},
		{"the largest denial adjustment is the reason; all denial money counts", Commercial,
			[]Adjustment{adj(GroupContractual, "45", 500), adj(GroupOther, "23", 700), adj(GroupContractual, "55", 1800)}, nil, 0,
			want{Experimental, Appeal, "experimental.payer_policy", 2500, "55"}},
		{"only cost sharing is closed as patient responsibility", Commercial,
			[]Adjustment{adj(GroupContractual, "45", 1000), adj(GroupPatient, "2", 400)}, nil, 1600,
			want{PatientResponsibility, None, "line.patient_responsibility", 0, "2"}},
		{"only contractual is closed", Medicare, []Adjustment{adj(GroupContractual, "45", 2321), adj(GroupContractual, "253", 14)}, nil, 665,
			want{Contractual, None, "line.contractual", 0, "45"}},
		{"a denied amount moved to the patient is billed to the patient", Medicare, []Adjustment{adj(GroupPatient, "50", 3000)}, nil, 0,
			want{MedicalNecessity, BillPatient, "liability.patient", 3000, "50"}},
		{"an unknown CARC is other, reviewed", Commercial, []Adjustment{adj(GroupContractual, "Z9", 1000)}, nil, 0,
			want{Other, Review, "carc.unknown", 1000, "Z9"}},
		{"unpaid money with no adjustment is reviewed", Commercial, nil, nil, 1000,
			want{Other, Review, "line.unexplained", 2000, ""}},
		{"paid in full with no adjustment is closed", Commercial, nil, nil, 3000,
			want{Contractual, None, "line.paid_in_full", 0, ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := Triage(Line{
				PayerKind: tt.kind, ProcedureCode: "97026", Units: 1, BilledCents: 3000, PaidCents: tt.paid,
				Adjustments: tt.adjs, Remarks: tt.rems,
			}, DefaultPolicy(tt.kind))
			require.Equal(t, tt.want.category, d.Category, d.Rationale)
			require.Equal(t, tt.want.action, d.Action, d.Rationale)
			require.Equal(t, tt.want.rule, d.Rule)
			require.Equal(t, tt.want.denied, d.DeniedCents)
			require.Equal(t, tt.want.reason, d.Reason.Reason)
			require.NotEmpty(t, d.Rationale)
			require.NotEmpty(t, d.Matched)
			require.Equal(t, d.Rule, d.Matched[len(d.Matched)-1].Rule, "the deciding rule is the last matched")
			require.Equal(t, DeadlineKindsFor(d.Action), d.Deadlines)
		})
	}
}

func TestTriageRationaleNamesTheFacts(t *testing.T) {
	t.Parallel()
	d := Triage(Line{
		PayerKind: Medicare, ProcedureCode: "97026", BilledCents: 3000,
		Adjustments: []Adjustment{adj(GroupContractual, "50", 3000)}, Remarks: []string{"N386"},
	}, DefaultPolicy(Medicare))
	require.Equal(t, "CO-50 (payer does not consider the service medically necessary) took $30.00 of $30.00 billed "+
		"for 97026; RARC N386 (decision was based on a National Coverage Determination (NCD)) makes it "+
		"non-covered service, so review before choosing.", d.Rationale)
	require.Equal(t, []string{"carc.50", "rarc.N386"}, []string{d.Matched[0].Rule, d.Matched[1].Rule})

	d = Triage(Line{
		PayerKind: Medicare, ProcedureCode: "97026", BilledCents: 2800,
		Adjustments: []Adjustment{adj(GroupContractual, "4", 2800)},
	}, DefaultPolicy(Medicare))
	require.Contains(t, d.Rationale, "request a reopening (the payer takes no corrected claims)")

	// The base rules say the same where no pack rule applies.
	d = Triage(Line{
		PayerKind: Medicare, ProcedureCode: "97026", Modifiers: []string{"GP"}, BilledCents: 2800,
		Adjustments: []Adjustment{adj(GroupContractual, "16", 2800)}, Remarks: []string{"N465"},
	}, DefaultPolicy(Medicare))
	require.Equal(t, "carc.16", d.Rule)
	require.Contains(t, d.Rationale, "the payer takes no corrected claims, so request a reopening")
}

func TestCodeTables(t *testing.T) {
	t.Parallel()
	c, ok := CARC("197")
	require.True(t, ok)
	require.Equal(t, Authorization, c.Category)
	require.Equal(t, "Precertification, authorization or notification is absent", c.Meaning, "a meaning keeps its commas")

	r, ok := RARC("MA01")
	require.True(t, ok)
	require.Empty(t, r.Category, "an alert refines nothing")

	_, ok = CARC("nope")
	require.False(t, ok)

	for _, name := range []string{"data/carc.csv", "data/rarc.csv"} {
		codes, err := loadCodes(name)
		require.NoError(t, err)
		require.Greater(t, len(codes), 40)
	}
}
