package rules

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// denied is a $30.00 97026 line, billed by a physical therapist with GP for low back pain
// and denied in full for carc; options change one fact at a time.
func denied(kind PayerKind, carc string, opts ...func(*Line)) Line {
	l := Line{
		PayerKind: kind, ProcedureCode: Code97026, Modifiers: []string{"GP"}, Units: 1,
		DiagnosisCodes: []string{"M54.50"}, ProviderTaxonomy: "225100000X", BilledCents: 3000,
		Adjustments: []Adjustment{adj(GroupContractual, carc, 3000)},
	}
	for _, o := range opts {
		o(&l)
	}
	return l
}

func remarks(r ...string) func(*Line) { return func(l *Line) { l.Remarks = r } }
func mods(m ...string) func(*Line)    { return func(l *Line) { l.Modifiers = m } }
func dx(d ...string) func(*Line)      { return func(l *Line) { l.DiagnosisCodes = d } }
func units(n int) func(*Line)         { return func(l *Line) { l.Units = n } }
func mue(n int) func(*Line)           { return func(l *Line) { l.MUE = n } }
func code(c string) func(*Line)       { return func(l *Line) { l.ProcedureCode = c } }
func taxonomy(t string) func(*Line)   { return func(l *Line) { l.ProviderTaxonomy = t } }
func others(c ...string) func(*Line)  { return func(l *Line) { l.OtherProcedures = c } }
func edits(e ...PairEdit) func(*Line) { return func(l *Line) { l.Edits = e } }
func proof() func(*Line)              { return func(l *Line) { l.TimelyFilingProof = true } }
func patientGroup() func(*Line) {
	return func(l *Line) {
		for i := range l.Adjustments {
			l.Adjustments[i].Group = GroupPatient
		}
	}
}

func matchedRules(d Decision) []string {
	ids := make([]string, len(d.Matched))
	for i, m := range d.Matched {
		ids[i] = m.Rule
	}
	return ids
}

func TestPack(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name     string
		line     Line
		category Category
		action   Action
		rule     string
		phrases  []string // the rationale names these facts
		matched  []string // every rule that matched, in order; nil skips the check
	}{
		// NCD 270.6.
		{"NCD 270.6 without an ABN is written off",
			denied(Medicare, "50", remarks("N386"), dx("E11.42")),
			NonCovered, WriteOff, "97026.ncd_270_6.no_abn",
			[]string{"NCD 270.6", "primary diagnosis E11.42 is diabetic neuropathy", "no GA modifier shows an ABN on file", "write off", "$30.00"},
			[]string{"carc.50", "rarc.N386", "97026.ncd_270_6.no_abn"}},
		{"NCD 270.6 with GZ says so",
			denied(Medicare, "50", remarks("N386"), dx("L97.412"), mods("GP", "GZ")),
			NonCovered, WriteOff, "97026.ncd_270_6.no_abn",
			[]string{"NCD 270.6", "L97.412 is skin ulcer", "GZ on the line says no ABN was given"}, nil},
		{"NCD 270.6 with GA bills the patient",
			denied(Medicare, "50", remarks("N386"), dx("G62.9"), mods("GP", "GA"), patientGroup()),
			NonCovered, BillPatient, "97026.ncd_270_6.abn",
			[]string{"NCD 270.6", "G62.9 is peripheral neuropathy", "GA shows an ABN on file", "bill the patient"},
			[]string{"carc.50", "rarc.N386", "liability.patient", "97026.ncd_270_6.abn"}},
		{"NCD 270.6 with GA but the payer keeping the liability (CO) is reviewed, never billed",
			denied(Medicare, "50", remarks("N386"), dx("G62.9"), mods("GP", "GA")),
			NonCovered, Review, "97026.ncd_270_6.abn_provider_liable",
			[]string{"NCD 270.6", "G62.9 is peripheral neuropathy", "kept the liability with the provider (CO)", "do not bill the patient for a CO amount"},
			[]string{"carc.50", "rarc.N386", "97026.ncd_270_6.abn", "97026.ncd_270_6.abn_provider_liable"}},
		{"NCD 270.6 without GA is not billed to the patient even when the payer says PR",
			denied(Medicare, "50", dx("E11.42"), patientGroup()),
			NonCovered, WriteOff, "97026.ncd_270_6.no_abn",
			[]string{"though the remittance puts it on the patient"}, nil},
		{"NCD 270.6 on CARC 96 and a code without its dot",
			denied(Medicare, "96", dx("S8182XA")),
			NonCovered, WriteOff, "97026.ncd_270_6.no_abn",
			[]string{"S8182XA is open wound"}, nil},
		{"NCD 270.6 explains a diagnosis-procedure mismatch (CARC 11)",
			denied(Medicare, "11", dx("E11.621")),
			NonCovered, WriteOff, "97026.ncd_270_6.no_abn",
			nil, []string{"carc.11", "97026.modality_confusion", "97026.ncd_270_6.no_abn"}},
		{"an NCD diagnosis after a primary that is not one asks for the pointer to be checked",
			denied(Medicare, "50", remarks("N386"), dx("M54.50", "G62.9")),
			NonCovered, Review, "97026.ncd_270_6.pointer",
			[]string{"G62.9 (peripheral neuropathy) in position 2", "primary diagnosis M54.50 does not", "check the diagnosis pointer",
				"fix the pointer through a reopening", "write off (no GA modifier shows an ABN on file)"}, nil},
		{"a pointer to check with GA bills the patient otherwise",
			denied(Medicare, "50", dx("M25.511", "L89.154"), mods("GP", "GA")),
			NonCovered, Review, "97026.ncd_270_6.pointer",
			[]string{"otherwise bill the patient (GA shows an ABN on file)"}, nil},
		{"a clerical reason is fixed first, with a warning about the NCD",
			denied(Medicare, "4", dx("E11.42"), mods()),
			Modifier, Reopening, "modifier.gp_missing",
			[]string{"add GP", "Note: diagnosis E11.42 (diabetic neuropathy) falls under NCD 270.6", "only with GA"}, nil},
		{"NCD 270.6 is Medicare's: a commercial payer gets the base rules",
			denied(Commercial, "50", dx("E11.42")),
			MedicalNecessity, Appeal, "carc.50", nil, []string{"carc.50"}},
		{"NCD 270.6 is about 97026 only",
			denied(Medicare, "50", remarks("N386"), dx("E11.42"), code("97110")),
			NonCovered, Review, "rarc.N386", nil, []string{"carc.50", "rarc.N386"}},
		{"NCD 270.6 does not override a decisive reason",
			denied(Medicare, "18", dx("E11.42")),
			Duplicate, Review, "duplicate", nil, []string{"carc.18", "duplicate"}},

		// Chiropractors.
		{"a chiropractor's 97026 on Medicare is billed to the patient",
			denied(Medicare, "96", remarks("N425"), taxonomy("111N00000X"), mods()),
			NonCovered, BillPatient, "97026.chiropractor",
			[]string{"chiropractor (taxonomy 111N00000X)", "spinal manipulation", "bill the patient"},
			[]string{"carc.96", "97026.chiropractor"}},
		{"the chiropractor rule beats NCD 270.6 (a statutory exclusion needs no ABN)",
			denied(Medicare, "50", remarks("N386"), dx("E11.42"), taxonomy("111NI0900X")),
			NonCovered, BillPatient, "97026.chiropractor", nil,
			[]string{"carc.50", "rarc.N386", "97026.ncd_270_6.no_abn", "97026.chiropractor"}},
		{"the chiropractor rule beats a missing GP",
			denied(Medicare, "4", taxonomy("111N00000X"), mods()),
			NonCovered, BillPatient, "97026.chiropractor", nil,
			[]string{"carc.4", "modifier.reason", "modifier.gp_missing", "97026.chiropractor"}},
		{"a chiropractor on a commercial payer gets the base rules",
			denied(Commercial, "96", taxonomy("111N00000X")),
			NonCovered, Review, "carc.96", nil, nil},
		{"a chiropractor's eligibility denial is rebilled",
			denied(Medicare, "27", taxonomy("111N00000X")),
			Eligibility, RebillOtherPayer, "carc.27", nil, nil},

		// Modifiers.
		{"a missing GP on Medicare is a reopening",
			denied(Medicare, "4", remarks("N822"), mods()),
			Modifier, Reopening, "modifier.gp_missing",
			[]string{"CO-4", "therapy modifier", "billed with no modifiers", "add GP", "request a reopening (the payer takes no corrected claims)"},
			[]string{"carc.4", "modifier.reason", "modifier.gp_missing"}},
		{"a missing GP explains a CARC 16 that names nothing",
			denied(Medicare, "16", mods("KX")),
			Modifier, Reopening, "modifier.gp_missing", []string{"billed with modifiers KX"}, nil},
		{"a missing GP does not override a remark that names the missing record",
			denied(Medicare, "16", remarks("N465"), mods()),
			Documentation, Reopening, "carc.16", nil, []string{"carc.16"}},
		{"a missing GP does not override medical necessity",
			denied(Medicare, "50", mods()),
			MedicalNecessity, Appeal, "carc.50", nil, nil},
		{"GO is a therapy modifier too",
			denied(Medicare, "4", mods("GO")),
			Modifier, Reopening, "modifier.reason", []string{"CARC 4 says a modifier is missing or invalid", "billed with modifiers GO"}, nil},
		{"adaptive behaviour codes take no therapy modifier",
			denied(Medicare, "4", mods(), code("97153")),
			Modifier, Reopening, "modifier.reason", nil, []string{"carc.4", "modifier.reason"}},
		{"a modifier remark on a commercial payer is a corrected claim",
			denied(Commercial, "16", remarks("N822")),
			Modifier, CorrectedClaim, "modifier.reason",
			[]string{"RARC N822 says a modifier is missing or invalid", "send a corrected claim"},
			[]string{"carc.16", "rarc.N822", "modifier.reason"}},

		// Units.
		{"97026 is one unit per session",
			denied(Medicare, "151", units(2)),
			Frequency, Reopening, "97026.units",
			[]string{"untimed, one unit per session", "2 units were billed", "correct the units to 1", "request a reopening"}, nil},
		{"97026 units on a commercial payer are a corrected claim",
			denied(Commercial, "16", remarks("N362"), units(3)),
			Frequency, CorrectedClaim, "97026.units", []string{"3 units"}, nil},
		{"units over a code's MUE",
			denied(Medicaid, "151", code("97110"), units(6), mue(4)),
			Frequency, CorrectedClaim, "units.mue",
			[]string{"6 units of 97110 exceed its medically unlikely edit of 4", "send a corrected claim"}, nil},
		{"97026's own units rule is more specific than its MUE",
			denied(Medicare, "151", units(2), mue(1)),
			Frequency, Reopening, "97026.units", nil, []string{"carc.151", "units.mue", "97026.units"}},
		{"units within the MUE are not an error",
			denied(Medicare, "151", code("97110"), units(4), mue(4)),
			Frequency, Review, "carc.151", nil, nil},
		{"an unknown MUE never matches",
			denied(Medicare, "151", code("97110"), units(40)),
			Frequency, Review, "carc.151", nil, nil},
		{"extra units do not override medical necessity",
			denied(Medicare, "50", units(2)),
			MedicalNecessity, Appeal, "carc.50", nil, nil},

		// Medicare processing.
		{"MA130 is a new claim, in the category the reason gives",
			denied(Medicare, "16", remarks("MA130", "M51")),
			Coding, NewClaim, "medicare.ma130",
			[]string{"MA130", "unprocessable", "new claim"},
			[]string{"carc.16", "rarc.M51", "97026.modality_confusion", "medicare.ma130"}},
		{"MA130 overrides a decisive reason: an unidentified patient is fixed and sent anew",
			denied(Medicare, "31", remarks("MA130")),
			Eligibility, NewClaim, "medicare.ma130", nil, []string{"carc.31", "medicare.ma130"}},
		{"MA130 is Medicare's",
			denied(MedicareAdvantage, "16", remarks("MA130")),
			Documentation, CorrectedClaim, "carc.16", nil, nil},
		{"CARC 29 on Medicare cannot be appealed",
			denied(Medicare, "29"),
			TimelyFiling, WriteOff, "medicare.carc29",
			[]string{"CARC 29 on Medicare is not an initial determination", "no proof of timely filing", "write off"}, nil},
		{"CARC 29 with proof goes through a reopening",
			denied(Medicare, "29", proof()),
			TimelyFiling, Reopening, "medicare.carc29.proof",
			[]string{"proof of timely filing is recorded", "reopening"}, nil},
		{"CARC 29 elsewhere gets the base rule",
			denied(Commercial, "29"),
			TimelyFiling, Review, "carc.29", nil, nil},

		// Duplicates.
		{"CARC 18 is a duplicate to review",
			denied(Commercial, "18", remarks("N522")),
			Duplicate, Review, "duplicate",
			[]string{"CARC 18 marks it a duplicate", "find the original claim for 97026"},
			[]string{"carc.18", "duplicate"}},
		{"a duplicate remark on CARC 16",
			denied(Medicare, "16", remarks("N111")),
			Duplicate, Review, "duplicate", []string{"RARC N111 marks it a duplicate"}, nil},

		// Bundling.
		{"a bundling denial nothing explains is reviewed",
			denied(Medicare, "97", remarks("M80")),
			Bundling, Review, "bundling.review",
			[]string{"CARC 97 says it was bundled", "no other procedure is recorded on the claim for that day", "look up the pair"}, nil},
		{"a bundling denial with no edit on file",
			denied(Medicare, "234", others("97110")),
			Bundling, Review, "bundling.review", []string{"no NCCI edit on file pairs 97026 with 97110"}, nil},
		{"an NCCI pair with indicator 1 and no bypass modifier",
			denied(Medicare, "97", others("97140"), edits(PairEdit{"97140", "97026", 1})),
			Bundling, Reopening, "bundling.bypass",
			[]string{"NCCI edit 97140/97026 (column 1/column 2, modifier indicator 1)", "59, XE, XS, XP, XU",
				"only when the note documents a separate area or session", "request a reopening"},
			[]string{"carc.97", "bundling.review", "bundling.bypass"}},
		{"an NCCI pair with indicator 1 on a commercial payer",
			denied(Commercial, "236", others("97140"), edits(PairEdit{"97140", "97026", 1})),
			Bundling, CorrectedClaim, "bundling.bypass", []string{"send a corrected claim"}, nil},
		{"an NCCI pair already bypassed is reviewed",
			denied(Medicare, "97", mods("GP", "59"), others("97140"), edits(PairEdit{"97140", "97026", 1})),
			Bundling, Review, "bundling.review", []string{"already carries 59"}, nil},
		{"an NCCI pair with indicator 0 cannot be bypassed",
			denied(Medicare, "97", others("97140"), edits(PairEdit{"97140", "97026", 0})),
			Bundling, WriteOff, "bundling.ncci_0",
			[]string{"97140/97026 (column 1/column 2, modifier indicator 0)", "no modifier can bypass it", "write off"}, nil},
		{"indicator 0 beats indicator 1",
			denied(Medicare, "97", others("97140", "97530"), edits(PairEdit{"97140", "97026", 1}, PairEdit{"97530", "97026", 0})),
			Bundling, WriteOff, "bundling.ncci_0", nil, []string{"carc.97", "bundling.review", "bundling.bypass", "bundling.ncci_0"}},
		{"a pair where the line is column 1 does not explain the denial",
			denied(Medicare, "97", others("97140"), edits(PairEdit{"97026", "97140", 1})),
			Bundling, Review, "bundling.review", []string{"makes 97026 the payable column 1 code"}, nil},
		{"a pair whose other code was not billed is ignored",
			denied(Medicare, "97", others("97110"), edits(PairEdit{"97140", "97026", 0})),
			Bundling, Review, "bundling.review", nil, nil},
		{"a pair with indicator 9 does not apply",
			denied(Medicare, "97", others("97140"), edits(PairEdit{"97140", "97026", 9})),
			Bundling, Review, "bundling.review", []string{"does not apply (indicator 9)"}, nil},
		{"97010 on Medicare is never paid separately",
			denied(Medicare, "97", code("97010"), others("97110"), edits(PairEdit{"97110", "97010", 0})),
			Bundling, WriteOff, "bundling.never_paid",
			[]string{"Medicare never pays 97010 separately", "status B", "write off"},
			[]string{"carc.97", "bundling.review", "bundling.ncci_0", "bundling.never_paid"}},
		{"97010 on a commercial payer is reviewed",
			denied(Commercial, "97", code("97010")),
			Bundling, Review, "bundling.review", nil, nil},

		// Experimental.
		{"experimental on a commercial payer is appealed after reading the policy",
			denied(Commercial, "55", dx("M54.50", "M62.830")),
			Experimental, Appeal, "experimental.payer_policy",
			[]string{"CARC 55", "commercial payer's medical policy", "appeal only if the indication (diagnosis M54.50, M62.830) is outside the exclusion"}, nil},
		{"an experimental remark on a medical necessity denial",
			denied(Commercial, "50", remarks("N623")),
			Experimental, Appeal, "experimental.payer_policy", []string{"RARC N623"},
			[]string{"carc.50", "rarc.N623", "experimental.payer_policy"}},
		{"experimental on Medicare gets the base rule",
			denied(Medicare, "55"),
			Experimental, Appeal, "carc.55", nil, nil},

		// Wrong code.
		{"a wrong-code denial of 97026 names the neighbours",
			denied(Commercial, "189"),
			Coding, CorrectedClaim, "97026.modality_confusion",
			[]string{"CARC 189", "infrared (97026, supervised, one unit per session)", "97010, 97012, 97014, 97016, 97018, 97022, 97024, 97028, 97032, 97033, 97034, 97035, 97039",
				"low-level laser is not infrared", "send a corrected claim"}, nil},
		{"a wrong-code remark on Medicare",
			denied(Medicare, "16", remarks("N657")),
			Coding, Reopening, "97026.modality_confusion", []string{"RARC N657", "request a reopening"}, nil},
		{"a wrong-code denial of another code gets the base rule",
			denied(Commercial, "189", code("97035")),
			Coding, CorrectedClaim, "carc.189", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := Triage(tt.line, DefaultPolicy(tt.line.PayerKind))
			require.Equal(t, tt.rule, d.Rule, d.Rationale)
			require.Equal(t, tt.category, d.Category, d.Rationale)
			require.Equal(t, tt.action, d.Action, d.Rationale)
			for _, p := range tt.phrases {
				require.Contains(t, d.Rationale, p)
			}
			require.NotContains(t, d.Rationale, "{", "every placeholder is filled")
			if tt.matched != nil {
				require.Equal(t, tt.matched, matchedRules(d))
			}
			last := d.Matched[len(d.Matched)-1]
			require.Equal(t, d.Rule, last.Rule, "the deciding rule is the last matched")
			require.Equal(t, Match{Rule: d.Rule, Category: d.Category, Action: d.Action, Rationale: d.Rationale}, last)
		})
	}
}

func TestPackDeadlines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line Line
		want []DeadlineKind
	}{
		// CARC 29 is not an initial determination: no appeal clock, with or without proof.
		{denied(Medicare, "29"), []DeadlineKind{DeadlineReopening}},
		{denied(Medicare, "29", proof()), []DeadlineKind{DeadlineReopening}},
		// NCD 270.6 keeps the reopening open for a mis-linked pointer.
		{denied(Medicare, "50", dx("E11.42")), []DeadlineKind{DeadlineReopening, DeadlineAppeal1}},
		{denied(Medicare, "50", dx("E11.42"), mods("GA")), []DeadlineKind{DeadlineReopening, DeadlineAppeal1}},
		{denied(Medicare, "50", dx("M54.50", "E11.42")), []DeadlineKind{DeadlineReopening, DeadlineAppeal1}},
		// Otherwise the action's clocks.
		{denied(Medicare, "16", remarks("MA130")), []DeadlineKind{DeadlineTimelyFiling}},
		{denied(Medicare, "4", mods()), []DeadlineKind{DeadlineReopening, DeadlineAppeal1}},
		{denied(Commercial, "97", others("97140"), edits(PairEdit{"97140", "97026", 1})), []DeadlineKind{DeadlineCorrectedClaim}},
	}
	for _, tt := range tests {
		d := Triage(tt.line, DefaultPolicy(tt.line.PayerKind))
		require.Equal(t, tt.want, d.Deadlines, d.Rule)
	}

	// The clock CARC 29 carries on Medicare is the reopening year from the remittance.
	p := DefaultPolicy(Medicare)
	d := Triage(denied(Medicare, "29", proof()), p)
	dls := p.Deadlines(d.Deadlines, Dates{Service: Date(2026, 1, 5), Remit: Date(2026, 3, 10)})
	require.Len(t, dls, 1)
	require.Equal(t, DeadlineReopening, dls[0].Kind)
	require.Equal(t, Date(2027, 3, 10), dls[0].Due)
	require.False(t, dls[0].Kind.IsAppeal())
}

func TestPackPrecedence(t *testing.T) {
	t.Parallel()

	// The pack is listed in precedence order, ids unique, above every base rule.
	seen := map[string]bool{}
	for i, r := range pack {
		require.False(t, seen[r.id], "%s listed twice", r.id)
		seen[r.id] = true
		if i > 0 {
			require.Greater(t, r.precedence, pack[i-1].precedence, r.id)
		}
		require.Greater(t, r.precedence, 3, "pack rules come after the base rules")
	}

	tests := []struct {
		name    string
		line    Line
		matched []string
	}{
		{"NCD 270.6 beats a missing GP on a generic denial",
			denied(Medicare, "A1", mods(), dx("E11.42")),
			[]string{"carc.A1", "modifier.gp_missing", "97026.ncd_270_6.no_abn"}},
		{"MA130 beats the modifier rules: an unprocessable claim cannot be reopened",
			denied(Medicare, "4", mods(), remarks("MA130")),
			[]string{"carc.4", "rarc.MA130", "modifier.reason", "medicare.ma130"}},
		{"CARC 29 beats MA130: a new claim would be late too",
			denied(Medicare, "29", remarks("MA130"), proof()),
			[]string{"carc.29", "medicare.ma130", "medicare.carc29.proof"}},
		{"units beat a missing GP when the reason names neither",
			denied(Medicare, "A1", mods(), units(2)),
			[]string{"carc.A1", "modifier.gp_missing", "97026.units"}},
		{"a bare CARC 16 is read as the missing GP",
			denied(Medicare, "16", mods()),
			[]string{"carc.16", "modifier.gp_missing"}},
		{"the chiropractor beats everything it meets",
			denied(Medicare, "A1", mods(), units(2), dx("E11.42"), taxonomy("111N00000X")),
			[]string{"carc.A1", "modifier.gp_missing", "97026.units", "97026.ncd_270_6.no_abn", "97026.chiropractor"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := Triage(tt.line, DefaultPolicy(tt.line.PayerKind))
			require.Equal(t, tt.matched, matchedRules(d))
			require.Equal(t, tt.matched[len(tt.matched)-1], d.Rule)
		})
	}
}

func TestNCD2706Families(t *testing.T) {
	t.Parallel()
	in := map[string]string{
		"E11.42": "diabetic neuropathy", "E1142": "diabetic neuropathy", "e11.40": "diabetic neuropathy",
		" E08.40 ": "diabetic neuropathy", "E09.41": "diabetic neuropathy", "E10.44": "diabetic neuropathy", "E13.49": "diabetic neuropathy",
		"G60.0": "peripheral neuropathy", "G61.0": "peripheral neuropathy", "G62.9": "peripheral neuropathy", "G629": "peripheral neuropathy",
		"G63": "peripheral neuropathy", "G64": "peripheral neuropathy", "G90.01": "peripheral neuropathy", "G9009": "peripheral neuropathy",
		"G56.01": "mononeuropathy of a limb", "G57.11": "mononeuropathy of a limb", "G58.9": "mononeuropathy of a limb",
		"L89.154": "skin ulcer", "L97.412": "skin ulcer", "L97412": "skin ulcer", "L98.41": "skin ulcer", "L98.499": "skin ulcer",
		"E08.621": "skin ulcer", "E10.622": "skin ulcer", "E11.621": "skin ulcer", "E13621": "skin ulcer", "E09.622": "skin ulcer",
		"I70.234": "skin ulcer", "I70.245": "skin ulcer", "I70.25": "skin ulcer", "I70.261": "skin ulcer",
		"I83.009": "skin ulcer", "I83.229": "skin ulcer",
		"S01.01XA": "open wound", "S11.10XA": "open wound", "S21.1": "open wound", "S31.000A": "open wound", "S41.0": "open wound",
		"S51.8": "open wound", "S61.2": "open wound", "S71.1": "open wound", "S81.812A": "open wound", "S91.3": "open wound",
	}
	for code, family := range in {
		f, ok := NCD2706Family(code)
		require.True(t, ok, code)
		require.Equal(t, family, f.Family, code)
	}

	// Near misses: neighbouring categories and subcategories the NCD does not name.
	for _, code := range []string{
		"G55", "G55.1", "G65.0", "G90.1", "G90.A", "G54.0",
		"L98.3", "L98.8",
		"E11.3", "E11.51", "E11.62", "E11.628", "E11.9", "E12.4", "E14.4", "E11.5",
		"I70.22", "I70.2", "I70.27", "I70.3", "I83.1", "I83.9",
		"S00.0", "S02.0", "S10", "S92.0", "M54.50", "M25.511", "", "E1", "G6",
	} {
		_, ok := NCD2706Family(code)
		require.False(t, ok, code)
	}
	for _, code := range []string{"L89", "S81"} {
		_, ok := NCD2706Family(code)
		require.True(t, ok, "a bare category %s is in its family", code)
	}

	// Every family of 97026.md is in the table, and E12 (which does not exist) is not.
	require.Len(t, NCD2706Families(), 43)
	for _, f := range NCD2706Families() {
		require.NotContains(t, f.Prefix, "E12")
	}
}

func TestReferenceTables(t *testing.T) {
	t.Parallel()
	require.True(t, NeverPaidSeparately("97010"))
	require.True(t, NeverPaidSeparately(" 97010 "))
	require.False(t, NeverPaidSeparately("97026"))

	n := Neighbours()
	codes := make([]string, len(n))
	for i, m := range n {
		codes[i] = m.Code
	}
	require.Equal(t, []string{"97010", "97012", "97014", "97016", "97018", "97022", "97024", "97028",
		"97032", "97033", "97034", "97035", "97039"}, codes)
	require.Equal(t, Modality{Code: "97035", Timing: "timed", Meaning: "Ultrasound"}, n[11])

	for _, c := range []string{"97026", "97110", "97530", "97597", "97150"} {
		require.True(t, isTherapyCode(c), c)
	}
	for _, c := range []string{"97151", "97158", "97802", "98940", "99213", "9702", "G0283", "9702A"} {
		require.False(t, isTherapyCode(c), c)
	}
}

func TestExpand(t *testing.T) {
	t.Parallel()
	lookup := func(name string) (string, bool) {
		v, ok := map[string]string{"a": "1", "b": "two"}[name]
		return v, ok
	}
	require.Equal(t, "1 and two, {c} stays", expand("{a} and {b}, {c} stays", lookup))
	require.Equal(t, "unclosed {a", expand("unclosed {a", lookup))
	require.Equal(t, []string{"a", "b"}, placeholders("{a}{b} {a}"))
}

// BenchmarkTriage is one decision through the base rules and the whole pack: an NCD 270.6
// line with edits to look through, the busiest path.
func BenchmarkTriage(b *testing.B) {
	l := denied(Medicare, "50", remarks("MA01", "N386"), dx("M54.50", "E11.42", "L97.412"), mods("GP", "GA"),
		others("97110", "97140"), edits(PairEdit{"97140", "97026", 1}), mue(1))
	p := DefaultPolicy(Medicare)
	for b.Loop() {
		Triage(l, p)
	}
}
