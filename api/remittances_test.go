package api_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/reclaimhq/reclaim/workflow"
	"github.com/reclaimhq/reclaim/workflow/workflowtest"
)

// upload posts a raw 835 as billing.
func (b *testBundle) upload(t *testing.T, content []byte, query string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.http.URL+"/v1/remittances"+query, bytes.NewReader(content))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/edi-x12")
	req.Header.Set("Authorization", "Bearer "+b.keys[workflow.RoleBilling])
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, out
}

func x12File(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "x12", "testdata", name))
	require.NoError(t, err)
	return b
}

func TestRemittanceUploadThroughAPI(t *testing.T) {
	t.Parallel()
	b := setup(t)

	var status int
	var body []byte
	workflowtest.Triaged(t, b.svc, b.pool, func() {
		status, body = b.upload(t, x12File(t, "e2e-denials.835"), "?filename=sept.835")
	})
	require.Equal(t, http.StatusCreated, status, string(body))
	created := decode[workflow.ImportResult](t, body)
	require.Equal(t, "created", created.Outcome)
	require.Equal(t, "sept.835", created.Remittance.Filename)
	require.Equal(t, 4, created.Remittance.Totals.Denied)

	workflowtest.Triaged(t, b.svc, b.pool, func() {
		status, body = b.upload(t, x12File(t, "e2e-payments.835"), "")
	})
	require.Equal(t, http.StatusCreated, status, string(body))
	paid := decode[workflow.ImportResult](t, body).Remittance
	require.Equal(t, 2, paid.Totals.Recovered)
	require.Equal(t, int64(4543), paid.Totals.RecoveredCents)
	require.Len(t, paid.Unmatched, 1)
	require.Equal(t, "E2E-301", paid.Unmatched[0].PatientControlNumber)

	// The same file again: 200 with the remittance from before, nothing new.
	status, body = b.upload(t, x12File(t, "e2e-payments.835"), "")
	require.Equal(t, http.StatusOK, status, string(body))
	again := decode[workflow.ImportResult](t, body)
	require.Equal(t, "duplicate", again.Outcome)
	require.Equal(t, paid.ID, again.Remittance.ID)

	// Read back, by a specialist, with a filter on outcome.
	specialist := b.keys[workflow.RoleSpecialist]
	status, body = b.do(t, http.MethodGet, fmt.Sprintf("/v1/remittances/%d?outcome=recovered&claims_limit=1", paid.ID), specialist, nil)
	require.Equal(t, http.StatusOK, status, string(body))
	page := decode[workflow.Remittance](t, body)
	require.Len(t, page.Claims, 1)
	require.Equal(t, "E2E-101", page.Claims[0].PatientControlNumber)
	require.Equal(t, "recovered", page.Claims[0].Lines[0].Outcome)
	require.NotZero(t, page.Claims[0].Lines[0].DenialID)
	require.NotEmpty(t, page.NextClaimsFrom)
	status, body = b.do(t, http.MethodGet, fmt.Sprintf("/v1/remittances/%d?outcome=recovered&claims_cursor=%s", paid.ID, page.NextClaimsFrom), specialist, nil)
	require.Equal(t, http.StatusOK, status, string(body))
	page = decode[workflow.Remittance](t, body)
	require.Len(t, page.Claims, 1)
	require.Equal(t, "E2E-201", page.Claims[0].PatientControlNumber)
	require.Empty(t, page.NextClaimsFrom)

	// The recovered denial shows its recovery.
	d := b.read(t, page.Claims[0].Lines[0].DenialID)
	require.Equal(t, "recovered", d.Status)
	require.Equal(t, int64(4000), d.RecoveredCents)
	require.Equal(t, paid.ID, d.Recoveries[0].RemittanceID)

	status, body = b.do(t, http.MethodGet, "/v1/remittances?limit=1", b.keys[workflow.RoleBilling], nil)
	require.Equal(t, http.StatusOK, status, string(body))
	list := decode[workflow.RemittanceList](t, body)
	require.Len(t, list.Remittances, 1)
	require.Equal(t, paid.ID, list.Remittances[0].ID)
	require.Equal(t, 1, list.Remittances[0].Unmatched)
	require.NotEmpty(t, list.NextCursor)

	// The raw file comes back byte for byte.
	req, err := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/v1/remittances/%d/file", b.http.URL, paid.ID), nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+b.keys[workflow.RoleManager])
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "application/edi-x12", resp.Header.Get("Content-Type"))
	require.Equal(t, x12File(t, "e2e-payments.835"), raw)

	status, _ = b.do(t, http.MethodGet, "/v1/remittances/99999", specialist, nil)
	require.Equal(t, http.StatusNotFound, status)
	status, body = b.do(t, http.MethodGet, fmt.Sprintf("/v1/remittances/%d?claims_cursor=abc", paid.ID), specialist, nil)
	require.Equal(t, http.StatusUnprocessableEntity, status, string(body))
	require.Equal(t, []string{"query.claims_cursor"}, decode[problem](t, body).locations())
}

// A broken file is a 422 naming the segment and element, and stores nothing; an
// oversized one is a 413.
func TestRemittanceUploadRefusals(t *testing.T) {
	t.Parallel()
	b := setup(t)
	broken := strings.Replace(string(x12File(t, "e2e-denials.835")), "CLP*E2E-102*1*35.00", "CLP*E2E-102*1*35.0.0", 1)
	status, body := b.upload(t, []byte(broken), "")
	require.Equal(t, http.StatusUnprocessableEntity, status, string(body))
	p := decode[problem](t, body)
	require.Equal(t, []string{"body.segment[30].CLP03"}, p.locations())
	require.Contains(t, p.Detail, "segment 30 (CLP), element 3")

	status, body = b.upload(t, nil, "")
	require.Equal(t, http.StatusBadRequest, status, string(body))
	require.Contains(t, string(body), "request body is required")

	status, body = b.upload(t, bytes.Repeat([]byte("A"), workflow.MaxRemittanceBytes+1), "")
	require.Equal(t, http.StatusRequestEntityTooLarge, status, string(body))

	var n int
	require.NoError(t, b.pool.QueryRow(b.ctx, "SELECT count(*) FROM remittances").Scan(&n))
	require.Zero(t, n)
}

func TestRecordRecoveryThroughAPI(t *testing.T) {
	t.Parallel()
	b := setup(t)
	d := b.postTriaged(t, commercialLine("rec-1"))[0]
	path := fmt.Sprintf("/v1/denials/%d/recoveries", d.ID)

	status, body := b.do(t, http.MethodPost, path, b.keys[workflow.RoleSpecialist], `{"amount_cents": 0, "paid_on": "2026-13-01"}`)
	require.Equal(t, http.StatusUnprocessableEntity, status, string(body))

	status, body = b.do(t, http.MethodPost, path, b.keys[workflow.RoleBilling], `{"amount_cents": 3000, "paid_on": "2026-11-20", "reference": "EFT 5521"}`)
	require.Equal(t, http.StatusOK, status, string(body))
	got := decode[workflow.Denial](t, body)
	require.Equal(t, "recovered", got.Status)
	require.Equal(t, int64(3000), got.RecoveredCents)
	require.Equal(t, "user-billing", got.Recoveries[0].RecordedBy)

	status, body = b.do(t, http.MethodPost, "/v1/denials/424242/recoveries", b.keys[workflow.RoleSpecialist], `{"amount_cents": 100, "paid_on": "2026-11-20"}`)
	require.Equal(t, http.StatusNotFound, status, string(body))
}
