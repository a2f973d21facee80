package rules

import (
	"fmt"
	"strings"
	"time"
)

// TaskFacts are the facts of a denial a task's text is filled with.
type TaskFacts struct {
	Decision         Decision
	PayerName        string
	ClaimNumber      string
	PayerClaimNumber string
	ProcedureCode    string
	ServiceDate      time.Time
	Deadlines        []Deadline
}

// TaskText is what a correction task says: a title, instructions and a checklist.
type TaskText struct {
	Title        string
	Instructions string
	Checklist    []string
}

// Task writes the correction task for a decided denial.
func Task(f TaskFacts) TaskText {
	d := f.Decision
	t := TaskText{
		Title: fmt.Sprintf("%s: %s %s denied by %s (%s)",
			capitalize(d.Action.Label()), f.ProcedureCode, f.ServiceDate.Format(DateLayout), f.PayerName, d.Category.Label()),
	}

	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\nClaim %s", d.Rationale, f.ClaimNumber)
	if f.PayerClaimNumber != "" {
		fmt.Fprintf(&b, " (payer claim number %s)", f.PayerClaimNumber)
	}
	fmt.Fprintf(&b, ", %s denied.", FormatCents(d.DeniedCents))
	for _, dl := range f.Deadlines {
		fmt.Fprintf(&b, "\nDeadline %s.", dl.Describe())
	}
	t.Instructions = b.String()
	t.Checklist = checklist(d.Action, f)
	return t
}

func checklist(a Action, f TaskFacts) []string {
	switch a {
	case Appeal:
		return []string{
			"Pull the plan of care and the treatment note for " + f.ServiceDate.Format(DateLayout),
			"Confirm the documentation answers the denial reason",
			"Write the appeal letter and attach the records",
			"File the appeal and record it in Reclaim",
		}
	case Reopening:
		return []string{
			"Find the clerical error the denial points to",
			"Request the reopening with the correction and the supporting note",
			"Record the reopening in Reclaim",
		}
	case CorrectedClaim:
		ref := "the payer claim number"
		if f.PayerClaimNumber != "" {
			ref = f.PayerClaimNumber
		}
		return []string{
			"Fix the claim as the denial reason says",
			"Send a replacement claim (frequency code 7) referencing " + ref,
			"Record the resubmission in Reclaim",
		}
	case NewClaim:
		return []string{
			"Fix what made the claim unprocessable",
			"Send it as a new claim before the timely filing limit",
			"Record the resubmission in Reclaim",
		}
	case RebillOtherPayer:
		return []string{
			"Verify the patient's coverage and the order of payers",
			"Bill the responsible payer",
			"Record the resubmission in Reclaim",
		}
	case BillPatient:
		return []string{
			"Confirm the patient is liable (ABN on file, statutory exclusion or benefit maximum)",
			"Send the patient statement",
			"Mark the denial billed to patient in Reclaim",
		}
	case WriteOff:
		return []string{
			"Confirm nothing can be recovered from the payer or the patient",
			"Write the denial off in Reclaim with the reason",
		}
	default:
		return []string{
			"Read the remittance and the claim",
			"Choose the action: appeal, correct, rebill, bill the patient or write off",
		}
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
