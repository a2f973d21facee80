package workflow

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/riverqueue/river"

	"github.com/reclaimhq/reclaim/db/dbsqlc"
	"github.com/reclaimhq/reclaim/workflow/errs"

	"github.com/reclaimhq/reclaim/workflow/rules"
)

// payerPolicy is a payer's effective policy: its kind's default with the payer's stored
// overrides applied.
func payerPolicy(kind string, override []byte) (rules.Policy, error) {
	policy := rules.DefaultPolicy(rules.PayerKind(kind))
	if len(override) == 0 || bytes.Equal(override, []byte("{}")) {
		return policy, nil
	}
	var o rules.PolicyOverride
	dec := json.NewDecoder(bytes.NewReader(override))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&o); err != nil {
		return rules.Policy{}, fmt.Errorf("error reading stored policy: %w", err)
	}
	return policy.Apply(o), nil
}

// Payer is a payer with its effective deadline policy and what it overrides of its kind's
// default.
type Payer struct {
	ID          string               `json:"id" doc:"The payer id the billing system uses."`
	Name        string               `json:"name"`
	Kind        string               `json:"kind"`
	OpenDenials int64                `json:"open_denials" doc:"Denials with work in hand."`
	Policy      rules.Policy         `json:"policy" doc:"The effective policy: the kind's default with the overrides applied."`
	Overrides   rules.PolicyOverride `json:"overrides" doc:"What this payer changes of its kind's default."`
	UpdatedAt   time.Time            `json:"updated_at"`
}

// Payers lists every payer with its policy.
func (s *Service) Payers(ctx context.Context) ([]Payer, error) {
	rows, err := s.queries.Payers(ctx)
	if err != nil {
		return nil, fmt.Errorf("error listing payers: %w", err)
	}
	out := make([]Payer, len(rows))
	for i, r := range rows {
		p, err := payerOut(dbsqlc.Payer{ID: r.ID, ExternalID: r.ExternalID, Name: r.Name, Kind: r.Kind, Policy: r.Policy, UpdatedAt: r.UpdatedAt})
		if err != nil {
			return nil, err
		}
		p.OpenDenials = r.OpenDenials
		out[i] = p
	}
	return out, nil
}

func payerOut(p dbsqlc.Payer) (Payer, error) {
	var o rules.PolicyOverride
	if err := json.Unmarshal(p.Policy, &o); err != nil {
		return Payer{}, fmt.Errorf("error reading policy of payer %s: %w", p.ExternalID, err)
	}
	return Payer{
		ID: p.ExternalID, Name: p.Name, Kind: p.Kind, UpdatedAt: p.UpdatedAt,
		Policy: rules.DefaultPolicy(rules.PayerKind(p.Kind)).Apply(o), Overrides: o,
	}, nil
}

// SetPayerPolicy replaces a payer's overrides of its kind's default policy. The running
// clocks of the payer's denials are recomputed under the new policy, and their tasks'
// due dates and priorities with them; clocks already met, missed or closed are history and
// stay as they were. The change and every moved clock are events.
func (s *Service) SetPayerPolicy(ctx context.Context, actor Actor, payerID string, o rules.PolicyOverride) (*Payer, error) {
	if err := o.Validate(); err != nil {
		loc, msg, _ := strings.Cut(err.Error(), ": ")
		return nil, errs.Invalidf([]errs.Detail{{Location: "body." + loc, Message: msg}}, "invalid policy: %v", err)
	}
	policyJSON, err := json.Marshal(o)
	if err != nil {
		return nil, fmt.Errorf("error encoding policy: %w", err)
	}
	var out Payer
	err = s.inTxRetrying(ctx, func(tx pgx.Tx, q *dbsqlc.Queries) error {
		// Triage and imports share the payer's row while they read its policy; a change
		// waits for them, but not forever.
		if _, err := tx.Exec(ctx, "SET LOCAL lock_timeout = '10s'"); err != nil {
			return fmt.Errorf("error setting lock timeout: %w", err)
		}
		p, err := q.LockPayer(ctx, payerID)
		if errors.Is(err, pgx.ErrNoRows) {
			return errs.E(errs.NotFound, "payer %q not found", payerID)
		}
		if err != nil {
			return fmt.Errorf("error reading payer %s: %w", payerID, err)
		}
		before, err := payerOut(p)
		if err != nil {
			return err
		}
		if err := q.SetPayerPolicy(ctx, dbsqlc.SetPayerPolicyParams{ID: p.ID, Policy: policyJSON}); err != nil {
			return fmt.Errorf("error storing policy of payer %s: %w", payerID, err)
		}
		p.Policy = policyJSON
		if out, err = payerOut(p); err != nil {
			return err
		}
		moved, err := s.recomputeDeadlines(ctx, tx, q, actor, p.ID, out.Policy)
		if err != nil {
			return err
		}
		return insertEvents(ctx, q, []dbsqlc.InsertEventsParams{newEvent(actor, 0, 0, "payer.policy_changed", map[string]any{
			"payer": payerID, "before": before.Overrides, "after": o, "denials_moved": moved,
		})})
	})
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "55P03" { // lock_not_available
		return nil, errs.E(errs.Conflict, "payer %q is busy with triage or an import; try again in a moment", payerID)
	}
	if err != nil {
		return nil, err
	}
	payers, err := s.Payers(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range payers {
		if p.ID == payerID {
			return &p, nil
		}
	}
	return &out, nil
}

// recomputeDeadlines moves the running clocks of a payer's denials to a new policy and
// reports how many denials had a clock move.
func (s *Service) recomputeDeadlines(ctx context.Context, tx pgx.Tx, q *dbsqlc.Queries, actor Actor, payerID int64, policy rules.Policy) (int, error) {
	open, err := q.OpenDeadlinesOfPayer(ctx, payerID)
	if err != nil {
		return 0, fmt.Errorf("error reading open deadlines: %w", err)
	}
	var update dbsqlc.UpdateDeadlinesParams
	current := map[int64][]rules.Deadline{} // denial → its running clocks after the change
	changes := map[int64][]deadlineChange{}
	for _, o := range open {
		dl, ok := policy.Deadline(rules.DeadlineKind(o.Kind), rules.Dates{
			Service: o.ServiceDate, Remit: o.RemitDate, Received: deref(o.ReceivedDate), Decision: deref(o.DecisionDate),
		})
		if !ok { // the clock's anchor is gone from the policy: keep it as it was
			dl = rules.Deadline{Kind: rules.DeadlineKind(o.Kind), AnchorDate: o.AnchorDate, Due: o.DueDate,
				Window: rules.Window{Days: int(o.WindowDays), Months: int(o.WindowMonths), Anchor: rules.Anchor(o.Anchor)}}
		}
		current[o.DenialID] = append(current[o.DenialID], dl)
		if !dl.Due.Equal(o.DueDate) || !dl.AnchorDate.Equal(o.AnchorDate) || string(dl.Window.Anchor) != o.Anchor {
			addUpdate(&update, o.ID, dl)
			changes[o.DenialID] = append(changes[o.DenialID], deadlineChange{
				Kind: o.Kind, From: o.DueDate.Format(rules.DateLayout), To: dl.Due.Format(rules.DateLayout),
			})
		}
	}
	if len(current) == 0 {
		return 0, nil
	}
	if len(update.Ids) > 0 {
		if err := q.UpdateDeadlines(ctx, update); err != nil {
			return 0, fmt.Errorf("error moving deadlines: %w", err)
		}
	}

	// Every live task with a running clock is re-dated and re-ranked, not only those whose
	// clocks moved: a changed buffer moves a task even when its deadline stays put.
	tasks, err := q.LiveTasksOfDenials(ctx, slices.Sorted(maps.Keys(current)))
	if err != nil {
		return 0, fmt.Errorf("error reading tasks: %w", err)
	}
	outcomes, err := loadOutcomes(ctx, q, []int64{payerID})
	if err != nil {
		return 0, err
	}
	today := s.today()
	var dues dbsqlc.SetTaskDueDatesParams
	var ranks dbsqlc.SetTaskPrioritiesParams
	for _, t := range tasks {
		dls := current[t.Task.DenialID]
		dues.Ids = append(dues.Ids, t.Task.ID)
		due := policy.TaskDue(dls, today)
		dues.DueDates = append(dues.DueDates, due)
		category := rules.Category(deref(t.Category))
		priority, reasons := rank(category, t.DeniedCents, outcomes[outcomeKey{payerID, category}], daysToNearest(dls, today))
		addPriority(&ranks, t.Task.ID, priority, reasons, false, due.After(today)) // outside its buffer: calm
	}
	if err := q.SetTaskDueDates(ctx, dues); err != nil {
		return 0, fmt.Errorf("error moving task due dates: %w", err)
	}
	if err := q.SetTaskPriorities(ctx, ranks); err != nil {
		return 0, fmt.Errorf("error re-ranking tasks: %w", err)
	}

	moved := slices.Sorted(maps.Keys(changes))
	events := make([]dbsqlc.InsertEventsParams, 0, len(moved))
	for _, id := range moved {
		events = append(events, newEvent(actor, id, 0, "deadlines.recomputed", map[string]any{
			"reason": "payer policy changed", "changes": changes[id],
		}))
	}
	// The tasks of the moved denials quote their deadlines: they are written again once
	// this change commits.
	var rewrites []river.InsertManyParams
	for chunk := range slices.Chunk(moved, 500) {
		rewrites = append(rewrites, river.InsertManyParams{Args: RewriteTasksArgs{DenialIDs: chunk}})
	}
	if len(rewrites) > 0 {
		if _, err := s.river.InsertManyFastTx(ctx, tx, rewrites); err != nil {
			return 0, fmt.Errorf("error queueing task rewrites: %w", err)
		}
	}
	return len(moved), insertEvents(ctx, q, events)
}

func addPriority(p *dbsqlc.SetTaskPrioritiesParams, id, priority int64, reasons []string, escalate, calm bool) {
	b, _ := json.Marshal(reasons)
	p.Ids = append(p.Ids, id)
	p.Priorities = append(p.Priorities, priority)
	p.PriorityReasons = append(p.PriorityReasons, b)
	p.Escalate = append(p.Escalate, escalate)
	p.Calm = append(p.Calm, calm)
}
