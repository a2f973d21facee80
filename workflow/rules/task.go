package rules

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// TaskFacts are the facts of a denial a task's text is filled with.
type TaskFacts struct {
	Decision         Decision
	PayerName        string
	PayerKind        PayerKind
	ClaimNumber      string
	PayerClaimNumber string
	ProcedureCode    string
	Modifiers        []string
	Units            int
	DiagnosisCodes   []string // pointer order, first is primary
	Remarks          []string // RARCs
	// OtherProcedures are the other procedures billed on the same claim and day, for the
	// bundling task's pair look-up.
	OtherProcedures []string
	ServiceDate     time.Time
	Deadlines       []Deadline
}

// TaskText is what a correction task says: a title, instructions and a checklist.
type TaskText struct {
	Title        string
	Instructions string
	Checklist    []string
	// Theme is the kind of work, e.g. "NCD 270.6" or "modifier": the row of 97026.md's
	// task table the text comes from.
	Theme string
}

// theme is one kind of correction work: what the specialist's task says (domain/97026.md,
// "What the specialist's task says") as templates over the task's facts (see
// [taskFacts.fact]).
type theme struct {
	name     string
	guidance string
	steps    []string
}

// Themes chosen by the deciding rule, where its outcome needs its own steps.
var themesByRule = map[string]theme{
	"97026.ncd_270_6.abn": {
		name:     "NCD 270.6",
		guidance: ncdGuidance,
		steps: []string{
			ncdPointerStep, ncdReopenStep,
			"Otherwise confirm the signed ABN for {service_date} is on file (GA on the line) and send the patient a statement for {denied}.",
		},
	},
	"97026.ncd_270_6.abn_provider_liable": {
		name:     "NCD 270.6",
		guidance: ncdGuidance,
		steps: []string{
			ncdPointerStep, ncdReopenStep,
			"Otherwise find the signed ABN for {service_date}: if it was valid (given before the service, naming infrared therapy and its cost), appeal to have the liability moved to the patient; if not, write the denial off. Do not bill the patient while the payer holds the provider liable.",
		},
	},
	"97026.ncd_270_6.no_abn": {
		name:     "NCD 270.6",
		guidance: ncdGuidance,
		steps: []string{
			ncdPointerStep, ncdReopenStep,
			"Otherwise write the denial off: without an ABN on file (modifiers: {modifiers}) the patient may not be billed.",
		},
	},
	"97026.ncd_270_6.pointer": {
		name:     "NCD 270.6",
		guidance: ncdGuidance,
		steps: []string{
			ncdPointerStep, ncdReopenStep,
			"Otherwise bill the patient if GA shows an ABN on file (modifiers: {modifiers}), or write the denial off.",
		},
	},
	"97026.chiropractor": {
		name: "chiropractor on Medicare",
		guidance: "Medicare pays a chiropractor only for spinal manipulation: {procedure} billed by a chiropractor is never covered " +
			"and the patient is liable (a statutory exclusion; no ABN is needed). Bill the patient.",
		steps: []string{
			"Confirm the rendering provider on claim {claim} is the chiropractor (taxonomy 111N…).",
			"Send the patient a statement for {denied} for {procedure} on {service_date}.",
			"If the patient has a secondary plan, bill it with Medicare's denial.",
		},
	},
	"bundling.bypass": {
		name:     "bundling",
		guidance: bundlingGuidance,
		steps: []string{
			"Look up the NCCI pair of {procedure} with {others} for {service_date}: a modifier may bypass it (indicator 1).",
			"Read the note: is a separate body area (XS) or a separate session (XE) documented for {procedure}?",
			"Only if it is, add XS, XE or 59 to {procedure} and {fix} before {deadline_date}.",
			"If it is not, write the denial off: the edit stands.",
		},
	},
	"bundling.ncci_0": {
		name:     "bundling",
		guidance: bundlingGuidance,
		steps: []string{
			"Confirm the NCCI pair of {procedure} with {others} for {service_date} has modifier indicator 0 (no bypass).",
			"Write the denial off: no modifier can bypass the edit.",
		},
	},
	"bundling.never_paid": {
		name:     "bundling",
		guidance: bundlingGuidance,
		steps: []string{
			"Confirm {procedure} has fee schedule status B on {service_date}: Medicare never pays it separately.",
			"Write the denial off, and stop billing {procedure} to Medicare as a separate charge.",
		},
	},
	"97026.units": {
		name:     "frequency",
		guidance: frequencyGuidance,
		steps: []string{
			"Confirm the note for {service_date} shows one infrared session (billed {units} units): 97026 is untimed, one unit per session.",
			"Correct the units to 1 and {fix} before {deadline_date}.",
		},
	},
	"units.mue": {
		name:     "frequency",
		guidance: frequencyGuidance,
		steps: []string{
			"Count the units of {procedure} documented for {service_date} (billed {units}) against its medically unlikely edit.",
			"Correct the units and {fix} before {deadline_date}; if more were truly given, appeal with the records instead.",
		},
	},
	"medicare.ma130": {
		name: "unprocessable claim",
		guidance: "Medicare returned the claim as unprocessable (MA130): there are no appeal rights and a reopening will not take it. " +
			"Fix what the remarks name ({remarks}) and send a new claim before the timely filing limit.",
		steps: []string{
			"Read the remarks ({remarks}) for what is missing or invalid on claim {claim}.",
			"Fix the claim.",
			"Send it as a new claim, not a reopening, before {deadline_date}.",
		},
	},
	"medicare.carc29": {
		name:     "timely filing",
		guidance: "CARC 29 on Medicare is not an initial determination: it cannot be appealed. Only proof that the claim was filed in time reopens it.",
		steps: []string{
			"Look once more for proof of timely filing (clearing-house acceptance report, Medicare acknowledgement) for claim {claim}.",
			"If you find it, record it and request a reopening with it before {deadline_date}.",
			"Otherwise write the denial off as filed late.",
		},
	},
	"medicare.carc29.proof": {
		name:     "timely filing",
		guidance: "CARC 29 on Medicare cannot be appealed, but proof of timely filing is on record: send it through a reopening.",
		steps: []string{
			"Attach the proof of timely filing for claim {claim} (clearing-house acceptance report or Medicare acknowledgement).",
			"Request a reopening with it before {deadline_date}.",
		},
	},
	"liability.patient": {
		name:     "patient liability",
		guidance: "The payer made the patient liable for {denied}: bill the patient, or their secondary plan first.",
		steps: []string{
			"Confirm the patient is liable (ABN on file, statutory exclusion or benefit maximum).",
			"Bill a secondary plan first if the patient has one; otherwise send the patient a statement for {denied}.",
		},
	},
}

// Themes chosen by category, for every other decision.
var themesByCategory = map[Category]theme{
	MedicalNecessity: {
		name: "medical necessity",
		guidance: "Pull the plan of care and the note; confirm a measurable functional goal and that infrared was used with active " +
			"treatment; appeal with the records, or write off.",
		steps: []string{
			"Pull the plan of care and the treatment note for {service_date}.",
			"Confirm a measurable functional goal and that {procedure} was used together with active treatment (exercise, manual therapy).",
			"If they support it, write the appeal letter, attach the records and file it before {deadline_date}.",
			"If they do not, write the denial off with the reason.",
		},
	},
	Documentation: {
		name:     "documentation",
		guidance: "Send the missing record: body area, clinical reason, minutes, device, patient response, supervising clinician.",
		steps: []string{
			"Find what the payer asked for (reason {reason}, remarks {remarks}).",
			"Gather the note for {service_date} showing body area, clinical reason, minutes, device, patient response and supervising clinician.",
			"Send it: {fix} before {deadline_date}.",
		},
	},
	NonCovered: {
		name:     "non-covered",
		guidance: "The payer does not cover {procedure} for this patient or diagnosis ({diagnoses}). Check the benefit before choosing.",
		steps: []string{
			"Check the patient's benefits and the payer's coverage policy for {procedure}.",
			"If it is covered after all, appeal with the policy and the records before {deadline_date}.",
			"If not, bill the patient only when they are liable (ABN with GA on Medicare, or the plan allows it); otherwise write off.",
		},
	},
	Experimental: {
		name:     "experimental",
		guidance: "{payer} calls {procedure} experimental or investigational. Read the payer policy; appeal only if the indication is outside the exclusion.",
		steps: []string{
			"Find {payer}'s medical policy on infrared therapy (including monochromatic infrared energy).",
			"Compare the indication (diagnoses {diagnoses}) and its use with active therapy against the exclusion.",
			"If it is outside the exclusion, appeal with the policy citation and the records before {deadline_date}.",
			"If it is inside, write the denial off.",
		},
	},
	Bundling: {
		name:     "bundling",
		guidance: bundlingGuidance,
		steps: []string{
			"Look up the NCCI pair of {procedure} with {others} for {service_date}.",
			"Read the note for a separate body area or session.",
			"If one is documented and the pair allows a modifier, add XS, XE or 59 and correct the claim before {deadline_date}.",
			"If the pair cannot be bypassed or nothing separate is documented, write the denial off.",
		},
	},
	Frequency: {
		name:     "frequency",
		guidance: frequencyGuidance,
		steps: []string{
			"Confirm the note for {service_date} shows 1 unit of {procedure} per session (billed {units}).",
			"Count the modalities per visit and the visits used against the authorization.",
			"Add KX only when the patient is over the therapy threshold and the record supports it.",
			"Correct the claim or appeal with the records before {deadline_date}, or write off.",
		},
	},
	Coding: {
		name: "wrong code",
		guidance: "Match the documented device to the code: 97026 is infrared, one unit per session. Neighbours: {neighbours}. " +
			"Low-level (cold) laser is not infrared. Correct via reopening or corrected claim.",
		steps: []string{
			"Read the note for {service_date}: which device and modality was used?",
			"Match it to {procedure} or a neighbouring code ({neighbour_codes}); low-level laser is not infrared.",
			"Correct the code (or the diagnosis the payer named) and {fix} before {deadline_date}.",
		},
	},
	Modifier: {
		name:     "modifier",
		guidance: "Add GP (and KX only when over the therapy threshold and supported).",
		steps: []string{
			"Check the plan of care: physical therapy takes GP (GO occupational, GN speech).",
			"Add the modifier to {procedure} (billed with {modifiers}); add KX only when the patient is over the therapy threshold and the record supports it.",
			"{fix_sentence} before {deadline_date}.",
		},
	},
	Authorization: {
		name:     "authorization",
		guidance: "The payer found no valid authorization for {procedure} on {service_date}.",
		steps: []string{
			"Find the authorization (number, dates, visits and codes covered) for {service_date}.",
			"If it covers the service, appeal with it before {deadline_date}.",
			"If none was obtained, ask the payer for a retro-authorization where allowed; otherwise write off.",
		},
	},
	Eligibility: {
		name:     "eligibility",
		guidance: "{payer} did not cover the patient on {service_date}.",
		steps: []string{
			"Verify the patient's coverage on {service_date} and the order of payers.",
			"Bill the responsible payer before {deadline_date}.",
		},
	},
	CoordinationOfBenefits: {
		name:     "coordination of benefits",
		guidance: "Another payer pays first, or {payer} needs the primary's decision.",
		steps: []string{
			"Verify the order of payers for {service_date}.",
			"Bill the primary payer, or send {payer} the primary's remittance, before {deadline_date}.",
		},
	},
	TimelyFiling: {
		name:     "timely filing",
		guidance: "{payer} says the claim was filed late. Only proof of timely filing recovers it.",
		steps: []string{
			"Find proof that claim {claim} was filed in time (clearing-house acceptance report, payer acknowledgement).",
			"If you have it, appeal with it before {deadline_date}.",
			"Otherwise write the denial off as filed late.",
		},
	},
	Duplicate: {
		name:     "duplicate",
		guidance: "{payer} says {procedure} on {service_date} duplicates a line it already processed.",
		steps: []string{
			"Find the original claim with {procedure} on {service_date} for this patient.",
			"If it was paid or is still in process, there is nothing to recover: close the denial.",
			"If this was a separate service, correct the claim to show it (modifier 76, 59 or XE as documented).",
		},
	},
	ProviderEligibility: {
		name:     "provider eligibility",
		guidance: "{payer} does not pay this provider for {procedure}.",
		steps: []string{
			"Check the rendering provider's enrollment, credentialing and NPI with {payer} for {service_date}.",
			"Fix the provider data and correct the claim before {deadline_date}, or write off when the provider type is never paid.",
		},
	},
}

// otherTheme is the task for a denial no theme fits.
var otherTheme = theme{
	name:     "review",
	guidance: "The denial does not fit a known theme: read the remittance and the claim before choosing.",
	steps: []string{
		"Read the remittance (reason {reason}, remarks {remarks}) and claim {claim}.",
		"Choose the action: appeal, correct, rebill, bill the patient or write off, before {deadline_date}.",
	},
}

const (
	ncdGuidance = "Medicare does not cover infrared therapy for neuropathy, wounds or ulcers (NCD 270.6). Check the diagnosis pointer: " +
		"if mis-linked, fix it through a reopening with the note; otherwise bill the patient if GA is on the line, else write off."
	ncdPointerStep = "Check the diagnosis pointer of {procedure} on claim {claim} (diagnoses {diagnoses}) against the treatment note for {service_date}."
	ncdReopenStep  = "If the infrared treated a condition NCD 270.6 does not exclude (back or shoulder pain, say) and the pointer is wrong, " +
		"request a reopening with the corrected pointer and the note before {reopening_date}."
	bundlingGuidance = "Look up the pair; send a corrected claim with XS, XE or 59 only when a separate area or session is documented; " +
		"97010 on Medicare: write off."
	frequencyGuidance = "Confirm 1 unit per session, the modalities per visit and the visits against the authorization; KX when over the threshold."
)

// Task writes the correction task for a decided denial: the theme's guidance and steps,
// filled with the denial's facts, then why it was decided and the facts themselves.
func Task(f TaskFacts) TaskText {
	d := f.Decision
	th := themeFor(d)
	tf := taskFacts{f}

	t := TaskText{
		Theme: th.name,
		Title: fmt.Sprintf("%s: %s — %s on %s, %s, claim %s",
			capitalize(th.name), d.Action.Label(), f.ProcedureCode, f.ServiceDate.Format(DateLayout), f.PayerName, f.ClaimNumber),
	}

	var b strings.Builder
	b.WriteString(expand(th.guidance, tf.fact))
	fmt.Fprintf(&b, "\n\nWhy: %s", d.Rationale)
	fmt.Fprintf(&b, "\n\nClaim %s", f.ClaimNumber)
	if f.PayerClaimNumber != "" {
		fmt.Fprintf(&b, " (payer claim number %s)", f.PayerClaimNumber)
	}
	fmt.Fprintf(&b, " with %s: %s", f.PayerName, f.ProcedureCode)
	if len(f.Modifiers) > 0 {
		fmt.Fprintf(&b, " %s", strings.Join(f.Modifiers, " "))
	}
	fmt.Fprintf(&b, ", %s on %s; diagnoses %s; %s denied.",
		plural(f.Units, "unit"), f.ServiceDate.Format(DateLayout), listOr(f.DiagnosisCodes, "none recorded"), FormatCents(d.DeniedCents))
	if dl, ok := nearest(f.Deadlines); ok {
		fmt.Fprintf(&b, "\nNearest deadline: %s due %s.", dl.Kind, dl.Due.Format(DateLayout))
	}
	for _, dl := range f.Deadlines {
		fmt.Fprintf(&b, "\nDeadline %s.", dl.Describe())
	}
	t.Instructions = b.String()

	for _, s := range th.steps {
		t.Checklist = append(t.Checklist, expand(s, tf.fact))
	}
	// A fix another matching rule found goes into the same correction, unless that rule is
	// of the deciding one's own kind, which the theme's steps already cover.
	for _, m := range d.Matched {
		if r, ok := packRuleByID[m.Rule]; ok && m.Category != d.Category && r.also != "" {
			t.Checklist = append(t.Checklist, r.also)
		}
	}
	t.Checklist = append(t.Checklist, recordStep(d.Action))
	return t
}

// themeFor picks the task theme of a decision: the deciding rule's own, else its
// category's.
func themeFor(d Decision) theme {
	if th, ok := themesByRule[d.Rule]; ok {
		return th
	}
	if th, ok := themesByCategory[d.Category]; ok {
		return th
	}
	return otherTheme
}

// recordStep is the checklist's last step: what to record in Reclaim once it is done.
func recordStep(a Action) string {
	switch a {
	case Appeal:
		return "Record the appeal in Reclaim."
	case Reopening:
		return "Record the reopening in Reclaim."
	case CorrectedClaim:
		return "Record the corrected claim in Reclaim."
	case NewClaim:
		return "Record the new claim in Reclaim."
	case RebillOtherPayer:
		return "Record the resubmission to the other payer in Reclaim."
	case BillPatient:
		return "Mark the denial billed to patient in Reclaim."
	case WriteOff:
		return "Write the denial off in Reclaim with the reason."
	}
	return "Record what you did in Reclaim: the resubmission, appeal, patient bill or write-off, with the reason."
}

// taskFacts fills the themes' templates.
type taskFacts struct{ TaskFacts }

func (f taskFacts) fact(name string) (string, bool) {
	d := f.Decision
	switch name {
	case "payer":
		return f.PayerName, true
	case "claim":
		return f.ClaimNumber, true
	case "procedure":
		return f.ProcedureCode, true
	case "modifiers":
		return listOr(f.Modifiers, "none"), true
	case "units":
		return strconv.Itoa(f.Units), true
	case "diagnoses":
		return listOr(f.DiagnosisCodes, "none recorded"), true
	case "remarks":
		return listOr(f.Remarks, "none"), true
	case "others":
		return listOr(f.OtherProcedures, "the other codes of the day"), true
	case "reason":
		if d.Reason.Reason == "" {
			return "none given", true
		}
		return string(d.Reason.Group) + "-" + d.Reason.Reason, true
	case "denied":
		return FormatCents(d.DeniedCents), true
	case "service_date":
		return f.ServiceDate.Format(DateLayout), true
	case "deadline_date":
		if dl, ok := nearest(f.Deadlines); ok {
			return dl.Due.Format(DateLayout), true
		}
		return "the deadline", true
	case "reopening_date":
		for _, dl := range f.Deadlines {
			if dl.Kind == DeadlineReopening {
				return dl.Due.Format(DateLayout), true
			}
		}
		return f.fact("deadline_date")
	case "fix", "fix_sentence":
		s := f.fix()
		if name == "fix_sentence" {
			s = capitalize(s)
		}
		return s, true
	case "neighbours":
		parts := make([]string, 0, len(modalities))
		for _, m := range Neighbours() {
			parts = append(parts, fmt.Sprintf("%s %s%s", m.Code, strings.ToLower(m.Meaning[:1])+m.Meaning[1:], timingNote[m.Timing]))
		}
		return strings.Join(parts, "; "), true
	case "neighbour_codes":
		codes := make([]string, 0, len(modalities))
		for _, m := range Neighbours() {
			codes = append(codes, m.Code)
		}
		return strings.Join(codes, ", "), true
	}
	return "", false
}

// fix says how the correction goes to the payer: as the decision says, or, for a
// decision still to be reviewed, as the payer takes fixes.
func (f taskFacts) fix() string {
	ref := "the payer claim number"
	if f.PayerClaimNumber != "" {
		ref = "payer claim number " + f.PayerClaimNumber
	}
	switch f.Decision.Action {
	case Reopening:
		return "request a reopening"
	case CorrectedClaim:
		return "send a corrected claim (frequency code 7) referencing " + ref
	case NewClaim:
		return "send a new claim"
	}
	if f.PayerKind == Medicare {
		return "request a reopening"
	}
	return "send a corrected claim (frequency code 7) referencing " + ref
}

// timingNote is how a modality is billed, as the wrong-code task says it.
var timingNote = map[string]string{
	"supervised": " (supervised, untimed)",
	"timed":      " (timed, 15-minute units)",
}

// nearest is the deadline that falls due first.
func nearest(dls []Deadline) (Deadline, bool) {
	if len(dls) == 0 {
		return Deadline{}, false
	}
	best := dls[0]
	for _, dl := range dls[1:] {
		if dl.Due.Before(best.Due) {
			best = dl
		}
	}
	return best, true
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
