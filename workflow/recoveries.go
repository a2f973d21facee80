package workflow

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/reclaimhq/reclaim/db/dbsqlc"
	"github.com/reclaimhq/reclaim/workflow/errs"
	"github.com/reclaimhq/reclaim/workflow/rules"
)

// Where a recovery came from.
const (
	RecoverySourceRemittance = "remittance"
	RecoverySourceManual     = "manual"
)

// recoverable are the states a payment can be recorded in by hand: any triaged denial
// except a line that was never a denial. A payment after a write-off or a patient bill
// still counts.
var recoverable = []string{
	StatusOpen, StatusInProgress, StatusResubmitted, StatusAppealed, StatusPartiallyRecovered,
	StatusRecovered, StatusWrittenOff, StatusBilledPatient,
}

// awaitingPayment are the states in which a denial waits for its money: a later payment
// that matches one is recorded on it without anyone asking.
var awaitingPayment = []string{StatusOpen, StatusInProgress, StatusResubmitted, StatusAppealed, StatusPartiallyRecovered}

func isRecoveredStatus(s string) bool { return s == StatusRecovered || s == StatusPartiallyRecovered }

// recoveredStatus is the state of a denial that has been paid recovered of denied.
func recoveredStatus(recovered, denied int64) string {
	if recovered >= denied {
		return StatusRecovered
	}
	return StatusPartiallyRecovered
}

// recovery is one payment (or the reversal of one) to record on a denial.
type recovery struct {
	denialID  int64
	cents     int64 // > 0 for a payment; for a reversal, set from what it reverses
	paidOn    time.Time
	reference string
	source    string
	sourceKey string // unique per remittance payment; empty for one recorded by hand

	remittanceID       int64
	claimPos, linePos  int32
	reverses           *dbsqlc.Recovery // the payment a reversal undoes
	remittanceLineNote string           // for the event: which claim and line paid
}

// recoveryEffect is what recording a recovery did to its denial.
type recoveryEffect struct {
	from, to  string
	recovered int64
}

// denialMoney is the part of a denial that recoveries change, as they apply one by one.
type denialMoney struct {
	status            string
	denied, recovered int64
}

// apply records a payment of cents, or the reversal of the payment reverses, and returns
// the signed amount recorded: a reversal takes back exactly what its payment gave.
func (m *denialMoney) apply(cents int64, reverses *dbsqlc.Recovery) int64 {
	if reverses == nil {
		m.recovered += cents
		m.status = recoveredStatus(m.recovered, m.denied)
		return cents
	}
	cents = -reverses.AmountCents
	m.recovered = max(m.recovered+cents, 0)
	if !isRecoveredStatus(m.status) {
		return cents // written off or billed to the patient since: only the money changes
	}
	switch {
	case m.recovered > 0:
		m.status = recoveredStatus(m.recovered, m.denied)
	case isRecoveredStatus(reverses.PriorStatus):
		m.status = StatusOpen
	default:
		m.status = reverses.PriorStatus
	}
	return cents
}

// recordRecoveries records payments and reversals on denials, in order, in the caller's
// transaction: it is the one code path for payments from remittances and by hand. A
// payment adds to the denial's recovered cents and makes it recovered (paid at least what
// was denied) or partially recovered; the first payment stops its running clocks and
// finishes its live task. A reversal takes back the payment it names; when nothing is left
// recovered, the denial returns to the state it had before it was paid and what the
// payments stopped runs again. Every recovery is an event on its denial.
func (s *Service) recordRecoveries(ctx context.Context, q *dbsqlc.Queries, actor Actor, recs []recovery) ([]recoveryEffect, error) {
	if len(recs) == 0 {
		return nil, nil
	}
	ids := make([]int64, 0, len(recs))
	for _, r := range recs {
		ids = append(ids, r.denialID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	locked, err := q.LockRecoverable(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("error locking denials: %w", err)
	}
	money := make(map[int64]*denialMoney, len(locked))
	initial := make(map[int64]string, len(locked))
	for _, d := range locked {
		money[d.ID] = &denialMoney{status: d.Status, denied: d.DeniedCents, recovered: d.RecoveredCents}
		initial[d.ID] = d.Status
	}

	effects := make([]recoveryEffect, len(recs))
	priors := make([]string, len(recs))
	closer := map[int64]int{} // denial → the recovery that moved it into a recovered state
	for i := range recs {
		r := &recs[i]
		m, ok := money[r.denialID]
		if !ok {
			return nil, errs.E(errs.NotFound, "no denial %d", r.denialID)
		}
		from := m.status
		priors[i] = from
		r.cents = m.apply(r.cents, r.reverses)
		if r.reverses == nil && !isRecoveredStatus(from) {
			closer[r.denialID] = i
		}
		effects[i] = recoveryEffect{from: from, to: m.status, recovered: m.recovered}
	}

	// What changed state over the whole batch: denials that are now paid stop their
	// clocks and tasks; those a reversal emptied get them back.
	var closing, reopening []int64
	for _, id := range ids {
		was, now := isRecoveredStatus(initial[id]), isRecoveredStatus(money[id].status)
		switch {
		case !was && now:
			closing = append(closing, id)
		case was && !now:
			reopening = append(reopening, id)
		}
	}
	closedDeadlines := map[int64][]int64{}
	closedTasks := map[int64]dbsqlc.FinishLiveTasksOfRow{}
	if len(closing) > 0 {
		dls, err := q.CloseOpenDeadlinesOf(ctx, closing)
		if err != nil {
			return nil, fmt.Errorf("error stopping clocks: %w", err)
		}
		for _, d := range dls {
			closedDeadlines[d.DenialID] = append(closedDeadlines[d.DenialID], d.ID)
		}
		tasks, err := q.FinishLiveTasksOf(ctx, closing)
		if err != nil {
			return nil, fmt.Errorf("error finishing tasks: %w", err)
		}
		for _, t := range tasks {
			closedTasks[t.DenialID] = t
		}
	}
	reopened, err := reopenPaidWork(ctx, q, reopening)
	if err != nil {
		return nil, err
	}

	arg := dbsqlc.InsertRecoveriesParams{Actor: actor.Name, ActorUserID: actor.userID()}
	events := make([]dbsqlc.InsertEventsParams, 0, len(recs))
	for i, r := range recs {
		var dls []int64
		var task dbsqlc.FinishLiveTasksOfRow
		if j, ok := closer[r.denialID]; ok && j == i && slices.Contains(closing, r.denialID) {
			dls, task = closedDeadlines[r.denialID], closedTasks[r.denialID]
		}
		addRecovery(&arg, r, priors[i], dls, task)

		e := effects[i]
		detail := map[string]any{
			"amount_cents": r.cents, "paid_on": r.paidOn.Format(rules.DateLayout), "source": r.source,
			"from": e.from, "to": e.to, "recovered_cents": e.recovered,
		}
		if r.reference != "" {
			detail["reference"] = r.reference
		}
		if r.remittanceID != 0 {
			detail["remittance_id"] = r.remittanceID
			detail["line"] = r.remittanceLineNote
		}
		kind := "recovery.recorded"
		if r.reverses != nil {
			kind = "recovery.reversed"
			detail["reverses"] = r.reverses.ID
			if ro, ok := reopened[r.denialID]; ok && !isRecoveredStatus(e.to) {
				detail["reopened_deadlines"], detail["reopened_task"] = len(ro.deadlines), ro.task
			}
		}
		if len(dls) > 0 || task.ID != 0 {
			detail["closed_deadlines"] = len(dls)
			if task.ID != 0 {
				detail["closed_task"] = task.ID
			}
		}
		events = append(events, newEvent(actor, r.denialID, task.ID, kind, detail))
	}
	if _, err := q.InsertRecoveries(ctx, arg); err != nil {
		return nil, fmt.Errorf("error recording recoveries: %w", err)
	}

	var set dbsqlc.SetRecoveredAmountsParams
	for _, id := range ids {
		set.Ids = append(set.Ids, id)
		set.Statuses = append(set.Statuses, money[id].status)
		set.RecoveredCents = append(set.RecoveredCents, money[id].recovered)
	}
	if err := q.SetRecoveredAmounts(ctx, set); err != nil {
		return nil, fmt.Errorf("error updating recovered amounts: %w", err)
	}
	return effects, insertEvents(ctx, q, events)
}

func addRecovery(p *dbsqlc.InsertRecoveriesParams, r recovery, prior string, dls []int64, task dbsqlc.FinishLiveTasksOfRow) {
	b, _ := json.Marshal(nonNilIDs(dls))
	var reverses int64
	if r.reverses != nil {
		reverses = r.reverses.ID
	}
	p.DenialIds = append(p.DenialIds, r.denialID)
	p.AmountsCents = append(p.AmountsCents, r.cents)
	p.PaidOn = append(p.PaidOn, r.paidOn)
	p.Refs = append(p.Refs, r.reference)
	p.Sources = append(p.Sources, r.source)
	p.SourceKeys = append(p.SourceKeys, r.sourceKey)
	p.RemittanceIds = append(p.RemittanceIds, r.remittanceID)
	p.ClaimPositions = append(p.ClaimPositions, r.claimPos)
	p.LinePositions = append(p.LinePositions, r.linePos)
	p.ReversesIds = append(p.ReversesIds, reverses)
	p.PriorStatuses = append(p.PriorStatuses, prior)
	p.ClosedDeadlineIds = append(p.ClosedDeadlineIds, b)
	p.ClosedTaskIds = append(p.ClosedTaskIds, task.ID)
	p.ClosedTaskStatuses = append(p.ClosedTaskStatuses, task.PriorStatus)
}

func nonNilIDs(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

type reopenedWork struct {
	deadlines []int64
	task      int64
}

// reopenPaidWork restarts the clocks and gives back the tasks that payments on these
// denials had stopped. A blocked task comes back open: what blocked it is likely moot.
func reopenPaidWork(ctx context.Context, q *dbsqlc.Queries, denialIDs []int64) (map[int64]reopenedWork, error) {
	if len(denialIDs) == 0 {
		return nil, nil
	}
	recs, err := q.RecoveriesOfDenials(ctx, denialIDs)
	if err != nil {
		return nil, fmt.Errorf("error reading recoveries: %w", err)
	}
	// Only what the payment that began the current paid spell stopped comes back: the
	// latest payment that stopped anything. Clocks and tasks of earlier spells were
	// given back (or settled otherwise) already.
	latest := map[int64]dbsqlc.Recovery{}
	for _, r := range recs { // oldest first
		if r.AmountCents > 0 && (len(r.ClosedDeadlineIds) > 0 || r.ClosedTaskID != nil) {
			latest[r.DenialID] = r
		}
	}
	out := map[int64]reopenedWork{}
	var deadlines []int64
	var tasks dbsqlc.RestoreTasksParams
	for _, id := range denialIDs {
		r, ok := latest[id]
		if !ok {
			continue
		}
		w := reopenedWork{deadlines: r.ClosedDeadlineIds}
		deadlines = append(deadlines, r.ClosedDeadlineIds...)
		if r.ClosedTaskID != nil {
			w.task = *r.ClosedTaskID
			status := deref(r.ClosedTaskStatus)
			if status == "blocked" || status == "" {
				status = "open"
			}
			tasks.Ids = append(tasks.Ids, *r.ClosedTaskID)
			tasks.Statuses = append(tasks.Statuses, status)
		}
		out[id] = w
	}
	if len(deadlines) > 0 {
		if err := q.ReopenDeadlines(ctx, deadlines); err != nil {
			return nil, fmt.Errorf("error restarting clocks: %w", err)
		}
	}
	if len(tasks.Ids) > 0 {
		if err := q.RestoreTasks(ctx, tasks); err != nil {
			return nil, fmt.Errorf("error reopening tasks: %w", err)
		}
	}
	return out, nil
}

// RecoveryInput is a payment on a denial recorded by hand.
type RecoveryInput struct {
	AmountCents int64  `json:"amount_cents" minimum:"1" maximum:"100000000000" doc:"What the payer paid, in cents."`
	PaidOn      string `json:"paid_on" format:"date" doc:"When it was paid, YYYY-MM-DD."`
	Reference   string `json:"reference,omitempty" maxLength:"200" doc:"A check or EFT number, or the payer's claim number of the payment."`
}

// RecordRecovery records a payment on a denial by hand, the same way a later remittance
// does, and returns the denial as it is after.
func (s *Service) RecordRecovery(ctx context.Context, actor Actor, denialID int64, in RecoveryInput) (*Denial, error) {
	var bad []errs.Detail
	if in.AmountCents < 1 || in.AmountCents > 100_000_000_000 {
		bad = append(bad, errs.Detail{Location: "body.amount_cents", Message: "must be 1 to 100000000000 cents", Value: in.AmountCents})
	}
	paidOn, err := rules.ParseDate(in.PaidOn)
	switch {
	case err != nil:
		bad = append(bad, errs.Detail{Location: "body.paid_on", Message: err.Error(), Value: in.PaidOn})
	case paidOn.After(rules.AddDays(s.today(), 1)):
		bad = append(bad, errs.Detail{Location: "body.paid_on", Message: "is in the future", Value: in.PaidOn})
	}
	if len(bad) > 0 {
		return nil, errs.Invalidf(bad, "the recovery is not valid; nothing was recorded")
	}

	err = s.inTxRetrying(ctx, func(_ pgx.Tx, q *dbsqlc.Queries) error {
		locked, err := q.LockRecoverable(ctx, []int64{denialID})
		if err != nil {
			return fmt.Errorf("error locking denial: %w", err)
		}
		if len(locked) == 0 {
			return errs.E(errs.NotFound, "no denial %d", denialID)
		}
		d := locked[0]
		if !slices.Contains(recoverable, d.Status) {
			return errs.E(errs.Conflict, "denial %d is %s: a recovery is recorded on a triaged denial", denialID, d.Status)
		}
		if paidOn.Before(d.RemitDate) {
			return errs.Invalidf([]errs.Detail{{Location: "body.paid_on", Message: "is before the remittance that denied the line (" + d.RemitDate.Format(rules.DateLayout) + ")", Value: in.PaidOn}},
				"the recovery is not valid; nothing was recorded")
		}
		_, err = s.recordRecoveries(ctx, q, actor, []recovery{{
			denialID: denialID, cents: in.AmountCents, paidOn: paidOn, reference: in.Reference, source: RecoverySourceManual,
		}})
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.Denial(ctx, denialID)
}
