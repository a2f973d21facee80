package workflow_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/reclaimhq/reclaim/workflow"
	"github.com/reclaimhq/reclaim/workflow/errs"
	"github.com/reclaimhq/reclaim/workflow/workflowtest"
)

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

var x12Testdata = filepath.Join("..", "x12", "testdata")

// importFile imports an 835 and waits for the triage of the denials it made.
func (b *testBundle) importFile(t *testing.T, path string) *workflow.ImportResult {
	t.Helper()
	var res *workflow.ImportResult
	workflowtest.Triaged(t, b.svc, b.pool, func() {
		var err error
		res, err = b.svc.ImportRemittance(b.ctx, b.actor, readFile(t, path), workflow.ImportOptions{Filename: filepath.Base(path)})
		require.NoError(t, err)
	})
	return res
}

// denialBySource reads the denial an 835 line became.
func (b *testBundle) denialBySource(t *testing.T, sourceID string) *workflow.Denial {
	t.Helper()
	var id int64
	require.NoError(t, b.pool.QueryRow(b.ctx, "SELECT id FROM denials WHERE source_id = $1", sourceID).Scan(&id), sourceID)
	return b.denial(t, id)
}

// tableCounts counts what an import writes, to prove a replay writes nothing.
func (b *testBundle) tableCounts(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"remittances", "remittance_claims", "remittance_lines", "denials", "claims",
		"adjustments", "recoveries", "deadlines", "tasks", "events", "river_job"} {
		out[table] = b.count(t, "SELECT count(*) FROM "+table)
	}
	out["recovered_cents"] = b.count(t, "SELECT coalesce(sum(recovered_cents), 0)::int FROM denials")
	out["open_deadlines"] = b.count(t, "SELECT count(*) FROM deadlines WHERE status = 'open'")
	out["live_tasks"] = b.count(t, "SELECT count(*) FROM tasks WHERE status IN ('open', 'in_progress', 'blocked')")
	return out
}

func outcomes(r *workflow.Remittance) []string {
	var out []string
	for _, c := range r.Claims {
		for _, l := range c.Lines {
			out = append(out, c.PatientControlNumber+" "+l.ProcedureCode+" "+l.Outcome)
		}
	}
	return out
}

// The end-to-end pair: a file of denials, then a later file paying one in full and one in
// part, with a payment that matches nothing; replaying both changes nothing.
func TestRemittanceDenialsThenPayments(t *testing.T) {
	t.Parallel()
	b := setup(t)

	first := b.importFile(t, filepath.Join(x12Testdata, "e2e-denials.835"))
	require.Equal(t, workflow.OutcomeCreated, first.Outcome)
	r := first.Remittance
	require.Equal(t, "e2e-denials.835", r.Filename)
	require.Len(t, r.Transactions, 2)
	require.Equal(t, "01182", r.Transactions[0].PayerID)
	require.Equal(t, "SHP01", r.Transactions[1].PayerID)
	require.Equal(t, int64(2312), r.Transactions[0].PaymentCents)
	require.Equal(t, workflow.LineTotals{Claims: 4, Lines: 5, Denied: 4, Unmatched: 1}, r.Totals)
	require.Equal(t, []string{
		"E2E-101 97110 unmatched", "E2E-101 97026 denied", "E2E-102 97026 denied",
		"E2E-201 97026 denied", "E2E-202 97026 denied",
	}, outcomes(r))
	require.Len(t, r.Unmatched, 1)
	require.Equal(t, "97110", r.Unmatched[0].ProcedureCode)
	require.Contains(t, r.Unmatched[0].Detail, "no open denial")

	// The denials went through triage like posted ones.
	medNec := b.denialBySource(t, "835:01182:22026258101001:E2E101L2:97026:20260803")
	require.Equal(t, "open", medNec.Status)
	require.Equal(t, "medical_necessity", medNec.Category)
	require.Equal(t, "medicare", medNec.Payer.Kind)
	require.Equal(t, "NORIDIAN JE PART B", medNec.Payer.Name)
	require.Equal(t, "2026-08-03", medNec.ServiceDate)
	require.Equal(t, "2026-09-15", medNec.RemitDate)
	require.Equal(t, int64(3500), medNec.DeniedCents)
	require.Equal(t, []string{"GP"}, medNec.Modifiers)
	require.Equal(t, []string{"N115", "MA01"}, medNec.Remarks, "line remarks, then the claim's")
	require.Equal(t, "1682947134", medNec.Provider.NPI)
	require.Equal(t, "2QX7RT4WN63", medNec.Patient.MemberID)
	require.Equal(t, []string{"appeal_1"}, deadlineKindsOf(medNec))
	require.Equal(t, "2027-01-18", medNec.Deadlines[0].DueDate, "2026-09-15 + 5 + 120 days")
	noGP := b.denialBySource(t, "835:01182:22026258101002:E2E102L1:97026:20260805")
	require.Equal(t, "modifier.gp_missing", noGP.Rule)
	require.Equal(t, "reopening", noGP.Action)
	auth := b.denialBySource(t, "835:SHP01:SHP26091500201:E2E201L1:97026:20260810")
	require.Equal(t, "commercial", auth.Payer.Kind)
	require.Equal(t, "authorization", auth.Category)
	docs := b.denialBySource(t, "835:SHP01:SHP26091500202:E2E202L1:97026:20260812")
	require.Equal(t, "documentation", docs.Category)

	second := b.importFile(t, filepath.Join(x12Testdata, "e2e-payments.835"))
	require.Equal(t, workflow.OutcomeCreated, second.Outcome)
	r = second.Remittance
	require.Equal(t, workflow.LineTotals{Claims: 3, Lines: 3, Recovered: 2, RecoveredCents: 4543, Unmatched: 1}, r.Totals)
	require.Equal(t, []string{"E2E-101 97026 recovered", "E2E-201 97026 recovered", "E2E-301 97026 unmatched"}, outcomes(r))
	require.Len(t, r.Unmatched, 1)
	require.Equal(t, "E2E-301", r.Unmatched[0].PatientControlNumber)
	require.Equal(t, int64(2800), r.Unmatched[0].PaidCents)
	require.Contains(t, r.Unmatched[0].Detail, "paid $28.00; no open denial for claim E2E-301 97026 on 2026-09-28")

	part := b.denial(t, medNec.ID)
	require.Equal(t, "partially_recovered", part.Status)
	require.Equal(t, int64(543), part.RecoveredCents)
	require.Len(t, part.Recoveries, 1)
	require.Equal(t, workflow.RecoverySourceRemittance, part.Recoveries[0].Source)
	require.Equal(t, r.ID, part.Recoveries[0].RemittanceID)
	require.Equal(t, "2026-10-20", part.Recoveries[0].PaidOn)
	require.Equal(t, "closed", part.Deadlines[0].Status, "the clock stops")
	require.Equal(t, "done", part.Tasks[0].Status, "the task is finished")
	require.Equal(t, "recovery.recorded", part.Events[len(part.Events)-1].Kind)

	full := b.denial(t, auth.ID)
	require.Equal(t, "recovered", full.Status)
	require.Equal(t, int64(4000), full.RecoveredCents)

	for _, id := range []int64{noGP.ID, docs.ID} {
		d := b.denial(t, id)
		require.Equal(t, "open", d.Status, "not paid again: still open")
		require.Zero(t, d.RecoveredCents)
	}

	// Both files again: the same content changes nothing.
	before := b.tableCounts(t)
	for _, name := range []string{"e2e-denials.835", "e2e-payments.835"} {
		again, err := b.svc.ImportRemittance(b.ctx, b.actor, readFile(t, filepath.Join(x12Testdata, name)), workflow.ImportOptions{})
		require.NoError(t, err)
		require.Equal(t, workflow.OutcomeDuplicate, again.Outcome, name)
	}
	require.Equal(t, before, b.tableCounts(t))

	// The same payments under another envelope are a different file, but not new money.
	reframed := strings.ReplaceAll(string(readFile(t, filepath.Join(x12Testdata, "e2e-payments.835"))), "~\n", "~\r\n")
	again, err := b.svc.ImportRemittance(b.ctx, b.actor, []byte(reframed), workflow.ImportOptions{})
	require.NoError(t, err)
	require.Equal(t, workflow.OutcomeCreated, again.Outcome)
	require.Equal(t, 2, again.Remittance.Totals.Duplicates)
	require.Equal(t, 0, again.Remittance.Totals.Recovered)
	require.Equal(t, before["recovered_cents"], b.tableCounts(t)["recovered_cents"])
	require.Equal(t, before["recoveries"], b.tableCounts(t)["recoveries"])
}

// A reversal takes back the payment it reverses and reopens the work; the re-adjudication
// after it in the same file is recorded anew.
func TestRemittanceReversal(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.importFile(t, filepath.Join(x12Testdata, "e2e-denials.835"))
	b.importFile(t, filepath.Join(x12Testdata, "e2e-payments.835"))
	auth := b.denialBySource(t, "835:SHP01:SHP26091500201:E2E201L1:97026:20260810")
	require.Equal(t, "recovered", auth.Status)
	taskID := auth.Tasks[0].ID

	res := b.importFile(t, filepath.Join("testdata", "835", "e2e-reversal.835"))
	r := res.Remittance
	require.Equal(t, []string{"E2E-201 97026 reversed", "E2E-201 97026 recovered"}, outcomes(r))
	require.Equal(t, int64(4000), r.Totals.ReversedCents)
	require.Equal(t, int64(3200), r.Totals.RecoveredCents)
	require.Len(t, r.Warnings, 1, "BPR02 does not balance: the reader says so and the file is still taken")
	require.Equal(t, "BPR", r.Warnings[0].ID)

	d := b.denial(t, auth.ID)
	require.Equal(t, "partially_recovered", d.Status, "32.00 of 40.00 after the reversal and re-payment")
	require.Equal(t, int64(3200), d.RecoveredCents)
	require.Len(t, d.Recoveries, 3)
	require.Equal(t, int64(-4000), d.Recoveries[1].AmountCents)
	require.Equal(t, d.Recoveries[0].ID, d.Recoveries[1].Reverses)
	var kinds []string
	for _, e := range d.Events {
		kinds = append(kinds, e.Kind)
	}
	require.Equal(t, 2, count(kinds, "recovery.recorded"))
	require.Equal(t, 1, count(kinds, "recovery.reversed"))
	require.Equal(t, "done", d.Tasks[0].Status)
	require.Equal(t, taskID, d.Tasks[0].ID)

	// A reversal alone reopens what the payment closed.
	only := b.importFile(t, filepath.Join("testdata", "835", "e2e-reversal-only.835"))
	require.Equal(t, []string{"E2E-201 97026 reversed"}, outcomes(only.Remittance))
	require.Empty(t, only.Remittance.Warnings)
	d = b.denial(t, auth.ID)
	require.Equal(t, "open", d.Status, "nothing left recovered: back to where it was before it was paid")
	require.Zero(t, d.RecoveredCents)
	require.Equal(t, "open", d.Deadlines[0].Status, "the clock runs again")
	require.Equal(t, "open", d.Tasks[0].Status, "the task is back")
	require.Equal(t, taskID, d.Tasks[0].ID)
}

func count(s []string, v string) int {
	n := 0
	for _, x := range s {
		if x == v {
			n++
		}
	}
	return n
}

func deadlineKindsOf(d *workflow.Denial) []string {
	var out []string
	for _, dl := range d.Deadlines {
		out = append(out, dl.Kind)
	}
	return out
}

// Every shared fixture and our own 835s import; what cannot become work is listed.
func TestRemittanceFixturesImport(t *testing.T) {
	t.Parallel()
	b := setup(t)
	files, err := filepath.Glob(filepath.Join(x12Testdata, "*.835"))
	require.NoError(t, err)
	more, err := filepath.Glob(filepath.Join(x12Testdata, "linuxforhealth", "*.835"))
	require.NoError(t, err)
	files = append(files, more...)
	require.GreaterOrEqual(t, len(files), 13)
	for _, f := range files {
		res := b.importFile(t, f)
		tot := res.Remittance.Totals
		require.Equal(t, tot.Lines, tot.Denied+tot.Duplicates+tot.Recovered+tot.Reversed+tot.Unmatched, f)
		require.Equal(t, tot.Unmatched, len(res.Remittance.Unmatched), f)
	}

	// The claim-level denial has no procedure: it is listed for a person, never guessed at.
	var detail string
	require.NoError(t, b.pool.QueryRow(b.ctx, `
		SELECT l.detail FROM remittance_lines l JOIN remittance_claims c USING (remittance_id)
		WHERE c.position = l.claim_position AND c.patient_control_number = 'CLD-4001'`).Scan(&detail))
	require.Contains(t, detail, "claim-level denial with no service lines")

	// Medicare's NCD 270.6 line came through as a denial (no diagnosis on an 835: the
	// specialist adds it by re-triage).
	d := b.denialBySource(t, "835:01182:22026152001001:MCR1001L2:97026:20260504")
	require.Equal(t, "open", d.Status)
	require.Equal(t, []string{"97110"}, d.OtherProcedureCodes, "the paid neighbour line feeds the bundling edits")
	// The chiropractor's line carries no taxonomy on an 835 either.
	require.NotEmpty(t, b.denialBySource(t, "835:01182:22026152001003:MCR1003L1:97026:20260507").Category)
	// A deductible-only line is not a denial.
	require.Zero(t, b.count(t, "SELECT count(*) FROM denials WHERE source_id LIKE '835:01182:22026152001006:%'"))
}

// A file that is not a readable 835 is refused whole, naming where, and stores nothing.
func TestRemittanceRefusesGarbage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	good := string(readFile(t, filepath.Join(x12Testdata, "e2e-denials.835")))
	cases := map[string]struct {
		content  string
		location string
	}{
		"empty":           {"", "body"},
		"not x12":         {"hello, this is not a remittance", "body"},
		"bad amount":      {strings.Replace(good, "CLP*E2E-102*1*35.00", "CLP*E2E-102*1*35.0.0", 1), "body.segment[30].CLP03"},
		"bad se count":    {strings.Replace(good, "SE*38*9151", "SE*37*9151", 1), "body.segment[40].SE01"},
		"cut short":       {good[:len(good)/2], "body"},
		"no transactions": {good[:strings.Index(good, "ST*835")] + "GE*0*9150~\nIEA*1*000009150~\n", "body"},
	}
	for name, tc := range cases {
		_, err := b.svc.ImportRemittance(b.ctx, b.actor, []byte(tc.content), workflow.ImportOptions{})
		require.Error(t, err, name)
		require.Equal(t, errs.Invalid, errs.KindOf(err), "%s: %v", name, err)
		locs := []string{}
		for _, d := range errs.DetailsOf(err) {
			locs = append(locs, d.Location)
		}
		require.True(t, slices.Contains(locs, tc.location) || (tc.location == "body" && len(locs) > 0),
			"%s: %v at %v", name, err, locs)
	}
	for _, table := range []string{"remittances", "denials", "events", "river_job"} {
		require.Zero(t, b.count(t, "SELECT count(*) FROM "+table+" WHERE true"), table)
	}
}

// A recovery recorded by hand goes the same way as one from a remittance.
func TestManualRecovery(t *testing.T) {
	t.Parallel()
	b := setup(t)
	res := b.post(t, line("m-1", commercial, "197"), line("m-closed", commercial, "45"))
	specialist := workflow.Actor{Name: "alice", Role: workflow.RoleSpecialist}

	d, err := b.svc.RecordRecovery(b.ctx, specialist, res[0].ID, workflow.RecoveryInput{AmountCents: 1000, PaidOn: "2026-11-20", Reference: "CHK 88123"})
	require.NoError(t, err)
	require.Equal(t, "partially_recovered", d.Status)
	require.Equal(t, int64(1000), d.RecoveredCents)
	require.Equal(t, "closed", d.Deadlines[0].Status)
	require.Equal(t, "done", d.Tasks[0].Status)
	require.Equal(t, workflow.RecoverySourceManual, d.Recoveries[0].Source)
	require.Equal(t, "CHK 88123", d.Recoveries[0].Reference)
	require.Equal(t, "alice", d.Recoveries[0].RecordedBy)

	d, err = b.svc.RecordRecovery(b.ctx, specialist, res[0].ID, workflow.RecoveryInput{AmountCents: 2000, PaidOn: "2026-11-21"})
	require.NoError(t, err)
	require.Equal(t, "recovered", d.Status, "30.00 of 30.00")
	require.Equal(t, int64(3000), d.RecoveredCents)

	_, err = b.svc.RecordRecovery(b.ctx, specialist, res[1].ID, workflow.RecoveryInput{AmountCents: 100, PaidOn: "2026-11-21"})
	require.Equal(t, errs.Conflict, errs.KindOf(err), "a line that was never a denial")
	_, err = b.svc.RecordRecovery(b.ctx, specialist, 999999, workflow.RecoveryInput{AmountCents: 100, PaidOn: "2026-11-21"})
	require.Equal(t, errs.NotFound, errs.KindOf(err))
	for _, in := range []workflow.RecoveryInput{
		{AmountCents: 0, PaidOn: "2026-11-21"},
		{AmountCents: 100, PaidOn: "2026-02-30"},
		{AmountCents: 100, PaidOn: "2027-06-01"},
		{AmountCents: 100, PaidOn: "2026-09-01"}, // before the remittance of 2026-10-01
	} {
		_, err = b.svc.RecordRecovery(b.ctx, specialist, res[0].ID, in)
		require.Equal(t, errs.Invalid, errs.KindOf(err), "%+v: %v", in, err)
	}
	require.Equal(t, 2, b.count(t, "SELECT count(*) FROM recoveries"))
}

// A denial the billing system posted as JSON is not made a second time by the remittance
// that carried it.
func TestRemittanceKnowsDenialsPostedAsJSON(t *testing.T) {
	t.Parallel()
	b := setup(t)
	summit := workflow.PayerInput{ID: "SHP01", Name: "Summit Health Plan", Kind: "commercial"}
	posted := b.post(t, line("billing-E2E-201", summit, "197", func(in *workflow.DenialInput) {
		in.Claim = workflow.ClaimInput{ID: "E2E-201"}
		in.ServiceDate, in.RemitDate, in.BilledCents = "2026-08-10", "2026-09-15", 4000
		in.Adjustments[0].AmountCents = 4000
		in.DiagnosisCodes = []string{"M79.604"}
	}))
	r := b.importFile(t, filepath.Join(x12Testdata, "e2e-denials.835")).Remittance
	require.Equal(t, 3, r.Totals.Denied)
	require.Equal(t, 1, r.Totals.Duplicates)
	for _, c := range r.Claims {
		if c.PatientControlNumber == "E2E-201" {
			require.Equal(t, "duplicate", c.Lines[0].Outcome)
			require.Equal(t, posted[0].ID, c.Lines[0].DenialID)
			require.Contains(t, c.Lines[0].Detail, "billing-E2E-201")
		}
	}
	require.Equal(t, 1, b.count(t, "SELECT count(*) FROM denials WHERE service_date = '2026-08-10'"))

	// And the later payment finds it.
	paid := b.importFile(t, filepath.Join(x12Testdata, "e2e-payments.835")).Remittance
	require.Equal(t, 2, paid.Totals.Recovered)
	require.Equal(t, "recovered", b.denial(t, posted[0].ID).Status)
}
