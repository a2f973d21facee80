package rules

import (
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// templateRegexp turns a catalog rationale into a pattern the rationale Triage writes must
// match: the words as they are, each {fact} as any text, and the NCD 270.6 note a clerical
// rule may end with.
func templateRegexp(tmpl string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`(?s)^`)
	for {
		open := strings.IndexByte(tmpl, '{')
		end := strings.IndexByte(tmpl, '}')
		if open < 0 || end < open {
			break
		}
		b.WriteString(regexp.QuoteMeta(tmpl[:open]))
		b.WriteString(`.*?`)
		tmpl = tmpl[end+1:]
	}
	b.WriteString(regexp.QuoteMeta(tmpl))
	b.WriteString(`( Note: diagnosis .* falls under NCD 270\.6; .*)?$`)
	return regexp.MustCompile(b.String())
}

// gridProfiles are the line facts the grid crosses with every payer kind, CARC and RARC:
// each one is what some pack rule looks at.
var gridProfiles = []func(*Line){
	func(*Line) {}, // a physical therapist's 97026 with GP for back pain
	mods(),
	func(l *Line) { mods("GA")(l); dx("E11.42")(l) },
	func(l *Line) { mods("GZ")(l); dx("L97.412")(l) },
	dx("M54.50", "G62.9"),
	taxonomy("111N00000X"),
	func(l *Line) { units(2)(l); mue(1)(l) },
	func(l *Line) { code("97110")(l); units(6)(l); mue(4)(l); mods()(l) },
	func(l *Line) { code("97010")(l); others("97110")(l); edits(PairEdit{"97110", "97010", 0})(l) },
	func(l *Line) { others("97140")(l); edits(PairEdit{"97140", "97026", 1})(l) },
	func(l *Line) { mods("GP", "59")(l); others("97140")(l); edits(PairEdit{"97140", "97026", 1})(l) },
	func(l *Line) { others("97140")(l); edits(PairEdit{"97026", "97140", 1})(l) },
	proof(),
	func(l *Line) { code("97153")(l); mods()(l) },
}

// gridLines is every line of the grid for one payer kind.
func gridLines(kind PayerKind) []Line {
	reasons := append(slices.Sorted(maps.Keys(carcs)), "Z9")
	remarkSets := [][]string{nil}
	for _, r := range slices.Sorted(maps.Keys(rarcs)) {
		remarkSets = append(remarkSets, []string{r})
	}
	var out []Line
	for _, profile := range gridProfiles {
		for _, reason := range reasons {
			for _, rems := range remarkSets {
				out = append(out, denied(kind, reason, remarks(rems...), profile))
			}
			out = append(out, denied(kind, reason, patientGroup(), profile))
		}
	}
	// Lines that are not denials.
	closed := []Line{
		{PayerKind: kind, ProcedureCode: Code97026, BilledCents: 3000, PaidCents: 2600, Adjustments: []Adjustment{adj(GroupPatient, "1", 400)}},
		{PayerKind: kind, ProcedureCode: Code97026, BilledCents: 3000, PaidCents: 2000, Adjustments: []Adjustment{adj(GroupContractual, "45", 1000)}},
		{PayerKind: kind, ProcedureCode: Code97026, BilledCents: 3000, PaidCents: 3000},
		{PayerKind: kind, ProcedureCode: Code97026, BilledCents: 3000, PaidCents: 1000},
	}
	return append(out, closed...)
}

func TestCatalogCoversEveryDecision(t *testing.T) {
	t.Parallel()

	catalog := Catalog()
	patterns := make(map[string]*regexp.Regexp, len(catalog))
	precedence := make(map[string]int, len(catalog))
	for _, r := range catalog {
		patterns[r.ID] = templateRegexp(r.Rationale)
		precedence[r.ID] = r.Precedence
	}

	seen := make([]map[string]int, len(PayerKinds))
	t.Run("grid", func(t *testing.T) {
		for i, kind := range PayerKinds {
			seen[i] = map[string]int{}
			t.Run(string(kind), func(t *testing.T) {
				t.Parallel()
				p := DefaultPolicy(kind)
				// The grid is a third of a million decisions: the checks are plain
				// conditions, and require reports the first one that fails.
				for _, l := range gridLines(kind) {
					d := Triage(l, p)
					if msg := checkDecision(d, p, kind, patterns, seen[i]); msg != "" {
						require.Fail(t, msg, "line %+v\ndecision %+v", l, d)
					}
				}
			})
		}
	})

	// And the other way round: the catalog lists nothing Triage never decides by.
	all := map[string]int{}
	for _, s := range seen {
		for id, n := range s {
			all[id] += n
		}
	}
	for _, r := range catalog {
		require.Positive(t, all[r.ID], "catalog rule %s never matched in the grid", r.ID)
	}
}

// checkDecision says what is wrong with a decision the grid made, or "" when nothing is,
// and counts the catalog entries it matched in seen. Each rule's rationale is held to its
// catalog template on its first 100 decisions: matching all of them would triple the
// grid's time and find nothing more.
func checkDecision(d Decision, p Policy, kind PayerKind, patterns map[string]*regexp.Regexp, seen map[string]int) string {
	switch {
	case !d.Category.Valid() || !d.Action.Valid():
		return "invalid category or action"
	case len(d.Matched) == 0 || d.Rule != d.Matched[len(d.Matched)-1].Rule:
		return "the deciding rule is not the last matched"
	case d.Workable() != (len(d.Deadlines) > 0):
		return "a workable denial carries a clock, a closed line none"
	case d.Action == CorrectedClaim && !p.CorrectedClaims:
		return "a corrected claim for a payer that takes none"
	}
	last := -1
	for _, m := range d.Matched {
		entry, ok := CatalogEntry(m.Rule)
		if !ok {
			return "rule " + m.Rule + " is not in the catalog"
		}
		seen[entry.ID]++
		if entry.Precedence <= last {
			return "matched out of precedence order"
		}
		last = entry.Precedence
		if strings.Contains(m.Rationale, "{") || seen[entry.ID] <= 100 && !patterns[entry.ID].MatchString(m.Rationale) {
			return m.Rule + " does not write what its catalog entry says: " + m.Rationale
		}
	}
	entry, _ := CatalogEntry(d.Rule)
	switch {
	case entry.Category != "" && entry.Category != d.Category:
		return "the category is not the catalog's"
	case len(entry.Actions) > 0 && !slices.Contains(entry.Actions, d.Action):
		return "the action is not among the catalog's"
	case len(entry.Deadlines) > 0 && !slices.Equal(entry.Deadlines, d.Deadlines):
		return "the deadlines are not the catalog's"
	case len(entry.PayerKinds) > 0 && !slices.Contains(entry.PayerKinds, kind):
		return "the rule does not apply to this payer kind"
	}
	return ""
}

func TestCatalog(t *testing.T) {
	t.Parallel()
	catalog := Catalog()

	ids := map[string]bool{}
	last := -1
	for _, r := range catalog {
		require.False(t, ids[r.ID], "%s listed twice", r.ID)
		ids[r.ID] = true
		require.GreaterOrEqual(t, r.Precedence, last, "listed in precedence order")
		last = r.Precedence
		require.Contains(t, []string{"base", "pack"}, r.Kind)
		require.NotEmpty(t, r.Matches, r.ID)
		require.NotEmpty(t, r.Outcome, r.ID)
		require.NotEmpty(t, r.Rationale, r.ID)
		require.Equal(t, placeholders(r.Rationale), r.Facts, r.ID)
		for _, a := range r.Actions {
			require.True(t, a.Valid(), "%s: %s", r.ID, a)
		}
		if r.Category != "" {
			require.True(t, r.Category.Valid(), r.ID)
		}
	}
	for _, id := range []string{
		"carc.<code>", "rarc.<code>", "carc.unknown", "liability.patient", "line.patient_responsibility",
		"line.contractual", "line.paid_in_full", "line.unexplained",
		"97026.ncd_270_6.abn", "97026.ncd_270_6.no_abn", "97026.ncd_270_6.pointer", "97026.chiropractor",
		"97026.ncd_270_6.abn_provider_liable", "modifier.gp_missing", "modifier.reason", "97026.units", "units.mue", "medicare.ma130", "medicare.carc29",
		"medicare.carc29.proof", "duplicate", "bundling.bypass", "bundling.never_paid", "bundling.ncci_0",
		"bundling.review", "experimental.payer_policy", "97026.modality_confusion",
	} {
		require.True(t, ids[id], "the catalog lists %s", id)
	}

	// Every fact a pack rule names is one the pack knows.
	s := newSubject(denied(Medicare, "50", dx("E11.42")), DefaultPolicy(Medicare), Decision{})
	for _, r := range pack {
		s.rule = r
		for _, f := range placeholders(r.rationale) {
			_, ok := s.fact(f)
			require.True(t, ok, "%s names the unknown fact {%s}", r.id, f)
		}
	}

	entry, ok := CatalogEntry("carc.50")
	require.True(t, ok)
	require.Equal(t, "carc.<code>", entry.ID)
	entry, ok = CatalogEntry("rarc.N386")
	require.True(t, ok)
	require.Equal(t, "rarc.<code>", entry.ID)
	_, ok = CatalogEntry("carc.Z9")
	require.False(t, ok, "a CARC Reclaim does not know decides as carc.unknown, never carc.Z9")
	entry, ok = CatalogEntry("97026.ncd_270_6.abn")
	require.True(t, ok)
	require.Equal(t, []Action{BillPatient}, entry.Actions)
	require.Equal(t, []PayerKind{Medicare}, entry.PayerKinds)
	entry, _ = CatalogEntry("modifier.reason")
	require.Equal(t, []Action{Reopening, CorrectedClaim}, entry.Actions)
	require.Equal(t, []string{"4", "182"}, entry.CARCs)
}

func TestCatalogJSON(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(Catalog())
	require.NoError(t, err)
	var rules []map[string]any
	require.NoError(t, json.Unmarshal(b, &rules))
	snake := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	keys := map[string]bool{}
	for _, r := range rules {
		for k := range r {
			require.Regexp(t, snake, k)
			keys[k] = true
		}
	}
	for _, k := range []string{"id", "kind", "precedence", "payer_kinds", "carcs", "rarcs", "matches", "category",
		"actions", "outcome", "deadlines", "rationale", "facts"} {
		require.True(t, keys[k], "some rule has %s", k)
	}

	var ncd RuleInfo
	for _, r := range Catalog() {
		if r.ID == "97026.ncd_270_6.no_abn" {
			ncd = r
		}
	}
	b, err = json.Marshal(ncd)
	require.NoError(t, err)
	require.Contains(t, string(b), `"deadlines":["reopening","appeal_1"]`)
	require.Contains(t, string(b), `"facts":["reason","procedure","diagnosis","ncd_family","abn"]`)
}
