package workflow_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/reclaimhq/reclaim/workflow"
	"github.com/reclaimhq/reclaim/workflow/errs"
)

func TestIngestReplayChangesNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	batch := []workflow.DenialInput{
		line("r-1", medicare, "50"),
		line("r-2", commercial, "55", remarks("N623")),
		line("r-3", commercial, "4"),
	}
	first := b.post(t, batch...)
	for i, r := range first {
		require.Equal(t, batch[i].SourceID, r.SourceID)
		require.Equal(t, workflow.OutcomeCreated, r.Outcome)
		require.Equal(t, workflow.StatusNew, r.Status)
	}

	snapshot := func() map[string]int {
		out := map[string]int{}
		for _, table := range []string{"denials", "claims", "payers", "adjustments", "remarks", "deadlines", "tasks", "events", "river_job"} {
			out[table] = b.count(t, "SELECT count(*) FROM "+table)
		}
		return out
	}
	before := snapshot()
	require.Equal(t, 3, before["denials"])

	again, err := b.svc.Ingest(b.ctx, b.actor, batch)
	require.NoError(t, err)
	for i, r := range again {
		require.Equal(t, first[i].ID, r.ID, "the existing id comes back")
		require.Equal(t, workflow.OutcomeDuplicate, r.Outcome)
		require.Equal(t, workflow.StatusOpen, r.Status, "the current status comes back")
	}
	require.Equal(t, before, snapshot(), "a replay changes nothing")

	// A batch mixing old and new lines stores only the new ones.
	mixed, err := b.svc.Ingest(b.ctx, b.actor, []workflow.DenialInput{batch[0], line("r-4", medicare, "4")})
	require.NoError(t, err)
	require.Equal(t, workflow.OutcomeDuplicate, mixed[0].Outcome)
	require.Equal(t, workflow.OutcomeCreated, mixed[1].Outcome)
}

func TestIngestRepeatWithinBatchIsDuplicate(t *testing.T) {
	t.Parallel()
	b := setup(t)
	l := line("twice", medicare, "50")
	res := b.post(t, l, l)
	require.Equal(t, workflow.OutcomeCreated, res[0].Outcome)
	require.Equal(t, workflow.OutcomeDuplicate, res[1].Outcome)
	require.Equal(t, res[0].ID, res[1].ID)
	require.Equal(t, 1, b.count(t, "SELECT count(*) FROM denials"))
	require.Equal(t, 1, b.count(t, "SELECT count(*) FROM adjustments"))
}

func TestIngestRefusesTheWholeBatch(t *testing.T) {
	t.Parallel()
	b := setup(t)
	batch := []workflow.DenialInput{
		line("ok-1", medicare, "50"),
		line("bad-npi", medicare, "50", func(in *workflow.DenialInput) { in.Provider.NPI = "1234567890" }),
		line("bad-dates", medicare, "50", service("2026-02-30")),
		line("remit-first", medicare, "50", service("2026-10-05"), remit("2026-10-01")),
		line("future", medicare, "50", remit("2027-01-05")),
		line("bad-codes", medicare, "50", remarks("N 386"), func(in *workflow.DenialInput) {
			in.Modifiers = []string{"G"}
			in.DiagnosisCodes = []string{"not-a-code"}
		}),
	}
	_, err := b.svc.Ingest(b.ctx, b.actor, batch)
	require.Error(t, err)
	require.Equal(t, errs.Invalid, errs.KindOf(err))

	locations := map[string]bool{}
	for _, d := range errs.DetailsOf(err) {
		locations[d.Location] = true
		require.NotEmpty(t, d.Message)
	}
	for _, loc := range []string{
		"body.denials[1].provider.npi",
		"body.denials[2].service_date",
		"body.denials[3].remit_date",
		"body.denials[4].remit_date",
		"body.denials[5].remarks[0]",
		"body.denials[5].modifiers[0]",
		"body.denials[5].diagnosis_codes[0]",
	} {
		require.True(t, locations[loc], "missing %s in %v", loc, locations)
	}
	require.False(t, locations["body.denials[0].remit_date"])

	for _, table := range []string{"denials", "claims", "payers", "events", "river_job"} {
		require.Zero(t, b.count(t, "SELECT count(*) FROM "+table), "nothing stored in %s", table)
	}
}

func TestIngestNewPayerNeedsKind(t *testing.T) {
	t.Parallel()
	b := setup(t)
	unknown := workflow.PayerInput{ID: "new-payer", Name: "New Payer"}
	_, err := b.svc.Ingest(b.ctx, b.actor, []workflow.DenialInput{line("k-1", medicare, "50"), line("k-2", unknown, "50")})
	require.Equal(t, errs.Invalid, errs.KindOf(err))
	require.Equal(t, "body.denials[1].payer.kind", errs.DetailsOf(err)[0].Location)
	require.Zero(t, b.count(t, "SELECT count(*) FROM denials"))
	require.Zero(t, b.count(t, "SELECT count(*) FROM payers"), "the valid line's payer is not stored either")

	// Once known, the payer needs no kind; a kind sent later does not change it.
	b.post(t, line("k-3", medicare, "50"))
	known := medicare
	known.Kind = ""
	b.post(t, line("k-4", known, "50"))
	relabel := medicare
	relabel.Kind = "commercial"
	res := b.post(t, line("k-5", relabel, "50"))
	require.Equal(t, "medicare", b.denial(t, res[0].ID).Payer.Kind)
}

func TestIngestBatchLimits(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, err := b.svc.Ingest(b.ctx, b.actor, nil)
	require.Equal(t, errs.Invalid, errs.KindOf(err))

	big := make([]workflow.DenialInput, workflow.MaxBatch+1)
	for i := range big {
		big[i] = line(fmt.Sprintf("big-%d", i), medicare, "50")
	}
	_, err = b.svc.Ingest(b.ctx, b.actor, big)
	require.Equal(t, errs.Invalid, errs.KindOf(err))

	// A full batch of 1,000 lines goes in whole, lines of one claim sharing the claim.
	full := big[:workflow.MaxBatch]
	for i := range full {
		full[i].Claim.ID = fmt.Sprintf("CLM-%d", i/4)
	}
	res, err := b.svc.Ingest(b.ctx, b.actor, full)
	require.NoError(t, err)
	require.Len(t, res, workflow.MaxBatch)
	require.Equal(t, 1000, b.count(t, "SELECT count(*) FROM denials"))
	require.Equal(t, 250, b.count(t, "SELECT count(*) FROM claims"))
	require.Equal(t, 100, b.count(t, "SELECT count(*) FROM river_job WHERE kind = 'triage'"), "batched in tens")
}

func TestValidNPI(t *testing.T) {
	t.Parallel()
	require.True(t, workflow.ValidNPI("1234567893")) // CMS's published example
	require.False(t, workflow.ValidNPI("1234567890"))
	require.False(t, workflow.ValidNPI("123456789"))
	require.False(t, workflow.ValidNPI("12345678a3"))
}
