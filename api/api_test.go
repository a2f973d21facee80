package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/reclaimhq/reclaim/api"
	"github.com/reclaimhq/reclaim/db/dbtest"
	"github.com/reclaimhq/reclaim/workflow"
	"github.com/reclaimhq/reclaim/workflow/workflowtest"
)

type testBundle struct {
	ctx    context.Context
	pool   *pgxpool.Pool
	svc    *workflow.Service
	server *api.Server
	http   *httptest.Server
	keys   map[workflow.Role]string
	clock  *workflowtest.Clock
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.New(t)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	clock := workflowtest.NewClock(time.Date(2026, 11, 26, 15, 0, 0, 0, time.UTC))
	svc, err := workflow.New(workflow.Config{Pool: pool, Workers: 4, Logger: logger, Clock: clock, NoSweepSchedule: true})
	require.NoError(t, err)
	require.NoError(t, svc.Start(ctx))
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = svc.Stop(stopCtx)
	})
	server := api.New(api.Config{Service: svc, Pool: pool, Logger: logger})
	ts := httptest.NewServer(server)
	t.Cleanup(ts.Close)

	b := &testBundle{ctx: ctx, pool: pool, svc: svc, server: server, http: ts, keys: map[workflow.Role]string{}, clock: clock}
	for _, role := range workflow.Roles {
		key, err := svc.CreateKey(ctx, workflow.System("test"), workflow.UserSpec{Name: "user-" + string(role), Role: role})
		require.NoError(t, err)
		b.keys[role] = key
	}
	return b
}

// do sends a request with key (none when empty) and returns the status and body.
func (b *testBundle) do(t *testing.T, method, path, key string, body any) (int, []byte) {
	t.Helper()
	var rd io.Reader
	switch v := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(v)
	default:
		buf, err := json.Marshal(v)
		require.NoError(t, err)
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, b.http.URL+path, rd)
	require.NoError(t, err)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, out
}

func decode[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(body, &v), string(body))
	return v
}

type problem struct {
	Status int    `json:"status"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Errors []struct {
		Location string `json:"location"`
		Message  string `json:"message"`
	} `json:"errors"`
}

func (p problem) locations() []string {
	out := make([]string, len(p.Errors))
	for i, e := range p.Errors {
		out[i] = e.Location
	}
	return out
}

func denialJSON(sourceID string) map[string]any {
	return map[string]any{
		"source_id":       sourceID,
		"claim":           map[string]any{"id": "CLM-" + sourceID, "payer_claim_number": "22" + sourceID},
		"payer":           map[string]any{"id": "noridian-je", "name": "Noridian JE Part B", "kind": "medicare"},
		"patient":         map[string]any{"account_number": "PA1", "member_id": "1EG4TE5MK73"},
		"provider":        map[string]any{"npi": "1234567893", "taxonomy": "225100000X"},
		"service_date":    "2026-09-15",
		"procedure_code":  "97026",
		"modifiers":       []string{"GP"},
		"units":           1,
		"diagnosis_codes": []string{"M54.50"},
		"billed_cents":    3000,
		"paid_cents":      0,
		"adjustments":     []map[string]any{{"group": "CO", "reason": "50", "amount_cents": 3000}},
		"remarks":         []string{"N115"},
		"remit_date":      "2026-10-01",
	}
}

func batch(lines ...map[string]any) map[string]any { return map[string]any{"denials": lines} }

func TestPostAndReadBack(t *testing.T) {
	t.Parallel()
	b := setup(t)
	billing := b.keys[workflow.RoleBilling]

	var status int
	var body []byte
	workflowtest.Triaged(t, b.svc, b.pool, func() {
		status, body = b.do(t, "POST", "/v1/denials", billing, batch(denialJSON("a1"), denialJSON("a2")))
	})
	require.Equal(t, http.StatusOK, status, string(body))
	res := decode[struct {
		Results []workflow.IngestResult `json:"results"`
	}](t, body)
	require.Len(t, res.Results, 2)
	require.Equal(t, "created", res.Results[0].Outcome)

	status, body = b.do(t, "GET", fmt.Sprintf("/v1/denials/%d", res.Results[0].ID), billing, nil)
	require.Equal(t, http.StatusOK, status, string(body))
	d := decode[workflow.Denial](t, body)
	require.Equal(t, "open", d.Status)
	require.Equal(t, "medical_necessity", d.Category)
	require.Equal(t, "appeal", d.Action)
	require.Equal(t, "carc.50", d.Rule)
	require.Contains(t, d.Rationale, "CO-50")
	require.Equal(t, int64(3000), d.DeniedCents)
	require.Equal(t, []workflow.Deadline{{Kind: "appeal_1", DueDate: "2027-02-03", Status: "open", Anchor: "receipt", AnchorDate: "2026-10-06", Window: "120 days from receipt"}}, d.Deadlines)
	require.Len(t, d.Tasks, 1)
	require.Equal(t, "clinical", d.Tasks[0].Queue)
	require.Equal(t, "2027-01-20", d.Tasks[0].DueDate)
	require.Len(t, d.Events, 3)

	// The replay answers duplicate with the same ids.
	status, body = b.do(t, "POST", "/v1/denials", billing, batch(denialJSON("a1")))
	require.Equal(t, http.StatusOK, status)
	again := decode[struct {
		Results []workflow.IngestResult `json:"results"`
	}](t, body)
	require.Equal(t, "duplicate", again.Results[0].Outcome)
	require.Equal(t, res.Results[0].ID, again.Results[0].ID)

	status, body = b.do(t, "GET", "/v1/denials/999999", billing, nil)
	require.Equal(t, http.StatusNotFound, status)
	require.Contains(t, decode[problem](t, body).Detail, "999999")
}

func TestBadRequestsAreClear4xx(t *testing.T) {
	t.Parallel()
	b := setup(t)
	billing := b.keys[workflow.RoleBilling]

	badSchema := denialJSON("s2")
	badSchema["billed_cents"] = -5
	delete(badSchema, "remit_date")
	badSchema["provider"] = map[string]any{"npi": "12345"}
	badSchema["surprise"] = true
	badSemantics := denialJSON("s3")
	badSemantics["remit_date"] = "2026-09-01"
	badSemantics["provider"] = map[string]any{"npi": "1234567890"}
	badDate := denialJSON("s5")
	badDate["service_date"] = "2026-02-30"

	tests := []struct {
		name      string
		body      any
		status    int
		locations []string
	}{
		{"schema errors name each line and field", batch(denialJSON("s1"), badSchema), 422,
			[]string{"body.denials[1].billed_cents", "body.denials[1]", "body.denials[1].provider.npi", "body.denials[1].surprise"}},
		{"semantic errors name each line and field", batch(denialJSON("s1"), badSemantics), 422,
			[]string{"body.denials[1].remit_date", "body.denials[1].provider.npi"}},
		{"an impossible date", batch(badDate), 422, []string{"body.denials[0].service_date"}},
		{"an empty batch", batch(), 422, []string{"body.denials"}},
		{"not JSON", "{nope", 400, nil},
		{"no body", nil, 400, nil},
		{"a wrong type", map[string]any{"denials": "many"}, 422, []string{"body.denials"}},
		{"an unknown payer kind", batch(func() map[string]any {
			d := denialJSON("s4")
			d["payer"] = map[string]any{"id": "x", "name": "X", "kind": "cash"}
			return d
		}()), 422, []string{"body.denials[0].payer.kind"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := b.do(t, "POST", "/v1/denials", billing, tt.body)
			require.Equal(t, tt.status, status, string(body))
			p := decode[problem](t, body)
			require.Equal(t, tt.status, p.Status)
			for _, loc := range tt.locations {
				require.Contains(t, p.locations(), loc, string(body))
			}
		})
	}
	var n int
	require.NoError(t, b.pool.QueryRow(b.ctx, "SELECT count(*) FROM denials").Scan(&n))
	require.Zero(t, n, "no refused request stored anything")

	for _, path := range []string{"/v1/denials/abc", "/v1/denials/0", "/v1/denials?status=lost", "/v1/denials?remit_from=2026-13-01", "/v1/denials?cursor=x", "/v1/denials?limit=0", "/v1/denials?stauts=open"} {
		status, body := b.do(t, "GET", path, billing, nil)
		require.True(t, status == 422 || status == 400 || status == 404, "%s: %d %s", path, status, body)
	}
}

func TestListDenials(t *testing.T) {
	t.Parallel()
	b := setup(t)
	billing := b.keys[workflow.RoleBilling]
	lines := make([]map[string]any, 0, 7)
	for i := range 5 {
		lines = append(lines, denialJSON(fmt.Sprintf("l%d", i)))
	}
	aetna := denialJSON("aetna-1")
	aetna["payer"] = map[string]any{"id": "aetna", "name": "Aetna", "kind": "commercial"}
	aetna["adjustments"] = []map[string]any{{"group": "CO", "reason": "55", "amount_cents": 3000}}
	closed := denialJSON("closed-1")
	closed["adjustments"] = []map[string]any{{"group": "PR", "reason": "1", "amount_cents": 3000}}
	lines = append(lines, aetna, closed)
	workflowtest.Triaged(t, b.svc, b.pool, func() {
		status, body := b.do(t, "POST", "/v1/denials", billing, batch(lines...))
		require.Equal(t, 200, status, string(body))
	})

	type page struct {
		Denials    []workflow.DenialSummary `json:"denials"`
		NextCursor string                   `json:"next_cursor"`
	}
	var seen []string
	cursor := ""
	for {
		status, body := b.do(t, "GET", "/v1/denials?limit=3&cursor="+cursor, billing, nil)
		require.Equal(t, 200, status, string(body))
		p := decode[page](t, body)
		for _, d := range p.Denials {
			seen = append(seen, d.SourceID)
		}
		if p.NextCursor == "" {
			break
		}
		cursor = p.NextCursor
	}
	// A batch stores its lines in source_id order, so ids follow it.
	require.Equal(t, []string{"l4", "l3", "l2", "l1", "l0", "closed-1", "aetna-1"}, seen, "newest first, each once")

	filters := map[string][]string{
		"status=closed":                      {"closed-1"},
		"category=experimental":              {"aetna-1"},
		"payer=aetna":                        {"aetna-1"},
		"status=open&category=non_covered":   {},
		"remit_from=2026-10-02":              {},
		"service_to=2026-09-15&payer=aetna":  {"aetna-1"},
		"status=open,closed&payer=aetna,xyz": {"aetna-1"},
	}
	for q, want := range filters {
		status, body := b.do(t, "GET", "/v1/denials?"+q, billing, nil)
		require.Equal(t, 200, status, string(body))
		got := []string{}
		for _, d := range decode[page](t, body).Denials {
			got = append(got, d.SourceID)
		}
		require.Equal(t, want, got, q)
	}
}

func TestHealth(t *testing.T) {
	t.Parallel()
	b := setup(t)
	status, body := b.do(t, "GET", "/healthz", "", nil)
	require.Equal(t, 200, status, string(body))
	status, body = b.do(t, "GET", "/readyz", "", nil)
	require.Equal(t, 200, status, string(body))

	// Behind on migrations: not ready, and it says why.
	_, err := b.pool.Exec(b.ctx, "DELETE FROM goose_db_version WHERE version_id = (SELECT max(version_id) FROM goose_db_version)")
	require.NoError(t, err)
	status, body = b.do(t, "GET", "/readyz", "", nil)
	require.Equal(t, 503, status)
	require.Contains(t, string(body), "migrations pending")

	status, body = b.do(t, "GET", "/openapi.json", "", nil)
	require.Equal(t, 200, status)
	require.Contains(t, string(body), `"openapi":"3.1.0"`)
	status, _ = b.do(t, "GET", "/docs", "", nil)
	require.Equal(t, 200, status)
}
