package rules

import (
	"errors"
	"fmt"
	"maps"
	"slices"
)

// DeadlineKind names a clock a denial can carry.
type DeadlineKind string

// The deadline kinds. Appeal levels count up from 1 (Medicare: redetermination,
// reconsideration, ALJ hearing, Appeals Council, federal court).
const (
	DeadlineAppeal1        DeadlineKind = "appeal_1"
	DeadlineAppeal2        DeadlineKind = "appeal_2"
	DeadlineAppeal3        DeadlineKind = "appeal_3"
	DeadlineAppeal4        DeadlineKind = "appeal_4"
	DeadlineAppeal5        DeadlineKind = "appeal_5"
	DeadlineReopening      DeadlineKind = "reopening"
	DeadlineCorrectedClaim DeadlineKind = "corrected_claim"
	DeadlineTimelyFiling   DeadlineKind = "timely_filing"
)

// DeadlineKinds lists every deadline kind.
var DeadlineKinds = []DeadlineKind{
	DeadlineAppeal1, DeadlineAppeal2, DeadlineAppeal3, DeadlineAppeal4, DeadlineAppeal5, DeadlineReopening, DeadlineCorrectedClaim, DeadlineTimelyFiling,
}

// Valid reports whether k is a deadline kind.
func (k DeadlineKind) Valid() bool { return slices.Contains(DeadlineKinds, k) }

// IsAppeal reports whether k is an appeal level's clock.
func (k DeadlineKind) IsAppeal() bool {
	switch k {
	case DeadlineAppeal1, DeadlineAppeal2, DeadlineAppeal3, DeadlineAppeal4, DeadlineAppeal5:
		return true
	}
	return false
}

// Anchor is the date a window counts from.
type Anchor string

// The anchors.
const (
	// AnchorRemitDate is the date of the remittance or notice that carried the denial.
	AnchorRemitDate Anchor = "remit_date"
	// AnchorReceipt is when the provider is taken to have received the remittance: its date
	// plus the payer's receipt grace, or the recorded received date when that is earlier.
	AnchorReceipt Anchor = "receipt"
	// AnchorServiceDate is the date of service.
	AnchorServiceDate Anchor = "service_date"
	// AnchorDecision is the date of the previous appeal level's decision.
	AnchorDecision Anchor = "decision"
	// AnchorDecisionReceipt is the previous decision's date plus the receipt grace.
	AnchorDecisionReceipt Anchor = "decision_receipt"
)

// Anchors lists every anchor.
var Anchors = []Anchor{AnchorRemitDate, AnchorReceipt, AnchorServiceDate, AnchorDecision, AnchorDecisionReceipt}

// Valid reports whether a is an anchor.
func (a Anchor) Valid() bool { return slices.Contains(Anchors, a) }

// Window is how long a clock runs and what it counts from. Exactly one of Days and Months
// is set; months are calendar months, clamped at the end of the target month.
type Window struct {
	Days   int    `json:"days,omitempty"`
	Months int    `json:"months,omitempty"`
	Anchor Anchor `json:"anchor"`
}

// String says the window in words, e.g. "120 days from receipt".
func (w Window) String() string {
	switch {
	case w.Months == 12:
		return fmt.Sprintf("1 year from %s", w.Anchor)
	case w.Months%12 == 0 && w.Months > 0:
		return fmt.Sprintf("%d years from %s", w.Months/12, w.Anchor)
	case w.Months > 0:
		return fmt.Sprintf("%d months from %s", w.Months, w.Anchor)
	default:
		return fmt.Sprintf("%d days from %s", w.Days, w.Anchor)
	}
}

// afterDecision reports whether the anchor is a previous appeal level's decision.
func (a Anchor) afterDecision() bool { return a == AnchorDecision || a == AnchorDecisionReceipt }

func (w Window) validate() error {
	switch {
	case !w.Anchor.Valid():
		return fmt.Errorf("anchor %q is not one of %v", w.Anchor, Anchors)
	case w.Days < 0 || w.Months < 0:
		return errors.New("a window cannot be negative")
	case (w.Days > 0) == (w.Months > 0):
		return errors.New("a window has either days or months, not both or neither")
	case w.Days > 3660 || w.Months > 120:
		return errors.New("a window cannot exceed ten years")
	}
	return nil
}

// Policy is a payer's deadline policy: the default of its kind, with the payer's own
// overrides applied.
type Policy struct {
	// Windows holds the clock of each deadline kind the payer has; a kind missing here
	// does not apply to the payer (commercial payers have no reopening, say).
	Windows map[DeadlineKind]Window `json:"windows"`
	// CorrectedClaims says whether the payer takes corrected (replacement) claims for a
	// processed claim. Medicare Part B does not: clerical fixes go through a reopening.
	CorrectedClaims bool `json:"corrected_claims"`
	// ReceiptGraceDays is how long after its date a remittance is presumed received
	// (Medicare: 5 days). Zero means windows count from the printed date.
	ReceiptGraceDays int `json:"receipt_grace_days"`
	// AppealBufferDays and BufferDays are how long before an appeal or any other deadline
	// the task falls due. Defaults 14 and 7.
	AppealBufferDays int `json:"appeal_buffer_days"`
	BufferDays       int `json:"buffer_days"`
}

// DefaultPolicy is the policy of a payer kind before any payer override (SPEC §5, drawn
// from domain/payers.md). Kinds without a published clock for a deadline take the strictest
// plausible one, so a deadline is never computed later than the payer's.
func DefaultPolicy(kind PayerKind) Policy {
	days := func(n int, a Anchor) Window { return Window{Days: n, Anchor: a} }
	months := func(n int, a Anchor) Window { return Window{Months: n, Anchor: a} }
	p := Policy{AppealBufferDays: 14, BufferDays: 7}
	switch kind {
	case Medicare:
		p.ReceiptGraceDays = 5
		p.Windows = map[DeadlineKind]Window{
			DeadlineAppeal1:      days(120, AnchorReceipt),
			DeadlineAppeal2:      days(180, AnchorDecisionReceipt),
			DeadlineAppeal3:      days(60, AnchorDecisionReceipt),
			DeadlineAppeal4:      days(60, AnchorDecisionReceipt),
			DeadlineAppeal5:      days(60, AnchorDecisionReceipt),
			DeadlineReopening:    months(12, AnchorRemitDate),
			DeadlineTimelyFiling: months(12, AnchorServiceDate),
		}
	case MedicareAdvantage:
		// Non-participating providers appeal in writing within 60 days of the remittance;
		// plans follow Medicare's one-year filing limit for new claims and reopenings.
		p.CorrectedClaims = true
		p.Windows = map[DeadlineKind]Window{
			DeadlineAppeal1:        days(60, AnchorRemitDate),
			DeadlineAppeal2:        days(60, AnchorDecision),
			DeadlineReopening:      months(12, AnchorRemitDate),
			DeadlineCorrectedClaim: days(60, AnchorRemitDate),
			DeadlineTimelyFiling:   months(12, AnchorServiceDate),
		}
	case Medicaid:
		p.CorrectedClaims = true
		p.Windows = map[DeadlineKind]Window{
			DeadlineAppeal1:        days(90, AnchorRemitDate),
			DeadlineAppeal2:        days(60, AnchorDecision),
			DeadlineCorrectedClaim: days(180, AnchorRemitDate),
			DeadlineTimelyFiling:   months(12, AnchorServiceDate),
		}
	default: // commercial and other
		p.CorrectedClaims = true
		p.Windows = map[DeadlineKind]Window{
			DeadlineAppeal1:        days(180, AnchorRemitDate),
			DeadlineAppeal2:        days(60, AnchorDecision),
			DeadlineCorrectedClaim: days(180, AnchorRemitDate),
			DeadlineTimelyFiling:   days(180, AnchorServiceDate),
		}
	}
	return p
}

// PolicyOverride is what a payer changes of its kind's default. Nil fields keep the
// default; a window listed replaces the default window of that kind.
type PolicyOverride struct {
	Windows          map[DeadlineKind]Window `json:"windows,omitempty"`
	CorrectedClaims  *bool                   `json:"corrected_claims,omitempty"`
	ReceiptGraceDays *int                    `json:"receipt_grace_days,omitempty"`
	AppealBufferDays *int                    `json:"appeal_buffer_days,omitempty"`
	BufferDays       *int                    `json:"buffer_days,omitempty"`
}

// Validate checks an override, naming the first field that is wrong.
func (o PolicyOverride) Validate() error {
	for _, k := range slices.Sorted(maps.Keys(o.Windows)) {
		if !k.Valid() {
			return fmt.Errorf("windows.%s: not a deadline kind (one of %v)", k, DeadlineKinds)
		}
		w := o.Windows[k]
		if err := w.validate(); err != nil {
			return fmt.Errorf("windows.%s: %w", k, err)
		}
		if w.Anchor.afterDecision() != (k.IsAppeal() && k != DeadlineAppeal1) {
			if k.IsAppeal() && k != DeadlineAppeal1 {
				return fmt.Errorf("windows.%s: a later appeal level counts from the previous decision (decision or decision_receipt), not %s", k, w.Anchor)
			}
			return fmt.Errorf("windows.%s: anchor %s needs an earlier appeal's decision, which %s never has", k, w.Anchor, k)
		}
	}
	for name, v := range map[string]*int{
		"receipt_grace_days": o.ReceiptGraceDays,
		"appeal_buffer_days": o.AppealBufferDays,
		"buffer_days":        o.BufferDays,
	} {
		if v != nil && (*v < 0 || *v > 90) {
			return fmt.Errorf("%s: %d is outside 0 to 90 days", name, *v)
		}
	}
	return nil
}

// Apply returns the policy with the override's changes.
func (p Policy) Apply(o PolicyOverride) Policy {
	out := p
	out.Windows = maps.Clone(p.Windows)
	maps.Copy(out.Windows, o.Windows)
	if o.CorrectedClaims != nil {
		out.CorrectedClaims = *o.CorrectedClaims
	}
	if o.ReceiptGraceDays != nil {
		out.ReceiptGraceDays = *o.ReceiptGraceDays
	}
	if o.AppealBufferDays != nil {
		out.AppealBufferDays = *o.AppealBufferDays
	}
	if o.BufferDays != nil {
		out.BufferDays = *o.BufferDays
	}
	return out
}
