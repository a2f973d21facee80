package workflow_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/reclaimhq/reclaim/db/dbtest"
	"github.com/reclaimhq/reclaim/workflow"
	"github.com/reclaimhq/reclaim/workflow/workflowtest"
)

type wantDeadline struct{ kind, due string }

func TestTriageByCategoryAndPayerKind(t *testing.T) {
	t.Parallel()
	b := setup(t)
	tests := []struct {
		in        workflow.DenialInput
		status    string
		category  string
		action    string
		queue     string
		taskDue   string
		deadlines []wantDeadline
	}{
		// Medicare redetermination: remit 2026-10-01 + 5 days of receipt + 120 days.
		{line("mn-medicare", medicare, "50", remarks("N115")), "open", "medical_necessity", "appeal", "clinical",
			"2027-01-20", []wantDeadline{{"appeal_1", "2027-02-03"}}},
		{line("nc-medicare", medicare, "50", remarks("N386")), "open", "non_covered", "review", "clinical",
			"2027-01-20", []wantDeadline{{"appeal_1", "2027-02-03"}}},
		{line("mod-medicare", medicare, "4", remarks("N822")), "open", "modifier", "reopening", "coding",
			"2027-01-20", []wantDeadline{{"appeal_1", "2027-02-03"}, {"reopening", "2027-10-01"}}},
		{line("mod-commercial", commercial, "4", remarks("N822")), "open", "modifier", "corrected_claim", "coding",
			"2027-03-23", []wantDeadline{{"corrected_claim", "2027-03-30"}}},
		{line("bundle-medicare", medicare, "97", remarks("M80")), "open", "bundling", "review", "coding",
			"2027-01-20", []wantDeadline{{"appeal_1", "2027-02-03"}}},
		{line("doc-commercial", commercial, "16", remarks("N465")), "open", "documentation", "corrected_claim", "documentation",
			"2027-03-23", []wantDeadline{{"corrected_claim", "2027-03-30"}}},
		{line("exp-commercial", commercial, "55", remarks("N623")), "open", "experimental", "appeal", "clinical",
			"2027-03-16", []wantDeadline{{"appeal_1", "2027-03-30"}}},
		// Medicare Advantage: 60 days from the remit; the task's buffer would fall before
		// today, so it is due today.
		{line("auth-advantage", advantage, "197"), "open", "authorization", "appeal", "coverage",
			"2026-11-26", []wantDeadline{{"appeal_1", "2026-11-30"}}},
		// Medicaid eligibility: bill the right payer within a year of service.
		{line("elig-medicaid", medicaid, "31"), "open", "eligibility", "rebill_other_payer", "coverage",
			"2027-09-08", []wantDeadline{{"timely_filing", "2027-09-15"}}},
		{line("freq-medicaid", medicaid, "119", remarks("N640")), "open", "frequency", "review", "clinical",
			"2026-12-16", []wantDeadline{{"appeal_1", "2026-12-30"}}},
		{line("dup-commercial", commercial, "18", remarks("N522")), "open", "duplicate", "review", "coverage",
			"2027-03-16", []wantDeadline{{"appeal_1", "2027-03-30"}}},
		{line("other-payer", otherPayer, "133"), "open", "other", "review", "review",
			"2027-03-16", []wantDeadline{{"appeal_1", "2027-03-30"}}},
		// A year boundary: remit 2025-12-20, receipt 2025-12-25, due 2026-04-24 (passed:
		// the task is due today).
		{line("year-boundary", medicare, "50", service("2025-12-01"), remit("2025-12-20")), "open", "medical_necessity", "appeal", "clinical",
			"2026-11-26", []wantDeadline{{"appeal_1", "2026-04-24"}}},
		// A Feb 29 remit: the reopening year ends on Feb 28.
		{line("leap-day", medicare, "4", service("2024-02-20"), remit("2024-02-29")), "open", "modifier", "reopening", "coding",
			"2026-11-26", []wantDeadline{{"appeal_1", "2024-07-03"}, {"reopening", "2025-02-28"}}},
		// Not denials.
		{line("deductible", medicare, "1", group("PR")), "closed", "patient_responsibility", "none", "", "", nil},
		{line("contractual", commercial, "45"), "closed", "contractual", "none", "", "", nil},
	}
	lines := make([]workflow.DenialInput, len(tests))
	for i, tt := range tests {
		lines[i] = tt.in
	}
	results := b.post(t, lines...)

	for i, tt := range tests {
		t.Run(tt.in.SourceID, func(t *testing.T) {
			d := b.denial(t, results[i].ID)
			require.Equal(t, tt.status, d.Status)
			require.Equal(t, tt.category, d.Category)
			require.Equal(t, tt.action, d.Action)
			require.NotEmpty(t, d.Rule)
			require.NotEmpty(t, d.Rationale)

			var got []wantDeadline
			for _, dl := range d.Deadlines {
				require.Equal(t, "open", dl.Status)
				got = append(got, wantDeadline{dl.Kind, dl.DueDate})
			}
			require.Equal(t, tt.deadlines, got)

			if tt.queue == "" {
				require.Empty(t, d.Tasks, "no work for a line that is not a denial")
				require.Zero(t, d.DeniedCents)
				return
			}
			require.Len(t, d.Tasks, 1)
			task := d.Tasks[0]
			require.Equal(t, tt.action, task.Kind)
			require.Equal(t, tt.queue, task.Queue)
			require.Equal(t, tt.taskDue, task.DueDate)
			require.Equal(t, "open", task.Status)
			require.Empty(t, task.Assignee, "nobody works the queues yet")
			require.Positive(t, task.Priority)
			require.Len(t, task.PriorityReasons, 3)
			require.NotEmpty(t, task.Title)
			require.NotEmpty(t, task.Checklist)
			require.Equal(t, int64(3000), d.DeniedCents)

			kinds := []string{}
			for _, e := range d.Events {
				kinds = append(kinds, e.Kind)
			}
			require.Equal(t, []string{"denial.received", "denial.triaged", "task.created"}, kinds)
			require.Equal(t, "billing-bot", d.Events[0].Actor)
			require.Equal(t, "system:triage", d.Events[1].Actor)
		})
	}
}

func TestTriageAssignsTheLeastLoadedMember(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin := workflow.System("test")
	require.NoError(t, b.svc.EnsureUser(b.ctx, admin, workflow.UserSpec{Name: "alice", Role: workflow.RoleSpecialist, Queues: []string{"clinical"}}))
	b.post(t, line("a-1", medicare, "50"), line("a-2", medicare, "50"))

	// carla joins with no work: she gets the next ones until she has as many as alice.
	require.NoError(t, b.svc.EnsureUser(b.ctx, admin, workflow.UserSpec{Name: "carla", Role: workflow.RoleSpecialist, Queues: []string{"clinical", "coding"}}))
	b.post(t, line("c-1", medicare, "50"), line("c-2", medicare, "50"), line("c-3", medicare, "50"), line("c-4", medicare, "50"))

	loads := map[string]int{}
	rows, err := b.pool.Query(b.ctx, `SELECT u.name, count(*) FROM tasks t JOIN users u ON u.id = t.assignee_id GROUP BY u.name`)
	require.NoError(t, err)
	for rows.Next() {
		var name string
		var n int
		require.NoError(t, rows.Scan(&name, &n))
		loads[name] = n
	}
	require.NoError(t, rows.Err())
	require.Equal(t, map[string]int{"alice": 3, "carla": 3}, loads)

	// A queue nobody works keeps its tasks unassigned.
	res := b.post(t, line("cov-1", commercial, "197"))
	d := b.denial(t, res[0].ID)
	require.Equal(t, "coverage", d.Tasks[0].Queue)
	require.Empty(t, d.Tasks[0].Assignee)
	require.Equal(t, "carla", b.denial(t, b.post(t, line("cod-1", commercial, "4"))[0].ID).Tasks[0].Assignee)
}

// A failing triage leaves nothing behind, a failing line never holds up its neighbours,
// and the retry triages it once.
func TestTriageFailureIsAllOrNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	// Without a route for non-covered denials, their task cannot be made.
	_, err := b.pool.Exec(b.ctx, "DELETE FROM queue_routes WHERE category = 'non_covered'")
	require.NoError(t, err)

	var res []workflow.IngestResult
	workflowtest.Idle(t, b.svc, b.pool, func() {
		var err error
		res, err = b.svc.Ingest(b.ctx, b.actor, []workflow.DenialInput{
			line("fine-1", medicare, "4"), line("stuck", medicare, "50", remarks("N386")), line("fine-2", commercial, "55"),
		})
		require.NoError(t, err)
	})

	// The batch was split: the neighbours are triaged; the stuck line has nothing.
	require.Equal(t, "open", b.denial(t, res[0].ID).Status)
	require.Equal(t, "open", b.denial(t, res[2].ID).Status)
	stuck := b.denial(t, res[1].ID)
	require.Equal(t, "new", stuck.Status)
	require.Empty(t, stuck.Category)
	require.Empty(t, stuck.Deadlines)
	require.Empty(t, stuck.Tasks)
	require.Len(t, stuck.Events, 1, "only its receipt")

	// Mend the routing and retry: triaged exactly once.
	_, err = b.pool.Exec(b.ctx, "INSERT INTO queue_routes (category, queue_id) SELECT 'non_covered', id FROM queues WHERE name = 'clinical'")
	require.NoError(t, err)
	var failedJob int64
	require.NoError(t, b.pool.QueryRow(b.ctx, "SELECT id FROM river_job WHERE state = 'retryable' AND args->'denial_ids' = $1", fmt.Sprintf("[%d]", res[1].ID)).Scan(&failedJob))
	workflowtest.Triaged(t, b.svc, b.pool, func() {
		_, err := b.svc.River().JobRetry(b.ctx, failedJob)
		require.NoError(t, err)
	})
	stuck = b.denial(t, res[1].ID)
	require.Equal(t, "open", stuck.Status)
	require.Equal(t, "non_covered", stuck.Category)
	require.Len(t, stuck.Tasks, 1)
	require.Len(t, stuck.Deadlines, 1)
	require.Equal(t, 3, b.count(t, "SELECT count(*) FROM tasks"))
	require.Equal(t, 3, b.count(t, "SELECT count(*) FROM events WHERE kind = 'denial.triaged'"))
}

// Two jobs for one denial, worked at once, make one task.
func TestTriageTwiceMakesOneTask(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	clock := workflowtest.NewClock(today)

	// Lines stored by a process that works no jobs: they wait untriaged, each with its job
	// and eight more for the same denial, so workers race over every one of them.
	loader, err := workflow.New(workflow.Config{Pool: pool, Clock: clock, Logger: logger})
	require.NoError(t, err)
	var lines []workflow.DenialInput
	for i := range 20 {
		lines = append(lines, line(fmt.Sprintf("race-%d", i), medicare, "50"))
	}
	res, err := loader.Ingest(ctx, workflow.System("test"), lines)
	require.NoError(t, err)
	var params []river.InsertManyParams
	for _, r := range res {
		for range 8 {
			params = append(params, river.InsertManyParams{Args: workflow.TriageArgs{DenialIDs: []int64{r.ID}}})
		}
	}
	_, err = loader.River().InsertMany(ctx, params)
	require.NoError(t, err)

	workers, err := workflow.New(workflow.Config{Pool: pool, Clock: clock, Logger: logger, Workers: 16, NoSweepSchedule: true})
	require.NoError(t, err)
	workflowtest.Triaged(t, workers, pool, func() { require.NoError(t, workers.Start(ctx)) })
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = workers.Stop(stopCtx)
	})

	count := func(q string) int {
		var n int
		require.NoError(t, pool.QueryRow(ctx, q).Scan(&n))
		return n
	}
	require.Equal(t, 20, count("SELECT count(*) FROM tasks"), "one task per denial")
	require.Equal(t, 20, count("SELECT count(DISTINCT denial_id) FROM tasks"))
	require.Equal(t, 20, count("SELECT count(*) FROM deadlines"), "one redetermination clock each")
	require.Equal(t, 20, count("SELECT count(*) FROM events WHERE kind = 'denial.triaged'"))
	require.Equal(t, 1+160, count("SELECT count(*) FROM river_job WHERE kind = 'triage' AND state = 'completed'"), "the batch and the extra jobs all ran")
}
