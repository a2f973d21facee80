package rules

import (
	"fmt"
	"time"
)

// Dates are the dates of a denial that clocks count from. Zero values are unknown.
type Dates struct {
	Service  time.Time
	Remit    time.Time
	Received time.Time // when the provider received the remittance, if recorded
	Decision time.Time // the previous appeal level's decision, for appeal levels 2 to 5
}

// Deadline is one computed clock.
type Deadline struct {
	Kind       DeadlineKind
	Window     Window
	AnchorDate time.Time
	Due        time.Time
}

// DeadlineKindsFor is which clocks an action puts on a denial (SPEC §5). Every workable
// action carries at least one: a write-off or a patient bill still has the appeal clock
// that matters if the specialist finds the payer wrong.
func DeadlineKindsFor(a Action) []DeadlineKind {
	switch a {
	case Reopening:
		return []DeadlineKind{DeadlineReopening, DeadlineAppeal1}
	case CorrectedClaim:
		return []DeadlineKind{DeadlineCorrectedClaim}
	case NewClaim, RebillOtherPayer:
		return []DeadlineKind{DeadlineTimelyFiling}
	case None:
		return nil
	default: // appeal, review, write_off, bill_patient
		return []DeadlineKind{DeadlineAppeal1}
	}
}

// Deadline computes the clock of one kind, or reports false when the payer has no such
// clock or the date it counts from is not known yet (a level-2 appeal before the level-1
// decision, say).
func (p Policy) Deadline(kind DeadlineKind, d Dates) (Deadline, bool) {
	w, ok := p.Windows[kind]
	if !ok {
		return Deadline{}, false
	}
	anchor := p.anchorDate(w.Anchor, d)
	if anchor.IsZero() {
		return Deadline{}, false
	}
	due := AddDays(anchor, w.Days)
	if w.Months > 0 {
		due = AddMonths(anchor, w.Months)
	}
	return Deadline{Kind: kind, Window: w, AnchorDate: anchor, Due: due}, true
}

func (p Policy) anchorDate(a Anchor, d Dates) time.Time {
	switch a {
	case AnchorRemitDate:
		return d.Remit
	case AnchorServiceDate:
		return d.Service
	case AnchorReceipt:
		if d.Remit.IsZero() {
			return time.Time{}
		}
		receipt := AddDays(d.Remit, p.ReceiptGraceDays)
		// A recorded receipt earlier than the presumed one starts the clock earlier; a
		// later one never delays it (the strict reading).
		if !d.Received.IsZero() && d.Received.Before(receipt) {
			receipt = d.Received
		}
		return receipt
	case AnchorDecision:
		return d.Decision
	case AnchorDecisionReceipt:
		if d.Decision.IsZero() {
			return time.Time{}
		}
		return AddDays(d.Decision, p.ReceiptGraceDays)
	}
	return time.Time{}
}

// Deadlines computes the clocks an action asks for. When the payer has none of them, the
// denial still gets the level-1 appeal clock, so nothing expires unnoticed.
func (p Policy) Deadlines(kinds []DeadlineKind, d Dates) []Deadline {
	var out []Deadline
	for _, k := range kinds {
		if dl, ok := p.Deadline(k, d); ok {
			out = append(out, dl)
		}
	}
	if len(out) == 0 && len(kinds) > 0 {
		if dl, ok := p.Deadline(DeadlineAppeal1, d); ok {
			out = append(out, dl)
		}
	}
	return out
}

// Buffer is how many days before a deadline of kind k its task falls due.
func (p Policy) Buffer(k DeadlineKind) int {
	if k.IsAppeal() {
		return p.AppealBufferDays
	}
	return p.BufferDays
}

// TaskDue is when the task for a denial with these deadlines falls due: the earliest
// deadline less its buffer, never before today. With no deadline it is today.
func (p Policy) TaskDue(deadlines []Deadline, today time.Time) time.Time {
	due := time.Time{}
	for _, dl := range deadlines {
		d := AddDays(dl.Due, -p.Buffer(dl.Kind))
		if due.IsZero() || d.Before(due) {
			due = d
		}
	}
	if due.IsZero() || due.Before(today) {
		return today
	}
	return due
}

// Describe says how a deadline was reached, e.g. "appeal_1 due 2026-05-09: 120 days from
// receipt (2026-01-09)".
func (dl Deadline) Describe() string {
	return fmt.Sprintf("%s due %s: %s (%s)", dl.Kind, dl.Due.Format(DateLayout), dl.Window, dl.AnchorDate.Format(DateLayout))
}
