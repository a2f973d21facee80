package workflow_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/reclaimhq/reclaim/workflow"
	"github.com/reclaimhq/reclaim/workflow/errs"
	"github.com/reclaimhq/reclaim/workflow/rules"
	"github.com/reclaimhq/reclaim/workflow/workflowtest"
)

var manager = workflow.Actor{Name: "maria", Role: workflow.RoleManager}

func TestPolicyChangeMovesOpenDeadlines(t *testing.T) {
	t.Parallel()
	b := setup(t)
	res := b.post(t,
		line("p-open", commercial, "55"), // appeal_1 due 2027-03-30
		line("p-fix", commercial, "4"),   // corrected_claim due 2027-03-30
		line("p-other", medicare, "50"),  // another payer: untouched
		line("p-missed", commercial, "55", remit("2026-01-10"), service("2025-12-10")), // appeal_1 due 2026-07-09, already passed
	)
	// The sweeper closes the passed clock as missed: history the change must not rewrite.
	_, err := b.svc.Sweep(b.ctx)
	require.NoError(t, err)
	require.Equal(t, "missed", b.denial(t, res[3].ID).Deadlines[0].Status)

	days := 90
	payer, err := b.svc.SetPayerPolicy(b.ctx, manager, "aetna-ppo", rules.PolicyOverride{
		Windows:    map[rules.DeadlineKind]rules.Window{rules.DeadlineAppeal1: {Days: days, Anchor: rules.AnchorRemitDate}},
		BufferDays: ptr(10),
	})
	require.NoError(t, err)
	require.Equal(t, 90, payer.Policy.Windows[rules.DeadlineAppeal1].Days)
	require.Equal(t, 180, payer.Policy.Windows[rules.DeadlineCorrectedClaim].Days, "what is not overridden keeps the default")
	require.Equal(t, 10, payer.Policy.BufferDays)

	open := b.denial(t, res[0].ID)
	require.Equal(t, "2026-12-30", open.Deadlines[0].DueDate, "2026-10-01 + 90 days")
	require.Equal(t, "90 days from remit_date", open.Deadlines[0].Window)
	require.Equal(t, "2026-12-16", open.Tasks[0].DueDate, "the task moves with its clock")
	require.Equal(t, "deadlines.recomputed", open.Events[len(open.Events)-1].Kind)

	fix := b.denial(t, res[1].ID)
	require.Equal(t, "2027-03-30", fix.Deadlines[0].DueDate, "the corrected-claim window did not change")
	require.Equal(t, "2027-03-20", fix.Tasks[0].DueDate, "but its task's buffer did")

	require.Equal(t, "2027-02-03", b.denial(t, res[2].ID).Deadlines[0].DueDate)
	missed := b.denial(t, res[3].ID)
	require.Equal(t, "2026-07-09", missed.Deadlines[0].DueDate, "closed history is never rewritten")
	require.Equal(t, "missed", missed.Deadlines[0].Status)

	require.Equal(t, 1, b.count(t, "SELECT count(*) FROM events WHERE kind = 'payer.policy_changed' AND actor = 'maria'"))

	payers, err := b.svc.Payers(b.ctx)
	require.NoError(t, err)
	require.Len(t, payers, 2)
	for _, p := range payers {
		if p.ID == "aetna-ppo" {
			require.Equal(t, int64(3), p.OpenDenials)
			require.Equal(t, 90, p.Overrides.Windows[rules.DeadlineAppeal1].Days)
		}
	}
}

func TestPolicyValidation(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.post(t, line("v-1", commercial, "55"))
	_, err := b.svc.SetPayerPolicy(b.ctx, manager, "aetna-ppo", rules.PolicyOverride{
		Windows: map[rules.DeadlineKind]rules.Window{rules.DeadlineAppeal1: {Days: 30, Months: 1, Anchor: rules.AnchorRemitDate}},
	})
	require.Equal(t, errs.Invalid, errs.KindOf(err))
	require.Equal(t, "body.windows.appeal_1", errs.DetailsOf(err)[0].Location)

	// An anchor the clock can never have: appeal_1 comes before any decision.
	_, err = b.svc.SetPayerPolicy(b.ctx, manager, "aetna-ppo", rules.PolicyOverride{
		Windows: map[rules.DeadlineKind]rules.Window{rules.DeadlineAppeal1: {Days: 30, Anchor: rules.AnchorDecision}},
	})
	require.Equal(t, "body.windows.appeal_1", errs.DetailsOf(err)[0].Location)
	require.Contains(t, err.Error(), "needs an earlier appeal's decision")
	_, err = b.svc.SetPayerPolicy(b.ctx, manager, "aetna-ppo", rules.PolicyOverride{
		Windows: map[rules.DeadlineKind]rules.Window{rules.DeadlineAppeal2: {Days: 30, Anchor: rules.AnchorRemitDate}},
	})
	require.Equal(t, "body.windows.appeal_2", errs.DetailsOf(err)[0].Location)

	_, err = b.svc.SetPayerPolicy(b.ctx, manager, "aetna-ppo", rules.PolicyOverride{ReceiptGraceDays: ptr(-2)})
	require.Equal(t, "body.receipt_grace_days", errs.DetailsOf(err)[0].Location)

	_, err = b.svc.SetPayerPolicy(b.ctx, manager, "nobody", rules.PolicyOverride{})
	require.Equal(t, errs.NotFound, errs.KindOf(err))
	require.Zero(t, b.count(t, "SELECT count(*) FROM events WHERE kind = 'payer.policy_changed'"), "a refused change changes nothing")
}

func TestSweeperKeepsTheClocks(t *testing.T) {
	t.Parallel()
	b := setup(t)
	require.NoError(t, b.svc.EnsureUser(b.ctx, workflow.System("test"), workflow.UserSpec{Name: "ben", Role: workflow.RoleSpecialist, Queues: []string{"coverage"}}))
	// Medicare Advantage appeals run 60 days from the remit: due 2026-12-14.
	res := b.post(t, line("s-near", advantage, "197", remit("2026-10-15")))
	id := res[0].ID
	d := b.denial(t, id)
	require.Equal(t, "2026-12-14", d.Deadlines[0].DueDate)
	before := d.Tasks[0].Priority

	// Ben blocks the task waiting on a record.
	_, err := b.pool.Exec(b.ctx, "UPDATE tasks SET status = 'blocked', blocked_reason = 'waiting for the plan of care' WHERE denial_id = $1", id)
	require.NoError(t, err)

	// 2026-11-26: 18 days left, outside the 14-day appeal buffer: nothing to do.
	got, err := b.svc.Sweep(b.ctx)
	require.NoError(t, err)
	require.Zero(t, got.Escalated)
	require.Zero(t, got.Reopened)

	// 2026-12-02: 12 days left: escalate, re-rank, and reopen the blocked work.
	b.clock.Set(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
	got, err = b.svc.Sweep(b.ctx)
	require.NoError(t, err)
	require.Equal(t, workflow.SweepResult{Escalated: 1, Reranked: 1, Reopened: 1}, got)
	d = b.denial(t, id)
	require.Equal(t, "open", d.Tasks[0].Status)
	require.Equal(t, "ben", d.Tasks[0].Assignee, "reopened work stays with its specialist")
	require.Greater(t, d.Tasks[0].Priority, before)
	require.Contains(t, d.Tasks[0].PriorityReasons, "deadline in 12 days (×2)")

	// The same day again changes nothing.
	got, err = b.svc.Sweep(b.ctx)
	require.NoError(t, err)
	require.Equal(t, workflow.SweepResult{}, got)

	// 2026-12-14 is the last day; on 2026-12-15 the deadline is missed.
	b.clock.Set(time.Date(2026, 12, 14, 23, 0, 0, 0, time.UTC))
	got, err = b.svc.Sweep(b.ctx)
	require.NoError(t, err)
	require.Zero(t, got.Missed, "due today is not missed yet")
	b.clock.Set(time.Date(2026, 12, 15, 0, 30, 0, 0, time.UTC))
	got, err = b.svc.Sweep(b.ctx)
	require.NoError(t, err)
	require.Equal(t, 1, got.Missed)
	d = b.denial(t, id)
	require.Equal(t, "missed", d.Deadlines[0].Status)

	kinds := []string{}
	for _, e := range d.Events {
		if e.Actor == "system:sweeper" {
			kinds = append(kinds, e.Kind)
		}
	}
	require.Equal(t, []string{"task.escalated", "task.reopened", "deadline.missed"}, kinds)
}

// The sweep runs as a River job, and the elected leader schedules it when it starts.
func TestSweepRunsAsAJob(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.post(t, line("j-1", commercial, "55", remit("2026-01-10"), service("2025-12-10")))
	var jobID int64
	workflowtest.Idle(t, b.svc, b.pool, func() {
		res, err := b.svc.River().Insert(b.ctx, workflow.SweepArgs{}, nil)
		require.NoError(t, err)
		jobID = res.Job.ID
	})
	require.Equal(t, 1, b.count(t, "SELECT count(*) FROM deadlines WHERE status = 'missed'"))
	require.Equal(t, 1, b.count(t, "SELECT count(*) FROM river_job WHERE id = $1 AND state = 'completed'", jobID))

	// A process with the schedule sweeps as soon as it leads (the first one steps down).
	stopCtx, stop := context.WithTimeout(b.ctx, 10*time.Second)
	defer stop()
	require.NoError(t, b.svc.Stop(stopCtx))
	scheduled, err := workflow.New(workflow.Config{
		Pool: b.pool, Clock: b.clock, Workers: 1, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	require.NoError(t, err)
	done, cancel := scheduled.River().Subscribe(river.EventKindJobCompleted)
	defer cancel()
	require.NoError(t, scheduled.Start(b.ctx))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = scheduled.Stop(ctx)
	})
	timeout := time.After(time.Minute)
	for {
		select {
		case e := <-done:
			if e.Job.Kind == "sweep_clocks" {
				return
			}
		case <-timeout:
			t.Fatal("the leader scheduled no sweep within a minute")
		}
	}
}

// A denial whose triage job was lost is found by the sweeper and triaged.
func TestSweeperRequeuesLostTriage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	res := b.post(t, line("lost", medicare, "50"))
	// Simulate the lost job: the denial back to untriaged, stored an hour ago.
	_, err := b.pool.Exec(b.ctx, `
		WITH t AS (UPDATE tasks SET status = 'cancelled', completed_at = now() WHERE denial_id = $1)
		UPDATE denials SET status = 'new', category = NULL, action = NULL, rule_id = NULL, triaged_at = NULL,
		       created_at = created_at - interval '1 hour' WHERE id = $1`, res[0].ID)
	require.NoError(t, err)
	_, err = b.pool.Exec(b.ctx, `DELETE FROM deadlines WHERE denial_id = $1`, res[0].ID)
	require.NoError(t, err)

	workflowtest.Triaged(t, b.svc, b.pool, func() {
		got, err := b.svc.Sweep(b.ctx)
		require.NoError(t, err)
		require.Equal(t, 1, got.Requeued)
	})
	d := b.denial(t, res[0].ID)
	require.Equal(t, "open", d.Status)
	require.Len(t, d.Deadlines, 1)
}

func TestListDeadlines(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.post(t,
		line("d-1", advantage, "197"), // appeal_1 2026-11-30
		line("d-2", commercial, "4"),  // corrected_claim 2027-03-30
		line("d-3", medicare, "4"),    // appeal_1 2027-02-03, reopening 2027-10-01
		line("d-4", commercial, "55", remit("2026-01-10"), service("2025-12-10")), // appeal_1 2026-07-09
	)
	_, err := b.svc.Sweep(b.ctx)
	require.NoError(t, err)

	page, err := b.svc.ListDeadlines(b.ctx, workflow.DeadlineFilter{Statuses: []string{"open"}, DueBefore: rules.Date(2027, 3, 1)})
	require.NoError(t, err)
	var due []string
	for _, d := range page.Deadlines {
		due = append(due, d.Kind+" "+d.DueDate)
	}
	require.Equal(t, []string{"appeal_1 2026-11-30", "appeal_1 2027-02-03"}, due)

	page, err = b.svc.ListDeadlines(b.ctx, workflow.DeadlineFilter{Statuses: []string{"missed"}})
	require.NoError(t, err)
	require.Len(t, page.Deadlines, 1)
	require.Equal(t, "aetna-ppo", page.Deadlines[0].PayerID)

	// Paging walks every deadline once, soonest first.
	var all []string
	cursor := ""
	for {
		page, err := b.svc.ListDeadlines(b.ctx, workflow.DeadlineFilter{Limit: 2, Cursor: cursor})
		require.NoError(t, err)
		for _, d := range page.Deadlines {
			all = append(all, d.DueDate)
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	require.Equal(t, []string{"2026-07-09", "2026-11-30", "2027-02-03", "2027-03-30", "2027-10-01"}, all)

	_, err = b.svc.ListDeadlines(b.ctx, workflow.DeadlineFilter{Cursor: "yesterday"})
	require.Equal(t, errs.Invalid, errs.KindOf(err))
}

func ptr[T any](v T) *T { return &v }

func TestEventsAreAppendOnly(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.post(t, line("e-1", medicare, "50"))
	for _, stmt := range []string{"DELETE FROM events", "UPDATE events SET actor = 'someone else'"} {
		_, err := b.pool.Exec(b.ctx, stmt)
		require.ErrorContains(t, err, "events are append-only", stmt)
	}
	require.Equal(t, 3, b.count(t, "SELECT count(*) FROM events"))
}

func TestLoadNCCIFiles(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ptp, err := os.Open("testdata/ncci/ptp-sample.txt")
	require.NoError(t, err)
	defer ptp.Close()
	n, err := b.svc.LoadPTP(b.ctx, manager, "ptp-sample.txt", ptp)
	require.NoError(t, err)
	require.Equal(t, 4, n)
	require.Equal(t, 1, b.count(t, "SELECT count(*) FROM ncci_edits WHERE column1 = '97530' AND deletion_date = '2020-01-01'"))
	require.Equal(t, 1, b.count(t, "SELECT count(*) FROM ncci_edits WHERE column1 = '97161' AND modifier_indicator = 0 AND deletion_date IS NULL"))

	mue, err := os.Open("testdata/ncci/mue-sample.csv")
	require.NoError(t, err)
	defer mue.Close()
	n, err = b.svc.LoadMUE(b.ctx, manager, "mue-sample.csv", mue)
	require.NoError(t, err)
	require.Equal(t, 2, n)
	require.Equal(t, 1, b.count(t, "SELECT count(*) FROM mue_limits WHERE code = '97035' AND units = 4 AND adjudication_indicator = 3"))

	// Loading the same file again changes nothing but its event.
	_, err = ptp.Seek(0, 0)
	require.NoError(t, err)
	_, err = b.svc.LoadPTP(b.ctx, manager, "ptp-sample.txt", ptp)
	require.NoError(t, err)
	require.Equal(t, 4, b.count(t, "SELECT count(*) FROM ncci_edits"))

	// A bad row refuses the whole file, naming the line.
	bad, err := os.Open("testdata/ncci/ptp-bad.txt")
	require.NoError(t, err)
	defer bad.Close()
	_, err = b.svc.LoadPTP(b.ctx, manager, "ptp-bad.txt", bad)
	require.Equal(t, errs.Invalid, errs.KindOf(err))
	require.ErrorContains(t, err, "ptp-bad.txt line 2, effective date")
	_, err = b.svc.LoadMUE(b.ctx, manager, "empty.csv", strings.NewReader("nothing here\n"))
	require.ErrorContains(t, err, "no rows of procedure codes")
}

// A clock that ran out stays missed: re-triage does not start it again as if new.
func TestRetriageKeepsAMissedClock(t *testing.T) {
	t.Parallel()
	b := setup(t)
	res := b.post(t, line("r-missed", commercial, "50", remit("2026-01-10"), service("2025-12-10")))
	_, err := b.svc.Sweep(b.ctx)
	require.NoError(t, err)
	require.Equal(t, "missed", b.denial(t, res[0].ID).Deadlines[0].Status)

	d, err := b.svc.Retriage(b.ctx, manager, res[0].ID, workflow.Facts{Modifiers: &[]string{"GP", "KX"}})
	require.NoError(t, err)
	require.Len(t, d.Deadlines, 1, "appeal_1 of 2026-07-09 is the same clock, already missed")
	require.Equal(t, "missed", d.Deadlines[0].Status)
	_, err = b.svc.Sweep(b.ctx)
	require.NoError(t, err)
	require.Equal(t, 1, b.count(t, "SELECT count(*) FROM events WHERE kind = 'deadline.missed' AND denial_id = $1", res[0].ID))
}

// A task escalated as its clock neared escalates again when a policy change moved the
// clock out and it nears once more.
func TestEscalationAfterPolicyMovesTheClock(t *testing.T) {
	t.Parallel()
	b := setup(t)
	res := b.post(t, line("e-1", advantage, "197", remit("2026-10-15"))) // appeal_1 due 2026-12-14
	b.clock.Set(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
	got, err := b.svc.Sweep(b.ctx)
	require.NoError(t, err)
	require.Equal(t, 1, got.Escalated)

	_, err = b.svc.SetPayerPolicy(b.ctx, manager, "humana-gold", rules.PolicyOverride{
		Windows: map[rules.DeadlineKind]rules.Window{rules.DeadlineAppeal1: {Days: 90, Anchor: rules.AnchorRemitDate}},
	})
	require.NoError(t, err)
	require.Equal(t, "2027-01-13", b.denial(t, res[0].ID).Deadlines[0].DueDate)

	b.clock.Set(time.Date(2026, 12, 31, 9, 0, 0, 0, time.UTC)) // 13 days left
	got, err = b.svc.Sweep(b.ctx)
	require.NoError(t, err)
	require.Equal(t, 1, got.Escalated)
	require.Equal(t, 2, b.count(t, "SELECT count(*) FROM events WHERE kind = 'task.escalated' AND denial_id = $1", res[0].ID))
}

// Re-triage that decides the same work keeps the task where its specialist left it.
func TestRetriageKeepsTheSameWork(t *testing.T) {
	t.Parallel()
	b := setup(t)
	res := b.post(t, line("k-1", medicare, "4", func(in *workflow.DenialInput) { in.Modifiers = nil }))
	d := b.denial(t, res[0].ID)
	require.Equal(t, "modifier.gp_missing", d.Rule)
	task := d.Tasks[0]
	_, err := b.pool.Exec(b.ctx, "UPDATE tasks SET status = 'in_progress', started_at = now() WHERE id = $1", task.ID)
	require.NoError(t, err)
	_, err = b.pool.Exec(b.ctx, "UPDATE denials SET status = 'in_progress' WHERE id = $1", d.ID)
	require.NoError(t, err)

	d, err = b.svc.Retriage(b.ctx, manager, d.ID, workflow.Facts{DiagnosisCodes: &[]string{"M54.16"}, Note: "coder fixed the diagnosis"})
	require.NoError(t, err)
	require.Equal(t, "modifier.gp_missing", d.Rule)
	require.Equal(t, "in_progress", d.Status)
	require.Len(t, d.Tasks, 1, "the same task")
	require.Equal(t, task.ID, d.Tasks[0].ID)
	require.Equal(t, "in_progress", d.Tasks[0].Status)
	require.Contains(t, d.Tasks[0].Instructions, "M54.16", "it quotes the corrected diagnosis")
	last := d.Events[len(d.Events)-1]
	require.Equal(t, "denial.retriaged", last.Kind)
	require.Equal(t, true, last.Detail["task_kept"])
}
