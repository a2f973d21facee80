package rules

import (
	"fmt"
	"slices"
)

// Line is what the rules know of a denied service line.
type Line struct {
	PayerKind     PayerKind
	ProcedureCode string
	Modifiers     []string
	Units         int
	// DiagnosisCodes are the ICD-10-CM codes the line points to, in pointer order: the
	// first is primary. With or without the dot.
	DiagnosisCodes []string
	// ProviderTaxonomy is the rendering provider's taxonomy code (111N… chiropractor).
	ProviderTaxonomy string
	BilledCents      int64
	PaidCents        int64
	Adjustments      []Adjustment
	Remarks          []string // RARCs

	// OtherProcedures are the other procedure codes billed on the same claim for the same
	// date of service; empty when there are none or they are not known.
	OtherProcedures []string
	// Edits are the NCCI procedure-to-procedure edits in force on the date of service that
	// pair this line's code with one of OtherProcedures, as loaded from CMS's quarterly
	// files. The rules never hold NCCI pairs themselves: they change every quarter.
	Edits []PairEdit
	// MUE is the medically unlikely edit of the line's code: the units CMS allows a day.
	// Zero when unknown, which never matches.
	MUE int
	// TimelyFilingProof says proof of timely filing is recorded for the line (a clearing
	// house acceptance report, say), which turns a Medicare CARC 29 write-off into a
	// reopening.
	TimelyFilingProof bool
}

// Decision is what triage concluded about a line.
type Decision struct {
	Category Category
	Action   Action
	// Rule is the id of the rule that decided; Rationale says why in a sentence a
	// specialist can read, naming the facts used.
	Rule      string
	Rationale string
	// Reason is the adjustment read as the denial reason; zero when nothing on the line
	// is a denial.
	Reason Adjustment
	// DeniedCents is the sum of the line's denial adjustments.
	DeniedCents int64
	// Deadlines are the clocks the action puts on the denial.
	// It is usually DeadlineKindsFor(Action); a rule may ask for other clocks (CARC 29 on
	// Medicare cannot be appealed, so it carries the reopening clock only).
	Deadlines []DeadlineKind
	// Matched is every rule that matched: the base CARC and RARC rules first, then the
	// pack's rules from the most general to the one that decided, which is last.
	Matched []Match
}

// Workable reports whether the decision leaves work to do.
func (d Decision) Workable() bool { return d.Action != None }

// Match records one rule that matched a line and what it would have decided.
type Match struct {
	Rule      string   `json:"rule"`
	Category  Category `json:"category"`
	Action    Action   `json:"action"`
	Rationale string   `json:"rationale"`
}

// Triage decides a line's category and action under a payer's policy (SPEC §4):
//
//  1. The denial reason is the largest adjustment in groups CO, PI and OA that is not a
//     contractual or cost-sharing amount. A line with none is patient responsibility or
//     contractual, with nothing to do, unless the payer moved a denied amount onto the
//     patient (PR with a reason other than deductible, coinsurance or co-payment), which is
//     a denial whose action is to bill the patient.
//  2. The reason's CARC gives the base category; the first remark whose RARC refines to
//     another category overrides it, unless the CARC already states the payer's decision
//     itself (timely filing, duplicate, eligibility, coordination of benefits,
//     authorization), which a remark only explains.
//  3. The category gives the default action; a fix to a processed claim is a reopening
//     for a payer that takes no corrected claims (Medicare) and a corrected claim elsewhere.
//  4. The rule pack for 97026 and the payer kind then refines the decision (pack.go; the
//     rules and their precedence are listed by [Catalog]). Every pack rule that matches
//     is recorded in Matched, from the most general to the most specific, and the most
//     specific decides.
func Triage(l Line, p Policy) Decision {
	var d Decision
	denials, patientLiable, costSharing, contractual := sortAdjustments(l.Adjustments)
	switch {
	case len(denials) > 0:
		d.Reason = largest(denials)
		d.DeniedCents = sum(denials)
	case len(patientLiable) > 0:
		d.Reason = largest(patientLiable)
		d.DeniedCents = sum(patientLiable)
	default:
		d = closedLine(l, costSharing, contractual)
		d.Matched = []Match{d.match()}
		return d
	}

	carc, known := CARC(d.Reason.Reason)
	d.Category, d.Rule = carc.Category, "carc."+carc.Code
	if !known {
		d.Category, d.Rule = Other, "carc.unknown"
	}
	d.Action = defaultAction(d.Category, p)
	d.Rationale = reasonSentence(l, d) + ": " + d.Category.Label() + outcomeClause(d, p)
	d.Matched = append(d.Matched, d.match())

	if refine, ok := refinement(l.Remarks, d.Category); ok {
		d.Category, d.Rule = refine.Category, "rarc."+refine.Code
		d.Action = defaultAction(d.Category, p)
		d.Rationale = fmt.Sprintf("%s; RARC %s (%s) makes it %s%s",
			reasonSentence(l, d), refine.Code, lowerFirst(refine.Meaning), d.Category.Label(), outcomeClause(d, p))
		d.Matched = append(d.Matched, d.match())
	}

	if len(patientLiable) > 0 && len(denials) == 0 {
		d.Action, d.Rule = BillPatient, "liability.patient"
		d.Rationale = fmt.Sprintf("%s: the payer made the patient liable for it, so bill the patient.", reasonSentence(l, d))
		d.Matched = append(d.Matched, d.match())
	}

	d.Deadlines = applyPack(&d, l, p)
	if d.Deadlines == nil {
		d.Deadlines = DeadlineKindsFor(d.Action)
	}
	return d
}

func (d Decision) match() Match {
	return Match{Rule: d.Rule, Category: d.Category, Action: d.Action, Rationale: d.Rationale}
}

// Denies reports whether adjustments deny something: an amount in CO, PI or OA beyond
// contractual and cost sharing, or one the payer moved onto the patient for a reason other
// than cost sharing. A line without either is paid, contractual or cost sharing only: the
// lines [Triage] closes with nothing to do.
func Denies(adjs []Adjustment) bool {
	denials, patientLiable, _, _ := sortAdjustments(adjs)
	return len(denials) > 0 || len(patientLiable) > 0
}

// sortAdjustments splits a line's adjustments by what they mean for the provider.
func sortAdjustments(adjs []Adjustment) (denials, patientLiable, costSharing, contractual []Adjustment) {
	for _, a := range adjs {
		if a.AmountCents <= 0 {
			continue
		}
		cat := Other
		if c, ok := CARC(a.Reason); ok {
			cat = c.Category
		}
		switch {
		case cat == Contractual:
			contractual = append(contractual, a)
		case cat == PatientResponsibility:
			costSharing = append(costSharing, a)
		case a.Group == GroupPatient:
			patientLiable = append(patientLiable, a)
		default:
			denials = append(denials, a)
		}
	}
	return denials, patientLiable, costSharing, contractual
}

func largest(adjs []Adjustment) Adjustment {
	best := adjs[0]
	for _, a := range adjs[1:] {
		if a.AmountCents > best.AmountCents {
			best = a
		}
	}
	return best
}

func sum(adjs []Adjustment) int64 {
	var total int64
	for _, a := range adjs {
		total += a.AmountCents
	}
	return total
}

// closedLine decides a line that carries no denial at all.
func closedLine(l Line, costSharing, contractual []Adjustment) Decision {
	d := Decision{Action: None}
	switch {
	case len(costSharing) > 0:
		d.Category, d.Rule = PatientResponsibility, "line.patient_responsibility"
		d.Reason = largest(costSharing)
		d.Rationale = fmt.Sprintf("Only cost sharing on this line (%s of %s billed, largest %s-%s): the patient owes it; not a denial.",
			FormatCents(sum(costSharing)), FormatCents(l.BilledCents), d.Reason.Group, d.Reason.Reason)
	case len(contractual) > 0:
		d.Category, d.Rule = Contractual, "line.contractual"
		d.Reason = largest(contractual)
		d.Rationale = fmt.Sprintf("Only contractual adjustments on this line (%s of %s billed, largest %s-%s): not a denial.",
			FormatCents(sum(contractual)), FormatCents(l.BilledCents), d.Reason.Group, d.Reason.Reason)
	case l.PaidCents >= l.BilledCents:
		d.Category, d.Rule = Contractual, "line.paid_in_full"
		d.Rationale = fmt.Sprintf("Paid %s of %s billed with no adjustment: not a denial.",
			FormatCents(l.PaidCents), FormatCents(l.BilledCents))
	default:
		// Unpaid money with no reason given is a denial nobody can read: a person must look.
		d.Category, d.Action, d.Rule = Other, Review, "line.unexplained"
		d.DeniedCents = l.BilledCents - l.PaidCents
		d.Rationale = fmt.Sprintf("%s of %s billed is unpaid and no adjustment says why: review the remittance before choosing.",
			FormatCents(d.DeniedCents), FormatCents(l.BilledCents))
		d.Deadlines = DeadlineKindsFor(Review)
	}
	return d
}

// decisive categories state the payer's decision itself; a remark only explains them.
var decisive = []Category{TimelyFiling, Duplicate, Eligibility, CoordinationOfBenefits, Authorization}

func refinement(remarks []string, base Category) (Code, bool) {
	if slices.Contains(decisive, base) {
		return Code{}, false
	}
	for _, r := range remarks {
		// A remark explains a denial; it never turns one into a line with nothing to do
		// (contractual, cost sharing): only the adjustments can say that.
		if c, ok := RARC(r); ok && c.Category != "" && c.Category != base &&
			c.Category != Contractual && c.Category != PatientResponsibility {
			return c, true
		}
	}
	return Code{}, false
}

// defaultAction is SPEC §4's table from category to action.
func defaultAction(c Category, p Policy) Action {
	switch c {
	case MedicalNecessity, Experimental, Authorization:
		return Appeal
	case Modifier, Coding, Documentation:
		return ClaimFix(p)
	case Eligibility, CoordinationOfBenefits:
		return RebillOtherPayer
	case PatientResponsibility, Contractual:
		return None
	default:
		return Review
	}
}

// ClaimFix is how a payer takes a fix to a processed claim: a corrected claim, or a
// reopening where the payer takes no corrected claims (Medicare Part B).
func ClaimFix(p Policy) Action {
	if p.CorrectedClaims {
		return CorrectedClaim
	}
	return Reopening
}

func reasonSentence(l Line, d Decision) string {
	meaning := "not in Reclaim's table"
	if c, ok := CARC(d.Reason.Reason); ok {
		meaning = lowerFirst(c.Meaning)
	}
	return fmt.Sprintf("%s-%s (%s) took %s of %s billed for %s",
		d.Reason.Group, d.Reason.Reason, meaning, FormatCents(d.DeniedCents), FormatCents(l.BilledCents), l.ProcedureCode)
}

// outcomeClause ends a rationale with the action and, where it is not obvious, why.
func outcomeClause(d Decision, p Policy) string {
	if d.Action == Reopening && !p.CorrectedClaims {
		return "; the payer takes no corrected claims, so request a reopening."
	}
	return ", so " + d.Action.Label() + "."
}

func lowerFirst(s string) string {
	if s == "" || (len(s) > 1 && s[1] >= 'A' && s[1] <= 'Z') {
		return s // keep acronyms such as NCD
	}
	return string(s[0]|0x20) + s[1:]
}
