package rules

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// taskFor triages a line, computes its clocks as the workflow does and writes its task.
func taskFor(t *testing.T, l Line) (Decision, TaskText) {
	t.Helper()
	p := DefaultPolicy(l.PayerKind)
	d := Triage(l, p)
	service := Date(2026, 2, 20)
	dls := p.Deadlines(d.Deadlines, Dates{Service: service, Remit: Date(2026, 3, 10)})
	payer := map[PayerKind]string{
		Medicare: "Noridian JE Part B", MedicareAdvantage: "Humana Gold Plus", Medicaid: "Molina Medicaid",
		Commercial: "Aetna PPO", OtherPayer: "Acme Health",
	}[l.PayerKind]
	return d, Task(TaskFacts{
		Decision: d, PayerName: payer, PayerKind: l.PayerKind, ClaimNumber: "CLM-1001", PayerClaimNumber: "22026051000101",
		ProcedureCode: l.ProcedureCode, Modifiers: l.Modifiers, Units: l.Units, DiagnosisCodes: l.DiagnosisCodes,
		Remarks: l.Remarks, OtherProcedures: l.OtherProcedures, ServiceDate: service, Deadlines: dls,
	})
}

func TestTaskThemes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		line      Line
		theme     string
		title     string
		guidance  []string // the instructions say these
		checklist []string // some checklist step says each of these
		last      string   // the checklist's last step
	}{
		{"NCD 270.6 without an ABN",
			denied(Medicare, "50", remarks("N386"), dx("E11.42", "M79.604")),
			"NCD 270.6", "NCD 270.6: write off — 97026 on 2026-02-20, Noridian JE Part B, claim CLM-1001",
			[]string{"Check the diagnosis pointer", "if mis-linked, fix it through a reopening", "E11.42, M79.604"},
			[]string{"Check the diagnosis pointer of 97026 on claim CLM-1001 (diagnoses E11.42, M79.604)",
				"request a reopening with the corrected pointer and the note before 2027-03-10",
				"without an ABN on file (modifiers: GP) the patient may not be billed"},
			"Write the denial off in Reclaim with the reason."},
		{"NCD 270.6 with GA",
			denied(Medicare, "50", remarks("N386"), dx("L97.412"), mods("GP", "GA"), patientGroup()),
			"NCD 270.6", "NCD 270.6: bill the patient — 97026",
			[]string{"bill the patient if GA is on the line"},
			[]string{"confirm the signed ABN for 2026-02-20 is on file (GA on the line) and send the patient a statement for $30.00"},
			"Mark the denial billed to patient in Reclaim."},
		{"NCD 270.6 pointer",
			denied(Medicare, "50", dx("M54.50", "G62.9")),
			"NCD 270.6", "NCD 270.6: review before choosing",
			nil,
			[]string{"Otherwise bill the patient if GA shows an ABN on file (modifiers: GP), or write the denial off."},
			"Record what you did in Reclaim: the resubmission, appeal, patient bill or write-off, with the reason."},
		{"chiropractor on Medicare",
			denied(Medicare, "96", remarks("N425"), taxonomy("111N00000X"), mods()),
			"chiropractor on Medicare", "Chiropractor on Medicare: bill the patient",
			[]string{"only for spinal manipulation", "Bill the patient."},
			[]string{"Send the patient a statement for $30.00 for 97026 on 2026-02-20."},
			"Mark the denial billed to patient in Reclaim."},
		{"modifier on Medicare",
			denied(Medicare, "4", remarks("N822"), mods()),
			"modifier", "Modifier: request a reopening — 97026",
			[]string{"Add GP (and KX only when over the therapy threshold and supported)."},
			[]string{"Add the modifier to 97026 (billed with none)", "Request a reopening before 2026-07-13."},
			"Record the reopening in Reclaim."},
		{"modifier on a commercial payer",
			denied(Commercial, "4", mods("KX")),
			"modifier", "Modifier: send a corrected claim — 97026 on 2026-02-20, Aetna PPO, claim CLM-1001",
			nil,
			[]string{"Send a corrected claim (frequency code 7) referencing payer claim number 22026051000101 before 2026-09-06."},
			"Record the corrected claim in Reclaim."},
		{"bundling with a bypass",
			denied(Medicare, "97", remarks("M80"), others("97140"), edits(PairEdit{"97140", "97026", 1})),
			"bundling", "Bundling: request a reopening",
			[]string{"only when a separate area or session is documented", "97010 on Medicare: write off"},
			[]string{"Look up the NCCI pair of 97026 with 97140", "Only if it is, add XS, XE or 59 to 97026 and request a reopening"},
			"Record the reopening in Reclaim."},
		{"bundling never paid",
			denied(Medicare, "234", code("97010")),
			"bundling", "Bundling: write off — 97010",
			nil,
			[]string{"Medicare never pays it separately", "stop billing 97010 to Medicare as a separate charge"},
			"Write the denial off in Reclaim with the reason."},
		{"bundling to review",
			denied(Commercial, "97", others("97110")),
			"bundling", "Bundling: review before choosing",
			nil,
			[]string{"Look up the NCCI pair of 97026 with 97110 for 2026-02-20."},
			"Record what you did in Reclaim: the resubmission, appeal, patient bill or write-off, with the reason."},
		{"frequency: units",
			denied(Medicare, "151", units(3)),
			"frequency", "Frequency: request a reopening",
			[]string{"Confirm 1 unit per session", "KX when over the threshold"},
			[]string{"billed 3 units", "Correct the units to 1 and request a reopening"},
			"Record the reopening in Reclaim."},
		{"wrong code",
			denied(Commercial, "189"),
			"wrong code", "Wrong code: send a corrected claim",
			[]string{"Match the documented device to the code", "97010 hot or cold packs (supervised, untimed)", "97035 ultrasound (timed, 15-minute units)",
				"97039 unlisted modality.", "Low-level (cold) laser is not infrared"},
			[]string{"Match it to 97026 or a neighbouring code (97010, 97012", "low-level laser is not infrared"},
			"Record the corrected claim in Reclaim."},
		{"medical necessity",
			denied(Medicare, "50", remarks("N115")),
			"medical necessity", "Medical necessity: appeal",
			[]string{"measurable functional goal", "active treatment"},
			[]string{"Pull the plan of care and the treatment note for 2026-02-20.", "file it before 2026-07-13"},
			"Record the appeal in Reclaim."},
		{"documentation",
			denied(Commercial, "16", remarks("N465")),
			"documentation", "Documentation: send a corrected claim",
			[]string{"body area, clinical reason, minutes, device, patient response, supervising clinician"},
			[]string{"reason CO-16, remarks N465", "Send it: send a corrected claim (frequency code 7) referencing payer claim number 22026051000101"},
			"Record the corrected claim in Reclaim."},
		{"experimental",
			denied(Commercial, "55", remarks("N623"), dx("E11.42")),
			"experimental", "Experimental: appeal",
			[]string{"Aetna PPO calls 97026 experimental", "appeal only if the indication is outside the exclusion"},
			[]string{"Find Aetna PPO's medical policy on infrared therapy", "diagnoses E11.42"},
			"Record the appeal in Reclaim."},
		{"unprocessable",
			denied(Medicare, "16", remarks("MA130", "N290")),
			"unprocessable claim", "Unprocessable claim: send a new claim",
			[]string{"no appeal rights", "(MA130, N290)"},
			[]string{"Send it as a new claim, not a reopening, before 2027-02-20."},
			"Record the new claim in Reclaim."},
		{"late filing on Medicare",
			denied(Medicare, "29"),
			"timely filing", "Timely filing: write off",
			[]string{"cannot be appealed"},
			[]string{"If you find it, record it and request a reopening with it before 2027-03-10."},
			"Write the denial off in Reclaim with the reason."},
		{"late filing with proof",
			denied(Medicare, "29", proof()),
			"timely filing", "Timely filing: request a reopening",
			nil,
			[]string{"Request a reopening with it before 2027-03-10."},
			"Record the reopening in Reclaim."},
		{"duplicate",
			denied(Commercial, "18"),
			"duplicate", "Duplicate: review before choosing",
			nil,
			[]string{"Find the original claim with 97026 on 2026-02-20"},
			"Record what you did in Reclaim: the resubmission, appeal, patient bill or write-off, with the reason."},
		{"eligibility",
			denied(Medicaid, "27"),
			"eligibility", "Eligibility: bill the right payer",
			nil,
			[]string{"Verify the patient's coverage on 2026-02-20"},
			"Record the resubmission to the other payer in Reclaim."},
		{"unknown reason",
			denied(OtherPayer, "Z9"),
			"review", "Review: review before choosing",
			nil,
			[]string{"reason CO-Z9"},
			"Record what you did in Reclaim: the resubmission, appeal, patient bill or write-off, with the reason."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, task := taskFor(t, tt.line)
			require.Equal(t, tt.theme, task.Theme, d.Rule)
			require.True(t, strings.HasPrefix(task.Title, tt.title), "title %q", task.Title)

			// The instructions carry the theme, the reason and the denial's facts.
			for _, g := range tt.guidance {
				require.Contains(t, task.Instructions, g)
			}
			require.Contains(t, task.Instructions, "Why: "+d.Rationale)
			require.Contains(t, task.Instructions, "Claim CLM-1001 (payer claim number 22026051000101)")
			require.Contains(t, task.Instructions, tt.line.ProcedureCode)
			require.Contains(t, task.Instructions, FormatCents(d.DeniedCents)+" denied")
			if len(tt.line.Modifiers) > 0 {
				require.Contains(t, task.Instructions, tt.line.ProcedureCode+" "+strings.Join(tt.line.Modifiers, " "))
			}
			require.Contains(t, task.Instructions, "diagnoses "+strings.Join(tt.line.DiagnosisCodes, ", "))
			require.Contains(t, task.Instructions, "Nearest deadline: ")

			checklist := strings.Join(task.Checklist, "\n")
			for _, c := range tt.checklist {
				require.Contains(t, checklist, c)
			}
			require.Equal(t, tt.last, task.Checklist[len(task.Checklist)-1])
			require.NotContains(t, task.Title+task.Instructions+checklist, "{", "every placeholder is filled")
		})
	}
}

func TestTaskNearestDeadline(t *testing.T) {
	t.Parallel()
	// A Medicare reopening carries the reopening year and the 120-day appeal clock: the
	// appeal clock comes first.
	_, task := taskFor(t, denied(Medicare, "4", mods()))
	require.Contains(t, task.Instructions, "Nearest deadline: appeal_1 due 2026-07-13.")
	require.Contains(t, task.Instructions, "Deadline reopening due 2027-03-10: 1 year from remit_date (2026-03-10).")
	require.Contains(t, task.Instructions, "Deadline appeal_1 due 2026-07-13: 120 days from receipt (2026-03-15).")
}

func TestTaskAddsTheOtherFixes(t *testing.T) {
	t.Parallel()
	// A generic denial of a line with no GP and 2 units: the units rule decides, and the
	// same reopening adds GP.
	d, task := taskFor(t, denied(Medicare, "A1", mods(), units(2)))
	require.Equal(t, "97026.units", d.Rule)
	require.Contains(t, task.Checklist, "In the same correction, add the therapy modifier (GP for a physical therapy plan of care).")
	require.Equal(t, "Record the reopening in Reclaim.", task.Checklist[len(task.Checklist)-1])

	// A rule of the deciding rule's own kind adds nothing: the theme covers it.
	for _, l := range []Line{
		denied(Medicare, "97", others("97140"), edits(PairEdit{"97140", "97026", 0})),
		denied(Medicare, "4", mods()),             // modifier.reason under modifier.gp_missing
		denied(Medicare, "151", units(2), mue(1)), // units.mue under 97026.units
	} {
		_, task = taskFor(t, l)
		for _, step := range task.Checklist {
			require.NotContains(t, step, "In the same correction")
		}
	}
}

func TestTaskWithoutFacts(t *testing.T) {
	t.Parallel()
	// A denial with no payer claim number, modifiers, diagnoses or deadlines still reads.
	d := Triage(denied(Commercial, "16", remarks("N465"), mods(), dx()), DefaultPolicy(Commercial))
	task := Task(TaskFacts{Decision: d, PayerName: "Aetna PPO", ClaimNumber: "CLM-9", ProcedureCode: "97026", Units: 1, ServiceDate: Date(2026, 2, 20)})
	require.Contains(t, task.Instructions, "Claim CLM-9 with Aetna PPO: 97026, 1 unit on 2026-02-20; diagnoses none recorded; $30.00 denied.")
	require.NotContains(t, task.Instructions, "Nearest deadline")
	require.Contains(t, strings.Join(task.Checklist, "\n"), "referencing the payer claim number before the deadline")
}
