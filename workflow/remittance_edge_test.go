package workflow_test

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/reclaimhq/reclaim/workflow"
	"github.com/reclaimhq/reclaim/workflow/workflowtest"
)

var envelope atomic.Int64

// remittance835 writes a one-transaction 835 from ACME PLAN (REF*2U ACME, commercial
// claims unless a CLP says otherwise) dated date, with the claim segments given.
func remittance835(trace, date string, claims ...string) []byte {
	n := 700 + envelope.Add(1)
	segs := append([]string{
		fmt.Sprintf("ST*835*%d*005010X221A1", n),
		"BPR*I*0*C*NON************" + date,
		"TRN*1*" + trace + "*1999999999",
		"DTM*405*" + date,
		"N1*PR*ACME PLAN",
		"REF*2U*ACME",
		"N1*PE*SUNRISE PHYSICAL THERAPY*XX*1245319599",
		"LX*1",
	}, claims...)
	segs = append(segs, fmt.Sprintf("SE*%d*%d", len(segs)+1, n))
	var b strings.Builder
	fmt.Fprintf(&b, "ISA*00*          *00*          *ZZ*ACME           *ZZ*SUNRISEPT      *261020*0600*^*00501*%09d*0*P*:~\n", n)
	fmt.Fprintf(&b, "GS*HP*ACME*SUNRISEPT*%s*0600*%d*X*005010X221A1~\n", date, n)
	for _, s := range segs {
		b.WriteString(s + "~\n")
	}
	fmt.Fprintf(&b, "GE*1*%d~\nIEA*1*%09d~\n", n, n)
	return []byte(b.String())
}

// deniedClaim is a claim with one 97026 line denied CO-50 in full.
func deniedClaim(pcn, icn, cents string) []string {
	return []string{
		"CLP*" + pcn + "*4*" + cents + "*0*0*CI*" + icn + "*11*1", "NM1*QC*1*DOE*JANE****MI*M" + pcn,
		"SVC*HC:97026:GP*" + cents + "*0**1", "DTM*472*20260920", "CAS*CO*50*" + cents, "REF*6R*" + pcn + "L1",
	}
}

// paidClaim pays that line paid of charge.
func paidClaim(pcn, icn, charge, paid string) []string {
	return []string{
		"CLP*" + pcn + "*1*" + charge + "*" + paid + "*0*CI*" + icn + "*11*1", "NM1*QC*1*DOE*JANE****MI*M" + pcn,
		"SVC*HC:97026:GP*" + charge + "*" + paid + "**1", "DTM*472*20260920", "REF*6R*" + pcn + "L1",
	}
}

func reversalClaim(pcn, icn, charge, paid string) []string {
	return []string{
		"CLP*" + pcn + "*22*-" + charge + "*-" + paid + "*0*CI*" + icn + "*11*1", "NM1*QC*1*DOE*JANE****MI*M" + pcn,
		"SVC*HC:97026:GP*-" + charge + "*-" + paid + "**-1", "DTM*472*20260920", "REF*6R*" + pcn + "L1",
	}
}

func (b *testBundle) mustImport(t *testing.T, content []byte) *workflow.Remittance {
	t.Helper()
	var res *workflow.ImportResult
	workflowtest.Triaged(t, b.svc, b.pool, func() {
		var err error
		res, err = b.svc.ImportRemittance(b.ctx, b.actor, content, workflow.ImportOptions{})
		require.NoError(t, err)
	})
	return res.Remittance
}

func lineOutcomes(r *workflow.Remittance) []string {
	var out []string
	for _, c := range r.Claims {
		for _, l := range c.Lines {
			out = append(out, l.Outcome)
		}
	}
	return out
}

// Odd but readable lines are listed as unmatched, or taken as far as they can be; none
// of them fails the import.
func TestRemittanceOddLines(t *testing.T) {
	t.Parallel()
	b := setup(t)

	// A CAS reason that is not a CARC.
	r := b.mustImport(t, remittance835("ODD1", "20261020",
		"CLP*ODD-1*4*35.00*0*0*CI*ODDICN1*11*1", "NM1*QC*1*DOE*JANE****MI*M1",
		"SVC*HC:97026:GP*35.00*0**1", "DTM*472*20261001", "CAS*CO*abc*35.00"))
	require.Equal(t, []string{"unmatched"}, lineOutcomes(r))
	require.Contains(t, r.Claims[0].Lines[0].Detail, "adjustments[0].reason")

	// 52 procedures on one claim and day: the bundling facts keep 50.
	claim := []string{"CLP*ODD-2*4*52.00*0*0*CI*ODDICN2*11*1", "NM1*QC*1*DOE*JANE****MI*M2"}
	for i := range 52 {
		claim = append(claim, fmt.Sprintf("SVC*HC:%05d*1.00*0**1", 97000+i), "DTM*472*20261001", "CAS*CO*50*1.00")
	}
	r = b.mustImport(t, remittance835("ODD2", "20261020", claim...))
	require.Equal(t, 52, r.Totals.Denied)
	require.Equal(t, 50, b.count(t, "SELECT max(cardinality(other_procedures)) FROM denials"))

	// A payer name in Latin-1: read with '?', the file kept as it came.
	latin := remittance835("ODD3", "20261020", deniedClaim("ODD-3", "ODDICN3", "35.00")...)
	latin = []byte(strings.Replace(string(latin), "N1*PR*ACME PLAN", "N1*PR*MUTUELLE G\xc9N\xc9RALE", 1))
	r = b.mustImport(t, latin)
	require.Equal(t, []string{"denied"}, lineOutcomes(r))
	require.Equal(t, "MUTUELLE G?N?RALE", r.Transactions[0].PayerName)
	require.Contains(t, r.Warnings[0].Message, "2 bytes are not UTF-8")
	raw, err := b.svc.RemittanceFile(b.ctx, r.ID)
	require.NoError(t, err)
	require.Equal(t, latin, raw)

	// Amounts beyond any service line.
	r = b.mustImport(t, remittance835("ODD4", "20261020",
		"CLP*ODD-4*22*-100.00*-92233720368547758.08*0*CI*ODDICN4*11*1", "NM1*QC*1*DOE*JANE****MI*M4",
		"SVC*HC:97026:GP*-100.00*-92233720368547758.08**-1", "DTM*472*20260920"))
	require.Equal(t, []string{"unmatched"}, lineOutcomes(r))
	require.Contains(t, r.Claims[0].Lines[0].Detail, "an amount beyond")
}

// A line control number repeated on three paid lines still records each payment once.
func TestRemittanceRepeatedLineReference(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.mustImport(t, remittance835("REP1", "20261001", deniedClaim("REP-1", "REPICN1", "100.00")...))
	line := []string{"SVC*HC:97026:GP*100.00*1.00**1", "DTM*472*20260920", "REF*6R*REP-1L1"}
	claim := append([]string{"CLP*REP-1*1*300.00*3.00*0*CI*REPICN1*11*1", "NM1*QC*1*DOE*JANE****MI*MREP-1"}, line...)
	claim = append(append(claim, line...), line...)
	r := b.mustImport(t, remittance835("REP2", "20261020", claim...))
	require.Equal(t, []string{"recovered", "recovered", "recovered"}, lineOutcomes(r))
	require.Equal(t, 300, b.count(t, "SELECT recovered_cents::int FROM denials"))
}

// A reversal takes back a whole payment or nothing.
func TestRemittanceReversalMustMatchAPayment(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.mustImport(t, remittance835("RV1", "20261001", deniedClaim("RV-1", "RVICN1", "100.00")...))
	b.mustImport(t, remittance835("RV2", "20261010", paidClaim("RV-1", "RVICN1", "100.00", "60.00")...))
	r := b.mustImport(t, remittance835("RV3", "20261020", reversalClaim("RV-1", "RVICN1", "100.00", "30.00")...))
	require.Equal(t, []string{"unmatched"}, lineOutcomes(r), "30.00 is not the 60.00 paid")
	require.Equal(t, 6000, b.count(t, "SELECT recovered_cents::int FROM denials"))
}

// Paid, reversed, paid again and reversed again: each reversal gives back exactly the
// clocks and task its spell stopped, never one settled otherwise.
func TestRemittancePaidAndReversedTwice(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.mustImport(t, remittance835("PR1", "20261001", deniedClaim("PR-1", "PRICN1", "100.00")...))
	var id int64
	require.NoError(t, b.pool.QueryRow(b.ctx, "SELECT id FROM denials").Scan(&id))
	state := func() (string, int, int) {
		d := b.denial(t, id)
		return d.Status, b.count(t, "SELECT count(*) FROM deadlines WHERE denial_id = $1 AND status = 'open'", id),
			b.count(t, "SELECT count(*) FROM tasks WHERE denial_id = $1 AND status IN ('open', 'in_progress', 'blocked')", id)
	}
	status, clocks, tasks := state()
	require.Equal(t, "open", status)
	require.Equal(t, 1, clocks)
	require.Equal(t, 1, tasks)

	for round, trace := range []string{"A", "B"} {
		b.mustImport(t, remittance835("PR-PAY-"+trace, "20261010", paidClaim("PR-1", "PRICN1", "100.00", "100.00")...))
		status, clocks, tasks = state()
		require.Equal(t, []any{"recovered", 0, 0}, []any{status, clocks, tasks}, "round %d paid", round)
		b.mustImport(t, remittance835("PR-REV-"+trace, "20261020", reversalClaim("PR-1", "PRICN1", "100.00", "100.00")...))
		status, clocks, tasks = state()
		require.Equal(t, []any{"open", 1, 1}, []any{status, clocks, tasks}, "round %d reversed", round)
	}
	require.Equal(t, 1, b.count(t, "SELECT count(*) FROM tasks WHERE denial_id = $1", id), "the same task throughout")
}

// The same payment in two files posted at once is recorded once.
func TestRemittanceSamePaymentConcurrently(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.mustImport(t, remittance835("CC1", "20261001", deniedClaim("CC-1", "CCICN1", "100.00")...))
	payment := remittance835("CC2", "20261020", paidClaim("CC-1", "CCICN1", "100.00", "100.00")...)
	reframed := []byte(strings.ReplaceAll(string(payment), "~\n", "~\r\n")) // another file, the same payment

	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, content := range [][]byte{payment, reframed} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = b.svc.ImportRemittance(b.ctx, b.actor, content, workflow.ImportOptions{})
		}()
	}
	wg.Wait()
	require.NoError(t, errs[0])
	require.NoError(t, errs[1])
	require.Equal(t, 1, b.count(t, "SELECT count(*) FROM recoveries"))
	require.Equal(t, 10000, b.count(t, "SELECT recovered_cents::int FROM denials"))
	require.Equal(t, 1, b.count(t, "SELECT count(*) FROM remittance_lines WHERE outcome = 'duplicate'"))
}

// Two denied lines of one claim, code and day are two denials even when one of them was
// posted as JSON before the remittance came; and a line imported again keeps its own
// denial.
func TestRemittanceDuplicatesPairOneToOne(t *testing.T) {
	t.Parallel()
	b := setup(t)
	acme := workflow.PayerInput{ID: "ACME", Name: "ACME PLAN", Kind: "commercial"}
	posted := b.post(t, line("json-KD-1", acme, "50", func(in *workflow.DenialInput) {
		in.Claim = workflow.ClaimInput{ID: "KD-1"}
		in.ProcedureCode, in.Modifiers = "97110", []string{"GP"}
		in.ServiceDate, in.RemitDate = "2026-09-20", "2026-10-01"
	}))
	claim := []string{
		"CLP*KD-1*4*70.00*0*0*CI*KDICN1*11*1", "NM1*QC*1*DOE*JANE****MI*MKD1",
		"SVC*HC:97110:GP*35.00*0**1", "DTM*472*20260920", "CAS*CO*50*35.00", "REF*6R*KD1L1",
		"SVC*HC:97110:GP:59*35.00*0**1", "DTM*472*20260920", "CAS*CO*50*35.00", "REF*6R*KD1L2",
	}
	r := b.mustImport(t, remittance835("KD1", "20261001", claim...))
	require.Equal(t, []string{"duplicate", "denied"}, lineOutcomes(r), "GP is the posted one; GP 59 is another")
	require.Equal(t, posted[0].ID, r.Claims[0].Lines[0].DenialID)
	require.Equal(t, 2, b.count(t, "SELECT count(*) FROM denials"))

	// The same lines again, in another envelope: each is its own denial's duplicate.
	again := b.mustImport(t, []byte(strings.ReplaceAll(string(remittance835("KD1", "20261001", claim...)), "~\n", "~\r\n")))
	require.Equal(t, []string{"duplicate", "duplicate"}, lineOutcomes(again))
	require.Equal(t, r.Claims[0].Lines[0].DenialID, again.Claims[0].Lines[0].DenialID)
	require.Equal(t, r.Claims[0].Lines[1].DenialID, again.Claims[0].Lines[1].DenialID)
	require.Equal(t, 2, b.count(t, "SELECT count(*) FROM denials"))
}
