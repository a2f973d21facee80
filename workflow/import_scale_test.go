package workflow_test

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/reclaimhq/reclaim/db/dbtest"
	"github.com/reclaimhq/reclaim/workflow"
	"github.com/reclaimhq/reclaim/workflow/workflowtest"
	"github.com/reclaimhq/reclaim/x12/x12test"
)

// statementCounter counts the statements and COPYs a pool sends.
type statementCounter struct{ n atomic.Int64 }

func (c *statementCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}
func (c *statementCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (c *statementCounter) TraceCopyFromStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceCopyFromStartData) context.Context {
	c.n.Add(1)
	return ctx
}
func (c *statementCounter) TraceCopyFromEnd(context.Context, *pgx.Conn, pgx.TraceCopyFromEndData) {}

// A 100,000-line remittance imports through set-based writes: the number of statements
// grows with the chunks of the file, not with its lines.
func TestLargeRemittanceIsSetBased(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 100,000 lines")
	}
	t.Parallel()
	_, url := dbtest.NewWithURL(t)
	cfg, err := pgxpool.ParseConfig(url)
	require.NoError(t, err)
	counter := &statementCounter{}
	cfg.ConnConfig.Tracer = counter
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	svc, err := workflow.New(workflow.Config{ // no workers: only the import's own statements count
		Pool: pool, Clock: workflowtest.NewClock(today), Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	require.NoError(t, err)

	content, sum := x12test.GenerateSummary(x12test.Options{Lines: 100_000, Seed: 7})
	var stages []workflow.ImportProgress
	before := counter.n.Load()
	started := time.Now()
	res, err := svc.ImportRemittance(context.Background(), workflow.System("test"), content, workflow.ImportOptions{
		Progress: func(p workflow.ImportProgress) { stages = append(stages, p) },
	})
	require.NoError(t, err)
	statements := counter.n.Load() - before
	t.Logf("imported %d lines (%d bytes, %d denied) in %s with %d statements",
		sum.Lines, len(content), sum.DeniedLines, time.Since(started).Round(time.Millisecond), statements)

	tot := res.Remittance.Totals
	require.Equal(t, sum.Lines, tot.Lines)
	require.Equal(t, sum.Claims, tot.Claims)
	require.Equal(t, sum.DeniedLines, tot.Denied, "every generated denial became one")
	require.Equal(t, sum.Lines-sum.DeniedLines, tot.Unmatched, "payments with no denial before them")
	require.Zero(t, tot.Recovered, "a payment never pays a denial of its own file")
	var denials int
	require.NoError(t, pool.QueryRow(context.Background(), "SELECT count(*) FROM denials").Scan(&denials))
	require.Equal(t, sum.DeniedLines, denials)
	require.Less(t, statements, int64(250), "set-based: statements per chunk, not per line")
	require.Equal(t, "stored", stages[len(stages)-1].Stage)
}

// An import stopped halfway (the process killed, the client gone) leaves nothing behind,
// and the same file imports whole afterwards.
func TestInterruptedImportLeavesNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	content, sum := x12test.GenerateSummary(x12test.Options{Lines: 15_000, Seed: 11}) // two chunks of denials
	ctx, cancel := context.WithCancel(b.ctx)
	defer cancel()
	_, err := b.svc.ImportRemittance(ctx, b.actor, content, workflow.ImportOptions{
		Progress: func(p workflow.ImportProgress) {
			if p.Stage == "denials" && p.Done < p.Total {
				cancel() // after the first chunk of denials is written
			}
		},
	})
	require.ErrorIs(t, err, context.Canceled)
	for _, table := range []string{"remittances", "remittance_lines", "denials", "claims", "payers", "events", "river_job"} {
		require.Zero(t, b.count(t, "SELECT count(*) FROM "+table), table)
	}

	require.Greater(t, sum.DeniedLines, 5000)
	res, err := b.svc.ImportRemittance(b.ctx, b.actor, content, workflow.ImportOptions{})
	require.NoError(t, err)
	require.Equal(t, workflow.OutcomeCreated, res.Outcome)
	require.Equal(t, sum.DeniedLines, res.Remittance.Totals.Denied)
	require.Equal(t, sum.DeniedLines, b.count(t, "SELECT count(*) FROM denials"))
}
