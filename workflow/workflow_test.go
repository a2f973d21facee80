package workflow_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/reclaimhq/reclaim/db/dbtest"
	"github.com/reclaimhq/reclaim/workflow"
	"github.com/reclaimhq/reclaim/workflow/workflowtest"
)

// today is the date the tests' clock reads.
var today = time.Date(2026, 11, 26, 15, 0, 0, 0, time.UTC)

type testBundle struct {
	ctx   context.Context
	pool  *pgxpool.Pool
	svc   *workflow.Service
	clock *workflowtest.Clock
	actor workflow.Actor
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.New(t)
	clock := workflowtest.NewClock(today)
	svc, err := workflow.New(workflow.Config{
		Pool: pool, Clock: clock, Workers: 4, TriageBatch: 10, NoSweepSchedule: true,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	require.NoError(t, err)
	require.NoError(t, svc.Start(ctx))
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = svc.Stop(stopCtx)
	})
	return &testBundle{ctx: ctx, pool: pool, svc: svc, clock: clock, actor: workflow.Actor{Name: "billing-bot", Role: workflow.RoleBilling}}
}

// post ingests lines and waits for their triage.
func (b *testBundle) post(t *testing.T, lines ...workflow.DenialInput) []workflow.IngestResult {
	t.Helper()
	var results []workflow.IngestResult
	workflowtest.Triaged(t, b.svc, b.pool, func() {
		var err error
		results, err = b.svc.Ingest(b.ctx, b.actor, lines)
		require.NoError(t, err)
	})
	return results
}

func (b *testBundle) denial(t *testing.T, id int64) *workflow.Denial {
	t.Helper()
	d, err := b.svc.Denial(b.ctx, id)
	require.NoError(t, err)
	return d
}

func (b *testBundle) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, b.pool.QueryRow(b.ctx, query, args...).Scan(&n))
	return n
}

var (
	medicare   = workflow.PayerInput{ID: "noridian-je", Name: "Noridian JE Part B", Kind: "medicare"}
	advantage  = workflow.PayerInput{ID: "humana-gold", Name: "Humana Gold Plus", Kind: "medicare_advantage"}
	commercial = workflow.PayerInput{ID: "aetna-ppo", Name: "Aetna PPO", Kind: "commercial"}
	medicaid   = workflow.PayerInput{ID: "molina", Name: "Molina Medicaid", Kind: "medicaid"}
	otherPayer = workflow.PayerInput{ID: "county-plan", Name: "County Health Plan", Kind: "other"}
)

// line is a denied 97026 line; opts adjust it.
func line(sourceID string, payer workflow.PayerInput, reason string, opts ...func(*workflow.DenialInput)) workflow.DenialInput {
	in := workflow.DenialInput{
		SourceID:       sourceID,
		Claim:          workflow.ClaimInput{ID: "CLM-" + sourceID, PayerClaimNumber: "ICN" + sourceID},
		Payer:          payer,
		Patient:        workflow.PatientInput{AccountNumber: "PA-" + sourceID},
		Provider:       workflow.ProviderInput{NPI: "1234567893", Taxonomy: "225100000X"},
		ServiceDate:    "2026-09-15",
		ProcedureCode:  "97026",
		Modifiers:      []string{"GP"},
		Units:          1,
		DiagnosisCodes: []string{"M54.50"},
		BilledCents:    3000,
		Adjustments:    []workflow.AdjustmentInput{{Group: "CO", Reason: reason, AmountCents: 3000}},
		RemitDate:      "2026-10-01",
	}
	for _, o := range opts {
		o(&in)
	}
	return in
}

func remarks(codes ...string) func(*workflow.DenialInput) {
	return func(in *workflow.DenialInput) { in.Remarks = codes }
}

func remit(date string) func(*workflow.DenialInput) {
	return func(in *workflow.DenialInput) { in.RemitDate = date }
}

func service(date string) func(*workflow.DenialInput) {
	return func(in *workflow.DenialInput) { in.ServiceDate = date }
}

func group(g string) func(*workflow.DenialInput) {
	return func(in *workflow.DenialInput) { in.Adjustments[0].Group = g }
}
