// Package workflowtest helps tests drive the workflow: a clock they set, and a way to wait
// for triage to finish without sleeping.
package workflowtest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/reclaimhq/reclaim/workflow"
)

// Clock is a clock a test sets. It is safe for concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock makes a clock that reads now until moved.
func NewClock(now time.Time) *Clock { return &Clock{now: now} }

// Now tells the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Triaged runs post (which stores lines) and returns once no denial is left untriaged and
// no triage job is left to run, failing the test after a minute. The service must be
// started with workers. It waits on River's job events, never on a timer.
func Triaged(t testing.TB, svc *workflow.Service, pool *pgxpool.Pool, post func()) {
	t.Helper()
	waitFor(t, svc, pool, post, `
		SELECT NOT EXISTS (SELECT 1 FROM denials WHERE status = 'new')
		   AND NOT EXISTS (SELECT 1 FROM river_job WHERE kind = 'triage' AND state IN ('available', 'running', 'retryable', 'scheduled'))`)
}

// Idle runs fn and returns once no job of any kind is available or running: what could run
// has run, and what failed waits for its retry.
func Idle(t testing.TB, svc *workflow.Service, pool *pgxpool.Pool, fn func()) {
	t.Helper()
	waitFor(t, svc, pool, fn, `
		SELECT NOT EXISTS (SELECT 1 FROM river_job WHERE state IN ('available', 'running'))`)
}

func waitFor(t testing.TB, svc *workflow.Service, pool *pgxpool.Pool, fn func(), condition string) {
	t.Helper()
	events, cancel := svc.River().Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled)
	defer cancel()
	fn()

	ctx, stop := context.WithTimeout(context.Background(), time.Minute)
	defer stop()
	for {
		var done bool
		if err := pool.QueryRow(ctx, condition).Scan(&done); err != nil {
			t.Fatalf("error checking job progress: %v", err)
		}
		if done {
			return
		}
		select {
		case <-events:
		case <-ctx.Done():
			t.Fatalf("jobs did not settle within a minute")
		}
	}
}
