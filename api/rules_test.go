package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/reclaimhq/reclaim/workflow"
	"github.com/reclaimhq/reclaim/workflow/workflowtest"
)

// postTriaged posts lines as billing, waits for their triage and reads each back as a
// manager.
func (b *testBundle) postTriaged(t *testing.T, lines ...map[string]any) []workflow.Denial {
	t.Helper()
	var posted struct {
		Results []workflow.IngestResult `json:"results"`
	}
	workflowtest.Triaged(t, b.svc, b.pool, func() {
		status, body := b.do(t, http.MethodPost, "/v1/denials", b.keys[workflow.RoleBilling], batch(lines...))
		require.Equal(t, http.StatusOK, status, string(body))
		posted = decode[struct {
			Results []workflow.IngestResult `json:"results"`
		}](t, body)
	})
	out := make([]workflow.Denial, len(posted.Results))
	for i, r := range posted.Results {
		out[i] = b.read(t, r.ID)
	}
	return out
}

func (b *testBundle) read(t *testing.T, id int64) workflow.Denial {
	t.Helper()
	status, body := b.do(t, http.MethodGet, fmt.Sprintf("/v1/denials/%d", id), b.keys[workflow.RoleManager], nil)
	require.Equal(t, http.StatusOK, status, string(body))
	return decode[workflow.Denial](t, body)
}

// with copies a line and sets fields on it.
func with(line map[string]any, kv ...any) map[string]any {
	out := make(map[string]any, len(line))
	for k, v := range line {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

func commercialLine(sourceID string) map[string]any {
	return with(denialJSON(sourceID),
		"payer", map[string]any{"id": "aetna-ppo", "name": "Aetna PPO", "kind": "commercial"},
		"claim", map[string]any{"id": "CLM-" + sourceID, "payer_claim_number": "EA" + sourceID})
}

func adjustment(group, reason string, cents int) []map[string]any {
	return []map[string]any{{"group": group, "reason": reason, "amount_cents": cents}}
}

func ruleIDs(d workflow.Denial) []string {
	out := make([]string, len(d.MatchedRules))
	for i, m := range d.MatchedRules {
		out[i] = m.Rule
	}
	return out
}

// openDeadlines keeps the running clocks of d.
func openDeadlines(d workflow.Denial) workflow.Denial {
	var open []workflow.Deadline
	for _, dl := range d.Deadlines {
		if dl.Status == "open" {
			open = append(open, dl)
		}
	}
	d.Deadlines = open
	return d
}

func deadlineKinds(d workflow.Denial) []string {
	out := make([]string, len(d.Deadlines))
	for i, dl := range d.Deadlines {
		out[i] = dl.Kind
	}
	return out
}

// Medicare excludes infrared therapy for neuropathy, ulcers and wounds (NCD 270.6): without
// an ABN the line is written off, with one (modifier GA) the patient is billed.
func TestNCD2706(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ds := b.postTriaged(t,
		with(denialJSON("ncd-no-abn"), "diagnosis_codes", []string{"E11.42"}, "remarks", []string{"N386"}),
		with(denialJSON("ncd-abn"), "diagnosis_codes", []string{"L97.412"}, "remarks", []string{"N386"},
			"modifiers", []string{"GP", "GA"}, "adjustments", adjustment("PR", "50", 3000)),
	)

	noABN := ds[0]
	require.Equal(t, "non_covered", noABN.Category)
	require.Equal(t, "write_off", noABN.Action)
	require.Equal(t, "97026.ncd_270_6.no_abn", noABN.Rule)
	require.Equal(t, []string{"carc.50", "rarc.N386", "97026.ncd_270_6.no_abn"}, ruleIDs(noABN))
	require.Contains(t, noABN.Rationale, "NCD 270.6")
	require.Contains(t, noABN.Rationale, "E11.42")
	require.Contains(t, noABN.Rationale, "no GA modifier")

	abn := ds[1]
	require.Equal(t, "non_covered", abn.Category)
	require.Equal(t, "bill_patient", abn.Action)
	require.Equal(t, "97026.ncd_270_6.abn", abn.Rule)
	require.Contains(t, abn.Rationale, "NCD 270.6")
	require.Contains(t, abn.Rationale, "L97.412")
	require.Len(t, abn.Tasks, 1)
	task := abn.Tasks[0]
	require.Equal(t, "bill_patient", task.Kind)
	require.Contains(t, task.Title, "97026")
	require.NotEmpty(t, task.Checklist)
	require.Contains(t, strings.Join(task.Checklist, "\n"), "ABN", "the checklist asks for the signed ABN")
}

// A chiropractor's 97026 is outside Medicare's chiropractic benefit.
func TestChiropractorOnMedicare(t *testing.T) {
	t.Parallel()
	b := setup(t)
	d := b.postTriaged(t, with(denialJSON("chiro"),
		"provider", map[string]any{"npi": "1234567893", "taxonomy": "111N00000X"},
		"modifiers", []string{}, "adjustments", adjustment("CO", "96", 3000), "remarks", []string{"N425"}))[0]
	require.Equal(t, "non_covered", d.Category)
	require.Equal(t, "bill_patient", d.Action)
	require.Equal(t, "97026.chiropractor", d.Rule)
	require.Contains(t, d.Rationale, "111N00000X")
	require.Equal(t, []string{"carc.96", "97026.chiropractor"}, ruleIDs(d))
}

// A missing GP is fixed by a reopening on Medicare, which takes no corrected claims, and by
// a corrected claim on a commercial plan.
func TestMissingGPMedicareVersusCommercial(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ds := b.postTriaged(t,
		with(denialJSON("gp-medicare"), "modifiers", []string{}, "adjustments", adjustment("CO", "4", 3000), "remarks", []string{"N822"}),
		with(commercialLine("gp-commercial"), "modifiers", []string{}, "adjustments", adjustment("CO", "4", 3000), "remarks", []string{}),
	)
	medicare, commercial := ds[0], ds[1]
	require.Equal(t, "modifier.gp_missing", medicare.Rule, "GP is required on Medicare therapy lines")
	require.Equal(t, "modifier.reason", commercial.Rule, "elsewhere the reason code says a modifier is wrong")
	for _, d := range ds {
		require.Equal(t, "modifier", d.Category, d.SourceID)
		require.Len(t, d.Tasks, 1)
		require.Equal(t, "coding", d.Tasks[0].Queue, d.SourceID)
		require.Contains(t, strings.Join(d.Tasks[0].Checklist, "\n"), "GP", d.SourceID)
	}
	require.Equal(t, "reopening", medicare.Action)
	require.Equal(t, []string{"appeal_1", "reopening"}, deadlineKinds(medicare), "a reopening keeps the redetermination open too")
	require.Equal(t, "2027-02-03", medicare.Deadlines[0].DueDate, "remit + 5 + 120 days")
	require.Equal(t, "2027-10-01", medicare.Deadlines[1].DueDate, "one year from the initial determination")
	require.Equal(t, "corrected_claim", commercial.Action)
	require.Equal(t, []string{"corrected_claim"}, deadlineKinds(commercial))
	require.Equal(t, "2027-03-30", commercial.Deadlines[0].DueDate, "180 days from the remittance")
}

// A manager's policy change moves an open deadline and its task, and is on the timeline.
func TestPolicyChangeThroughAPI(t *testing.T) {
	t.Parallel()
	b := setup(t)
	d := b.postTriaged(t, with(commercialLine("exp"), "adjustments", adjustment("CO", "55", 3000), "remarks", []string{"N623"}))[0]
	require.Equal(t, "appeal", d.Action)
	require.Equal(t, "experimental.payer_policy", d.Rule)
	require.Equal(t, "2027-03-30", d.Deadlines[0].DueDate)
	manager := b.keys[workflow.RoleManager]

	status, body := b.do(t, http.MethodGet, "/v1/payers", manager, nil)
	require.Equal(t, http.StatusOK, status, string(body))
	payers := decode[struct {
		Payers []workflow.Payer `json:"payers"`
	}](t, body).Payers
	require.Len(t, payers, 1)
	require.Equal(t, 180, payers[0].Policy.Windows["appeal_1"].Days)

	// A bad policy is refused whole, naming the field, and changes nothing.
	status, body = b.do(t, http.MethodPut, "/v1/payers/aetna-ppo/policy", manager,
		`{"windows": {"appeal_1": {"days": 60, "anchor": "remit_date"}, "appeal_9": {"days": 30, "anchor": "remit_date"}}}`)
	require.Equal(t, http.StatusUnprocessableEntity, status, string(body))
	require.Contains(t, string(body), "appeal_9")
	require.Equal(t, "2027-03-30", b.read(t, d.ID).Deadlines[0].DueDate)

	status, body = b.do(t, http.MethodPut, "/v1/payers/nobody/policy", manager, `{"buffer_days": 5}`)
	require.Equal(t, http.StatusNotFound, status, string(body))

	require.Contains(t, d.Tasks[0].Instructions, "2027-03-30")
	workflowtest.Idle(t, b.svc, b.pool, func() { // and the task's text is rewritten after it
		status, body = b.do(t, http.MethodPut, "/v1/payers/aetna-ppo/policy", manager,
			`{"windows": {"appeal_1": {"days": 60, "anchor": "remit_date"}}, "appeal_buffer_days": 10}`)
	})
	require.Equal(t, http.StatusOK, status, string(body))
	payer := decode[workflow.Payer](t, body)
	require.Equal(t, 60, payer.Policy.Windows["appeal_1"].Days)
	require.Equal(t, int64(1), payer.OpenDenials)

	d = b.read(t, d.ID)
	require.Equal(t, "2026-11-30", d.Deadlines[0].DueDate, "2026-10-01 + 60 days")
	require.Equal(t, "open", d.Deadlines[0].Status)
	require.Equal(t, "2026-11-26", d.Tasks[0].DueDate, "the buffer would put it before today: it is due today")
	require.Contains(t, d.Tasks[0].Instructions, "2026-11-30", "the task quotes the new deadline")
	require.NotContains(t, d.Tasks[0].Instructions+strings.Join(d.Tasks[0].Checklist, " "), "2027-03-30")
	last := d.Events[len(d.Events)-1]
	require.Equal(t, "deadlines.recomputed", last.Kind)
	require.Equal(t, "user-manager", last.Actor)
}

// The sweeper marks a deadline missed the day after it passes; managers find it through
// GET /v1/deadlines.
func TestSweeperMarksMissed(t *testing.T) {
	t.Parallel()
	b := setup(t)
	d := b.postTriaged(t, with(commercialLine("late"), "adjustments", adjustment("CO", "55", 3000)))[0]
	require.Equal(t, "2027-03-30", d.Deadlines[0].DueDate)
	manager := b.keys[workflow.RoleManager]

	sweepAt := func(day string) {
		t.Helper()
		at, err := time.Parse(time.DateOnly, day)
		require.NoError(t, err)
		b.clock.Set(at.Add(9 * time.Hour))
		_, err = b.svc.Sweep(b.ctx)
		require.NoError(t, err)
	}
	sweepAt("2027-03-30") // the last day: still open
	require.Equal(t, "open", b.read(t, d.ID).Deadlines[0].Status)

	status, body := b.do(t, http.MethodGet, "/v1/deadlines?status=open&due_before=2027-04-01", manager, nil)
	require.Equal(t, http.StatusOK, status, string(body))
	require.Len(t, decode[workflow.DeadlinePage](t, body).Deadlines, 1)

	sweepAt("2027-03-31") // the day after: missed
	d = b.read(t, d.ID)
	require.Equal(t, "missed", d.Deadlines[0].Status)
	require.Equal(t, "deadline.missed", d.Events[len(d.Events)-1].Kind)

	status, body = b.do(t, http.MethodGet, "/v1/deadlines?status=missed", manager, nil)
	require.Equal(t, http.StatusOK, status, string(body))
	missed := decode[workflow.DeadlinePage](t, body).Deadlines
	require.Len(t, missed, 1)
	require.Equal(t, d.ID, missed[0].DenialID)
	require.Equal(t, "appeal_1", missed[0].Kind)

	status, body = b.do(t, http.MethodGet, "/v1/deadlines?status=late&due_before=2027-02-30", manager, nil)
	require.Equal(t, http.StatusUnprocessableEntity, status, string(body))
	p := decode[problem](t, body)
	require.ElementsMatch(t, []string{"query.status", "query.due_before"}, p.locations())
}

// Re-triage applies a corrected diagnosis and decides again, keeping what came before.
func TestRetriage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	d := b.postTriaged(t, with(denialJSON("fix-dx"), "diagnosis_codes", []string{"E11.42"}, "remarks", []string{}))[0]
	require.Equal(t, "write_off", d.Action)
	first := d.Tasks[0]
	manager := b.keys[workflow.RoleManager]
	path := fmt.Sprintf("/v1/denials/%d/retriage", d.ID)

	status, body := b.do(t, http.MethodPost, path, manager, `{"diagnosis_codes": ["not a code"]}`)
	require.Equal(t, http.StatusUnprocessableEntity, status, string(body))
	require.Equal(t, "97026.ncd_270_6.no_abn", b.read(t, d.ID).Rule, "a refused correction changes nothing")

	status, body = b.do(t, http.MethodPost, "/v1/denials/999999/retriage", manager, `{"units": 1}`)
	require.Equal(t, http.StatusNotFound, status, string(body))

	status, body = b.do(t, http.MethodPost, path, manager, `{"diagnosis_codes": ["M54.50"], "note": "coder corrected the primary diagnosis"}`)
	require.Equal(t, http.StatusOK, status, string(body))
	d = decode[workflow.Denial](t, body)
	require.Equal(t, []string{"M54.50"}, d.DiagnosisCodes)
	require.Equal(t, "carc.50", d.Rule)
	require.Equal(t, "medical_necessity", d.Category)
	require.Equal(t, "appeal", d.Action)
	require.Equal(t, []string{"appeal_1"}, deadlineKinds(openDeadlines(d)), "the redetermination clock runs")
	require.Equal(t, []string{"appeal_1", "reopening"}, deadlineKinds(d), "the write-off's reopening clock stays, closed")
	require.Equal(t, "closed", d.Deadlines[1].Status)

	var cancelled, live int
	for _, task := range d.Tasks {
		switch {
		case task.ID == first.ID:
			require.Equal(t, "cancelled", task.Status)
			cancelled++
		case task.Status == "open" || task.Status == "in_progress":
			live++
		}
	}
	require.Equal(t, 1, cancelled, "the first task stays, cancelled")
	require.Equal(t, 1, live, "one live task")
	kinds := make([]string, len(d.Events))
	for i, e := range d.Events {
		kinds[i] = e.Kind
	}
	require.Contains(t, kinds, "denial.triaged")
	require.Contains(t, kinds, "denial.retriaged")

	status, body = b.do(t, http.MethodPost, path, b.keys[workflow.RoleSpecialist], `{"units": 1}`)
	require.Equal(t, http.StatusForbidden, status, string(body))
}

// The rules are readable by managers.
func TestListRules(t *testing.T) {
	t.Parallel()
	b := setup(t)
	status, body := b.do(t, http.MethodGet, "/v1/rules", b.keys[workflow.RoleManager], nil)
	require.Equal(t, http.StatusOK, status, string(body))
	out := decode[struct {
		Rules []struct {
			ID        string `json:"id"`
			Matches   string `json:"matches"`
			Outcome   string `json:"outcome"`
			Rationale string `json:"rationale"`
		} `json:"rules"`
	}](t, body)
	ids := map[string]bool{}
	for _, r := range out.Rules {
		require.NotEmpty(t, r.Matches, r.ID)
		require.NotEmpty(t, r.Outcome, r.ID)
		require.NotEmpty(t, r.Rationale, r.ID)
		ids[r.ID] = true
	}
	for _, id := range []string{"97026.ncd_270_6.no_abn", "97026.ncd_270_6.abn", "97026.chiropractor",
		"modifier.gp_missing", "97026.units", "medicare.ma130", "duplicate", "experimental.payer_policy",
		"97026.modality_confusion", "bundling.never_paid"} {
		require.True(t, ids[id], "GET /v1/rules lists %s", id)
	}
}
