package workflow

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"github.com/reclaimhq/reclaim/db/dbsqlc"
	"github.com/reclaimhq/reclaim/workflow/rules"
)

// SweepInterval is how often the clock sweeper runs. Deadlines are calendar dates, so
// once an hour catches every day's change promptly.
const SweepInterval = time.Hour

// sweepHorizon is how far ahead the sweeper looks: beyond 30 days a deadline no longer
// changes a task's urgency.
const sweepHorizon = 31

// SweepArgs are the arguments of the clock sweeper's job: none.
type SweepArgs struct{}

// Kind is the job kind in River.
func (SweepArgs) Kind() string { return "sweep_clocks" }

// InsertOpts makes a sweep unique while one waits or runs, so a backlog never piles up.
func (SweepArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateScheduled, rivertype.JobStateRetryable,
	}}}
}

type sweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	svc *Service
}

func (w *sweepWorker) Work(ctx context.Context, job *river.Job[SweepArgs]) error {
	return w.svc.inTx(ctx, func(tx pgx.Tx, q *dbsqlc.Queries) error {
		res, err := w.svc.sweep(ctx, tx, q)
		if err != nil {
			return err
		}
		if res != (SweepResult{}) {
			w.svc.logger.InfoContext(ctx, "swept clocks", "missed", res.Missed, "escalated", res.Escalated,
				"reranked", res.Reranked, "reopened", res.Reopened, "requeued", res.Requeued)
		}
		_, err = river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
		return err
	})
}

// periodicSweep schedules the sweeper; River inserts periodic jobs from the elected leader
// only, so however many processes run, each sweep happens once.
func periodicSweep() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(SweepInterval),
		func() (river.JobArgs, *river.InsertOpts) { return SweepArgs{}, nil },
		&river.PeriodicJobOpts{ID: "sweep_clocks", RunOnStart: true})
}

// SweepResult counts what a sweep changed.
type SweepResult struct {
	Missed    int `json:"missed" doc:"Deadlines that passed and were marked missed."`
	Escalated int `json:"escalated" doc:"Tasks whose deadline came inside its buffer."`
	Reranked  int `json:"reranked" doc:"Tasks whose priority changed with the nearness of their deadline."`
	Reopened  int `json:"reopened" doc:"Blocked tasks reopened because their deadline is near."`
	Requeued  int `json:"requeued" doc:"Denials found untriaged with no job, queued again."`
}

// Sweep runs the clock sweeper now, in one transaction.
func (s *Service) Sweep(ctx context.Context) (SweepResult, error) {
	var res SweepResult
	err := s.inTxRetrying(ctx, func(tx pgx.Tx, q *dbsqlc.Queries) error {
		var err error
		res, err = s.sweep(ctx, tx, q)
		return err
	})
	return res, err
}

// sweep keeps the clocks: a deadline that passed yesterday is missed; a task whose nearest
// deadline comes within its buffer is escalated, and every near task is re-ranked as its
// deadline approaches; blocked work with a deadline inside its buffer is reopened, so a
// block never lets a clock run out; a denial left untriaged without a job is queued again.
func (s *Service) sweep(ctx context.Context, tx pgx.Tx, q *dbsqlc.Queries) (SweepResult, error) {
	var res SweepResult
	today := s.today()
	actor := System("sweeper")
	var events []dbsqlc.InsertEventsParams

	missed, err := q.MarkMissedDeadlines(ctx, today)
	if err != nil {
		return res, fmt.Errorf("error marking missed deadlines: %w", err)
	}
	for _, m := range missed {
		events = append(events, newEvent(actor, m.DenialID, 0, "deadline.missed", map[string]any{
			"kind": m.Kind, "due_date": m.DueDate.Format(rules.DateLayout),
		}))
	}
	res.Missed = len(missed)

	near, err := q.TasksNearDeadline(ctx, rules.AddDays(today, sweepHorizon))
	if err != nil {
		return res, fmt.Errorf("error reading tasks near their deadline: %w", err)
	}
	var payerIDs []int64
	for _, t := range near {
		payerIDs = append(payerIDs, t.PayerID)
	}
	outcomes, err := loadOutcomes(ctx, q, payerIDs)
	if err != nil {
		return res, err
	}
	var ranks dbsqlc.SetTaskPrioritiesParams
	var reopen []int64
	for _, t := range near {
		policy, err := payerPolicy(t.PayerKind, t.PayerPolicy)
		if err != nil {
			return res, fmt.Errorf("error reading policy of payer %d: %w", t.PayerID, err)
		}
		daysLeft := rules.DaysBetween(today, t.DeadlineDue)
		within := daysLeft <= policy.Buffer(rules.DeadlineKind(t.DeadlineKind))
		category := rules.Category(deref(t.Category))
		priority, reasons := rank(category, t.DeniedCents, outcomes[outcomeKey{t.PayerID, category}], daysLeft)
		escalate := within && t.EscalatedAt == nil
		if priority != t.Priority || escalate {
			addPriority(&ranks, t.ID, priority, reasons, escalate, false)
			res.Reranked++
		}
		if escalate {
			res.Escalated++
			events = append(events, newEvent(actor, t.DenialID, t.ID, "task.escalated", map[string]any{
				"deadline": t.DeadlineKind, "due_date": t.DeadlineDue.Format(rules.DateLayout),
				"days_left": daysLeft, "priority": priority,
			}))
		}
		if within && t.Status == TaskBlocked {
			reopen = append(reopen, t.ID)
		}
	}
	if len(ranks.Ids) > 0 {
		if err := q.SetTaskPriorities(ctx, ranks); err != nil {
			return res, fmt.Errorf("error re-ranking tasks: %w", err)
		}
	}
	if len(reopen) > 0 {
		reopened, err := q.ReopenBlockedTasks(ctx, reopen)
		if err != nil {
			return res, fmt.Errorf("error reopening blocked tasks: %w", err)
		}
		for _, r := range reopened {
			events = append(events, newEvent(actor, r.DenialID, r.ID, "task.reopened", map[string]any{
				"reason": "its deadline is near; a block must not let it run out",
			}))
		}
		res.Reopened = len(reopened)
	}

	stale, err := untriagedWithoutJob(ctx, tx)
	if err != nil {
		return res, fmt.Errorf("error looking for untriaged denials: %w", err)
	}
	if len(stale) > 0 {
		s.logger.WarnContext(ctx, "untriaged denials had no triage job; queueing them again", "denials", len(stale))
		params := make([]river.InsertManyParams, len(stale))
		for i, id := range stale {
			params[i] = river.InsertManyParams{Args: TriageArgs{DenialIDs: []int64{id}}}
		}
		if _, err := s.river.InsertManyFastTx(ctx, tx, params); err != nil {
			return res, fmt.Errorf("error queueing triage again: %w", err)
		}
		res.Requeued = len(stale)
	}
	return res, insertEvents(ctx, q, events)
}

// untriagedWithoutJob finds denials stored over ten minutes ago (by the database's clock:
// this is about jobs, not business dates) and still untriaged with no triage job that
// could still run: their job was lost or gave up, and nothing may expire unnoticed. The
// SQL is written here rather than in queries/ because it reads River's job table, which
// is River's schema, not ours, and unknown to sqlc.
func untriagedWithoutJob(ctx context.Context, tx pgx.Tx) ([]int64, error) {
	rows, err := tx.Query(ctx, `
		WITH queued AS (
		    -- The denials of every triage job that could still run, expanded once: a
		    -- backlog of jobs is then one hash anti-join, not a scan per denial.
		    SELECT DISTINCT e.id::bigint AS id
		    FROM river_job j
		    CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(j.args -> 'denial_ids') = 'array'
		        THEN j.args -> 'denial_ids' ELSE '[]'::jsonb END) AS e(id)
		    WHERE j.kind = 'triage'
		      AND j.state IN ('available', 'pending', 'running', 'retryable', 'scheduled'))
		SELECT d.id FROM denials d
		WHERE d.status = 'new' AND d.created_at < now() - interval '10 minutes'
		  AND NOT EXISTS (SELECT 1 FROM queued q WHERE q.id = d.id)
		ORDER BY d.id
		LIMIT 1000`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}
