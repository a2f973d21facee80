package rules

import (
	"slices"
	"strings"
)

// RuleInfo describes one rule for people: what it matches, what it decides and the
// sentence it writes. A manager reads the list at GET /v1/rules.
type RuleInfo struct {
	// ID is the rule id a decision records. A family of rules, one per code of a table,
	// has one entry whose id ends in "<code>" (carc.<code>, rarc.<code>).
	ID string `json:"id"`
	// Kind is "base" for the CARC/RARC table rules and "pack" for the 97026 and payer rule
	// pack that refines them.
	Kind string `json:"kind"`
	// Precedence orders the rules: when several match a line, every one is recorded and
	// the highest decides. Base rules that close a line (line.*) never meet another rule.
	Precedence int `json:"precedence"`
	// PayerKinds are the payer kinds the rule applies to; empty for every kind.
	PayerKinds []PayerKind `json:"payer_kinds,omitempty"`
	// CARCs and RARCs are the reason codes that trigger a pack rule, if codes do.
	CARCs   []string `json:"carcs,omitempty"`
	RARCs   []string `json:"rarcs,omitempty"`
	Matches string   `json:"matches"`
	// Category is the category the rule decides; empty when it keeps the one the reason
	// gives or depends on the code.
	Category Category `json:"category,omitempty"`
	// Actions are the actions the rule may decide: two where the fix goes as a reopening
	// or a corrected claim depending on the payer, empty when it depends on the category.
	Actions []Action `json:"actions,omitempty"`
	Outcome string   `json:"outcome"`
	// Deadlines are the clocks the rule puts on a denial, when it sets them itself rather
	// than taking its action's.
	Deadlines []DeadlineKind `json:"deadlines,omitempty"`
	// Rationale is the sentence the rule writes, with the facts it names in {braces}.
	Rationale string `json:"rationale"`
	// Facts lists the facts the rationale names.
	Facts []string `json:"facts"`
}

// The family ids of the base rules read from the code tables.
const (
	carcFamily = "carc.<code>"
	rarcFamily = "rarc.<code>"
)

// baseRules are the rules of Triage's steps 1 to 3, written out for the catalog. Their
// rationales are built in triage.go; tests hold the two together.
var baseRules = []RuleInfo{
	{
		ID: "line.patient_responsibility", Precedence: 0,
		Matches:   "A line whose only adjustments are cost sharing (PR 1, 2, 3) and contractual amounts, with at least one cost-sharing amount.",
		Category:  PatientResponsibility,
		Actions:   []Action{None},
		Outcome:   "patient responsibility; nothing to do, closed",
		Rationale: "Only cost sharing on this line ({amount} of {billed} billed, largest {group}-{carc}): the patient owes it; not a denial.",
	},
	{
		ID: "line.contractual", Precedence: 0,
		Matches:   "A line whose only adjustments are contractual amounts (CO 45, 253 and the like).",
		Category:  Contractual,
		Actions:   []Action{None},
		Outcome:   "contractual adjustment; nothing to do, closed",
		Rationale: "Only contractual adjustments on this line ({amount} of {billed} billed, largest {group}-{carc}): not a denial.",
	},
	{
		ID: "line.paid_in_full", Precedence: 0,
		Matches:   "A line with no adjustment, paid at least what was billed.",
		Category:  Contractual,
		Actions:   []Action{None},
		Outcome:   "contractual adjustment; nothing to do, closed",
		Rationale: "Paid {paid} of {billed} billed with no adjustment: not a denial.",
	},
	{
		ID: "line.unexplained", Precedence: 0,
		Matches:   "A line with no adjustment that was paid less than billed.",
		Category:  Other,
		Actions:   []Action{Review},
		Outcome:   "other; review the remittance",
		Rationale: "{denied} of {billed} billed is unpaid and no adjustment says why: review the remittance before choosing.",
	},
	{
		ID: carcFamily, Precedence: 1,
		Matches:   "The denial reason: the largest CO, PI or OA adjustment that is not contractual or cost sharing (or, with none, the largest PR one); its CARC is in data/carc.csv.",
		Outcome:   "the CARC's base category and that category's default action (SPEC §4)",
		Rationale: "{reason}: {category}{outcome}",
	},
	{
		ID: "carc.unknown", Precedence: 1,
		Matches:   "The denial reason's CARC is not in data/carc.csv.",
		Category:  Other,
		Actions:   []Action{Review},
		Outcome:   "other; review",
		Rationale: "{reason}: {category}{outcome}",
	},
	{
		ID: rarcFamily, Precedence: 2,
		Matches:   "The first remark (data/rarc.csv) that refines the denial to another category (never to contractual or cost sharing: only adjustments close a line), unless the CARC is decisive (timely filing, duplicate, eligibility, coordination of benefits, authorization).",
		Outcome:   "the remark's category and that category's default action",
		Rationale: "{reason}; RARC {remark} ({remark_meaning}) makes it {category}{outcome}",
	},
	{
		ID: "liability.patient", Precedence: 3,
		Matches:   "A denied amount the payer moved onto the patient (PR with a reason other than deductible, coinsurance or co-payment) and no CO, PI or OA denial.",
		Actions:   []Action{BillPatient},
		Outcome:   "the reason's category; bill the patient",
		Rationale: "{reason}: the payer made the patient liable for it, so bill the patient.",
	},
}

// Catalog lists every rule Triage can decide by, the base rules first and then the pack,
// in precedence order.
func Catalog() []RuleInfo {
	out := make([]RuleInfo, 0, len(baseRules)+len(pack))
	for _, r := range baseRules {
		r.Kind = "base"
		r.Actions = slices.Clone(r.Actions)
		r.Facts = placeholders(r.Rationale)
		out = append(out, r)
	}
	for _, r := range pack {
		out = append(out, r.info())
	}
	slices.SortStableFunc(out, func(a, b RuleInfo) int { return a.Precedence - b.Precedence })
	return out
}

func (r *packRule) info() RuleInfo {
	ri := RuleInfo{
		ID: r.id, Kind: "pack", Precedence: r.precedence,
		PayerKinds: slices.Clone(r.payerKinds),
		CARCs:      slices.Clone(r.carcs), RARCs: slices.Clone(r.rarcs),
		Matches: r.matches, Category: r.category, Outcome: r.outcome,
		Deadlines: slices.Clone(r.deadlines),
		Rationale: r.rationale, Facts: placeholders(r.rationale),
	}
	if r.action == claimFix {
		ri.Actions = []Action{Reopening, CorrectedClaim}
	} else {
		ri.Actions = []Action{r.action}
	}
	return ri
}

// catalogIndex holds the catalog by id, built once: the rules are fixed at build time.
var catalogIndex = func() map[string]RuleInfo {
	m := map[string]RuleInfo{}
	for _, r := range Catalog() {
		m[r.ID] = r
	}
	return m
}()

// CatalogEntry finds the catalog entry of a rule id a decision recorded: carc.50 is
// explained by the carc.<code> family, 97026.units by its own entry.
func CatalogEntry(id string) (RuleInfo, bool) {
	want := id
	switch {
	case id == "carc.unknown":
	case strings.HasPrefix(id, "carc."):
		if _, ok := CARC(strings.TrimPrefix(id, "carc.")); ok {
			want = carcFamily
		}
	case strings.HasPrefix(id, "rarc."):
		if _, ok := RARC(strings.TrimPrefix(id, "rarc.")); ok {
			want = rarcFamily
		}
	}
	r, ok := catalogIndex[want]
	if !ok {
		return RuleInfo{}, false
	}
	// Callers get their own slices: the index is shared.
	r.PayerKinds, r.CARCs, r.RARCs = slices.Clone(r.PayerKinds), slices.Clone(r.CARCs), slices.Clone(r.RARCs)
	r.Actions, r.Deadlines, r.Facts = slices.Clone(r.Actions), slices.Clone(r.Deadlines), slices.Clone(r.Facts)
	return r, true
}
