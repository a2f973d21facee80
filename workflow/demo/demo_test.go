package demo_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/reclaimhq/reclaim/db/dbtest"
	"github.com/reclaimhq/reclaim/workflow"
	"github.com/reclaimhq/reclaim/workflow/demo"
	"github.com/reclaimhq/reclaim/workflow/rules"
	"github.com/reclaimhq/reclaim/workflow/workflowtest"
)

func TestDemoLoadsAndTriages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	now := time.Date(2026, 11, 26, 15, 0, 0, 0, time.UTC)
	svc, err := workflow.New(workflow.Config{
		Pool: pool, Workers: 8, Clock: workflowtest.NewClock(now),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	require.NoError(t, err)
	require.NoError(t, svc.Start(ctx))
	t.Cleanup(func() { _ = svc.Stop(context.Background()) })

	var sum demo.Summary
	workflowtest.Triaged(t, svc, pool, func() {
		sum, err = demo.Load(ctx, svc, demo.Options{Today: rules.Today(now, time.UTC)})
		require.NoError(t, err)
	})
	require.Equal(t, 300, sum.Lines)

	count := func(q string) int {
		var n int
		require.NoError(t, pool.QueryRow(ctx, q).Scan(&n))
		return n
	}
	require.Equal(t, 300, count("SELECT count(*) FROM denials WHERE procedure_code = '97026'"))
	require.Equal(t, 5, count("SELECT count(*) FROM payers"))
	require.Equal(t, 4, count("SELECT count(DISTINCT kind) FROM payers"), "Medicare, Medicare Advantage, commercial, Medicaid")
	require.GreaterOrEqual(t, count("SELECT count(DISTINCT category) FROM denials"), 10, "a believable mix")
	require.Zero(t, count("SELECT count(*) FROM denials WHERE status = 'new'"))
	require.Equal(t, count("SELECT count(*) FROM denials WHERE status = 'open'"), count("SELECT count(*) FROM tasks"), "a task per open denial")
	require.Positive(t, count("SELECT count(*) FROM denials WHERE status = 'closed'"), "some lines are not denials")
	require.Positive(t, count("SELECT count(*) FROM tasks WHERE assignee_id IS NOT NULL"))

	// The same seed makes the same data.
	require.Equal(t, demo.Lines(demo.Options{Lines: 20, Seed: 7, Today: rules.Date(2026, 11, 26)}),
		demo.Lines(demo.Options{Lines: 20, Seed: 7, Today: rules.Date(2026, 11, 26)}))
}
