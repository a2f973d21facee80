package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Code97026 is infrared therapy, the first-class procedure code: a supervised modality,
// untimed, one unit per session.
const Code97026 = "97026"

// PairEdit is one NCCI procedure-to-procedure edit: when both codes are billed for a
// patient on a day, Column2 is not paid unless a modifier may bypass the edit.
type PairEdit struct {
	Column1 string `json:"column_1"`
	Column2 string `json:"column_2"`
	// ModifierIndicator is 0 when no modifier can bypass the edit, 1 when a bypass modifier
	// (59, XE, XS, XP, XU) may apply, 9 when the edit does not apply (deleted back to its
	// start).
	ModifierIndicator int `json:"modifier_indicator"`
}

// The NCCI modifier indicators of a [PairEdit].
const (
	NCCINoBypass   = 0 // no modifier can bypass the edit
	NCCIBypass     = 1 // a bypass modifier may apply
	NCCINotApplied = 9 // the edit does not apply
)

// therapyModifiers mark the plan of care a Medicare therapy line is furnished under:
// physical, occupational or speech therapy.
var therapyModifiers = []string{"GP", "GO", "GN"}

// BypassModifiers are the modifiers that bypass an NCCI pair edit with indicator 1: 59
// distinct procedural service, XE separate encounter, XS separate structure, XP separate
// practitioner, XU unusual non-overlapping service.
var BypassModifiers = []string{"59", "XE", "XS", "XP", "XU"}

// claimFix is a pack rule's action when the fix goes to the payer as [ClaimFix] says: a
// reopening where the payer takes no corrected claims, a corrected claim elsewhere. It is
// resolved against the policy before any decision leaves the package.
const claimFix Action = "claim_fix"

// packRule is one rule of the 97026 pack: the payer- and procedure-specific rules that
// refine what the CARC and RARC tables decided. Its text is data: the catalog shows it
// as it is, and Triage fills the rationale's {placeholders} with the line's facts.
type packRule struct {
	id string
	// precedence orders the pack from the general to the specific: when several rules
	// match, all are recorded in that order and the highest decides.
	precedence int
	payerKinds []PayerKind // the kinds it applies to; empty for every kind
	// carcs and rarcs are the reason codes that trigger the rule, when it is triggered by
	// the payer's reason. A remark counts only when the CARC does not state the payer's
	// decision itself (the base rules' decisive categories).
	carcs, rarcs []string
	matches      string   // what it matches, in words
	category     Category // empty keeps the category the base rules chose
	action       Action   // claimFix resolves to ClaimFix(policy)
	outcome      string   // the category and action, in words
	// deadlines replaces DeadlineKindsFor(action) where the default clock is wrong for the
	// rule (CARC 29 on Medicare cannot be appealed, say).
	deadlines []DeadlineKind
	rationale string // a template over the facts of [subject.fact]
	// also is the checklist step a task adds when this rule matched but another, of
	// another category, decided: a second fix that goes into the same correction.
	also  string
	match func(s *subject) bool
}

// coverageReasons are the reason categories under which a national coverage exclusion
// explains the denial. Other is among them: a generic denial of an excluded service is the
// exclusion, more likely than not.
var coverageReasons = []Category{NonCovered, MedicalNecessity, Experimental, Other}

// pack is the rule pack in precedence order, lowest first. Ids are stable: they are
// stored on every decision and managers filter by them.
var pack = []*packRule{
	{
		id: "modifier.reason", precedence: 10,
		carcs: []string{"4", "182"}, rarcs: []string{"N519", "N822", "N823"},
		matches:   "The payer's reason says a modifier is missing or invalid (CARC 4 or 182, RARC N519, N822 or N823), on any payer.",
		category:  Modifier,
		action:    claimFix,
		outcome:   "modifier; reopening where the payer takes no corrected claims (Medicare Part B), corrected claim elsewhere",
		rationale: "{reason}; {trigger} says a modifier is missing or invalid and the line was billed with {modifiers}: correct the modifiers and {fix}.",
		also:      "In the same correction, fix the modifiers the payer named as missing or invalid.",
		match:     func(s *subject) bool { return s.reasonIn(s.rule) },
	},
	{
		id: "modifier.gp_missing", precedence: 20, payerKinds: []PayerKind{Medicare},
		matches: "A Medicare therapy line (97xxx other than 97151-97158 and 97802-97804) without GP, GO or GN, " +
			"denied for a modifier reason or for a reason that names no defect (CARC 16 without a remark saying what, A1, an unknown CARC).",
		category:  Modifier,
		action:    claimFix,
		outcome:   "modifier; reopening (Medicare Part B takes no corrected claims)",
		rationale: "{reason}; Medicare pays therapy code {procedure} only with a therapy modifier (GP physical, GO occupational, GN speech therapy) and the line was billed with {modifiers}: add GP for a physical therapy plan of care and {fix}.",
		also:      "In the same correction, add the therapy modifier (GP for a physical therapy plan of care).",
		match: func(s *subject) bool {
			return isTherapyCode(s.code) && !s.hasAnyModifier(therapyModifiers...) &&
				(s.base.Category == Modifier || s.vagueReason())
		},
	},
	{
		id: "97026.modality_confusion", precedence: 30,
		carcs: []string{"11", "181", "189"}, rarcs: []string{"M51", "N56", "N657"},
		matches:   "97026 denied because the code does not fit the service (CARC 11, 181 or 189, RARC M51, N56 or N657).",
		category:  Coding,
		action:    claimFix,
		outcome:   "coding; reopening on Medicare, corrected claim elsewhere",
		rationale: "{reason}; {trigger} says the code does not fit the service: check that the documented device is infrared ({procedure}, supervised, one unit per session) and not a neighbouring modality ({neighbours}; low-level laser is not infrared), then {fix}.",
		also:      "In the same correction, match the documented device to the code (97026 is infrared only).",
		match:     func(s *subject) bool { return s.code == Code97026 && s.reasonIn(s.rule) },
	},
	{
		id: "units.mue", precedence: 40,
		matches:   "Any code billed with more units than its medically unlikely edit (MUE, loaded from CMS), denied for a frequency reason or for a reason that names no defect.",
		category:  Frequency,
		action:    claimFix,
		outcome:   "frequency; correct the units by reopening (Medicare) or corrected claim",
		rationale: "{reason}; {units} units of {procedure} exceed its medically unlikely edit of {mue} a day: correct the units to what was documented, at most {mue}, and {fix}.",
		also:      "In the same correction, bring the units within the medically unlikely edit.",
		match: func(s *subject) bool {
			return s.line.MUE > 0 && s.line.Units > s.line.MUE && (s.base.Category == Frequency || s.vagueReason())
		},
	},
	{
		id: "97026.units", precedence: 50,
		matches:   "97026 billed with more than one unit on the line, denied for a frequency reason or for a reason that names no defect.",
		category:  Frequency,
		action:    claimFix,
		outcome:   "frequency; correct the units by reopening (Medicare) or corrected claim",
		rationale: "{reason}; 97026 is untimed, one unit per session whatever the minutes or areas, and {units} units were billed: correct the units to 1 and {fix}.",
		also:      "In the same correction, bill 97026 as 1 unit (untimed, one per session).",
		match: func(s *subject) bool {
			return s.code == Code97026 && s.line.Units > 1 && (s.base.Category == Frequency || s.vagueReason())
		},
	},
	{
		id: "experimental.payer_policy", precedence: 60,
		payerKinds: []PayerKind{Commercial, MedicareAdvantage, Medicaid, OtherPayer},
		carcs:      []string{"55", "56"}, rarcs: []string{"N623"},
		matches:   "A payer other than Medicare calls the service experimental, investigational or unproven (CARC 55 or 56, RARC N623).",
		category:  Experimental,
		action:    Appeal,
		outcome:   "experimental; appeal, once the payer's medical policy shows the indication is outside its exclusion",
		rationale: "{reason}; {trigger}: {payer}'s medical policy calls {procedure} experimental or unproven; read it and appeal only if the indication (diagnosis {diagnoses}) is outside the exclusion, otherwise write off.",
		match:     func(s *subject) bool { return s.reasonIn(s.rule) },
	},
	{
		id: "bundling.review", precedence: 70,
		carcs: []string{"97", "231", "234", "236", "B15"}, rarcs: []string{"M15", "M80", "N20", "N390", "N431"},
		matches:   "A bundling denial (CARC 97, 231, 234, 236 or B15, RARC M15, M80, N20, N390 or N431) that no NCCI edit or status-B code explains.",
		category:  Bundling,
		action:    Review,
		outcome:   "bundling; review: look up the pair before choosing",
		rationale: "{reason}; {trigger} says it was bundled with another service, and {bundling}: look up the pair and the documentation before choosing.",
		match:     func(s *subject) bool { return s.reasonIn(s.rule) },
	},
	{
		id: "bundling.bypass", precedence: 80,
		carcs: []string{"97", "231", "234", "236", "B15"}, rarcs: []string{"M15", "M80", "N20", "N390", "N431"},
		matches:   "A bundling denial where an NCCI edit with modifier indicator 1 makes this line's code the column 2 code of another code billed that day, and the line has no bypass modifier (59, XE, XS, XP, XU).",
		category:  Bundling,
		action:    claimFix,
		outcome:   "bundling; add a bypass modifier by reopening (Medicare) or corrected claim, only when a separate area or session is documented",
		rationale: "{reason}; the NCCI edit {bypass_pair} lets a modifier bypass it and the line has none of {bypass_modifiers}: only when the note documents a separate area or session, add XS, XE or 59 and {fix}.",
		match: func(s *subject) bool {
			_, ok := s.pair(NCCIBypass)
			return s.reasonIn(s.rule) && ok && !s.hasAnyModifier(BypassModifiers...)
		},
	},
	{
		id: "bundling.ncci_0", precedence: 90,
		carcs: []string{"97", "231", "234", "236", "B15"}, rarcs: []string{"M15", "M80", "N20", "N390", "N431"},
		matches:   "A bundling denial where an NCCI edit with modifier indicator 0 makes this line's code the column 2 code of another code billed that day.",
		category:  Bundling,
		action:    WriteOff,
		outcome:   "bundling; write off: no modifier can bypass the edit",
		rationale: "{reason}; the NCCI edit {locked_pair} has modifier indicator 0: no modifier can bypass it, so write off.",
		match: func(s *subject) bool {
			_, ok := s.pair(NCCINoBypass)
			return s.reasonIn(s.rule) && ok
		},
	},
	{
		id: "bundling.never_paid", precedence: 100, payerKinds: []PayerKind{Medicare},
		carcs: []string{"97", "231", "234", "236", "B15"}, rarcs: []string{"M15", "M80", "N20", "N390", "N431"},
		matches:   "A Medicare bundling denial of a code Medicare never pays separately (fee schedule status B, data/status_b.csv, e.g. 97010).",
		category:  Bundling,
		action:    WriteOff,
		outcome:   "bundling; write off",
		rationale: "{reason}; Medicare never pays {procedure} separately (fee schedule status B: it is bundled into the other services of the day), so write off.",
		match:     func(s *subject) bool { return s.reasonIn(s.rule) && NeverPaidSeparately(s.code) },
	},
	{
		id: "duplicate", precedence: 110,
		carcs: []string{"18", "B13"}, rarcs: []string{"N111", "N522"},
		matches:   "The payer says the line duplicates one already processed (CARC 18 or B13, RARC N111 or N522).",
		category:  Duplicate,
		action:    Review,
		outcome:   "duplicate; review: find the original before choosing",
		rationale: "{reason}; {trigger} marks it a duplicate: find the original claim for {procedure} on the same date; if it was paid or is still in process there is nothing to recover, and if this was a separate service, correct the claim to show it.",
		match:     func(s *subject) bool { return s.reasonIn(s.rule) },
	},
	{
		id: "medicare.ma130", precedence: 120, payerKinds: []PayerKind{Medicare},
		rarcs:     []string{"MA130"},
		matches:   "Medicare returned the claim as unprocessable (RARC MA130), whatever the CARC.",
		action:    NewClaim,
		outcome:   "the category the reason gives; new claim, within the timely filing limit",
		rationale: "{reason}; RARC MA130: Medicare found the claim incomplete or invalid and unprocessable, with no appeal rights: fix what the remarks name and send a new claim within the timely filing limit.",
		match:     func(s *subject) bool { return s.hasRemark("MA130") },
	},
	{
		id: "medicare.carc29", precedence: 130, payerKinds: []PayerKind{Medicare},
		carcs:     []string{"29"},
		matches:   "Medicare denied the line as filed late (CARC 29) and no proof of timely filing is recorded.",
		category:  TimelyFiling,
		action:    WriteOff,
		outcome:   "timely filing; write off (not an initial determination: no appeal)",
		deadlines: []DeadlineKind{DeadlineReopening},
		rationale: "{reason}; CARC 29 on Medicare is not an initial determination and cannot be appealed, and no proof of timely filing is recorded, so write off.",
		match:     func(s *subject) bool { return s.reasonIn(s.rule) && !s.line.TimelyFilingProof },
	},
	{
		id: "medicare.carc29.proof", precedence: 140, payerKinds: []PayerKind{Medicare},
		carcs:     []string{"29"},
		matches:   "Medicare denied the line as filed late (CARC 29) and proof of timely filing is recorded.",
		category:  TimelyFiling,
		action:    Reopening,
		outcome:   "timely filing; reopening with the proof (on the reopening clock, not an appeal clock)",
		deadlines: []DeadlineKind{DeadlineReopening},
		rationale: "{reason}; CARC 29 on Medicare cannot be appealed, but proof of timely filing is recorded: send it through a reopening within a year of the remittance.",
		match:     func(s *subject) bool { return s.reasonIn(s.rule) && s.line.TimelyFilingProof },
	},
	{
		id: "97026.ncd_270_6.pointer", precedence: 150, payerKinds: []PayerKind{Medicare},
		matches: "A Medicare coverage denial of 97026 with an NCD 270.6 diagnosis (neuropathy, wound or ulcer; data/ncd_270_6.csv) " +
			"only after the primary diagnosis, which is not one.",
		category:  NonCovered,
		action:    Review,
		outcome:   "non-covered; review the diagnosis pointer: reopen if mis-linked, otherwise bill the patient with GA or write off",
		deadlines: []DeadlineKind{DeadlineReopening, DeadlineAppeal1},
		rationale: "{reason}; diagnosis {diagnosis} ({ncd_family}) in position {ncd_position} falls under NCD 270.6 (infrared therapy devices) but the primary diagnosis {primary} does not: check the diagnosis pointer; if the infrared treated {primary}, fix the pointer through a reopening with the note, otherwise {abn_outcome}.",
		match: func(s *subject) bool {
			return s.code == Code97026 && s.ncd.found && !s.ncd.primary && s.coverageReason()
		},
	},
	{
		id: "97026.ncd_270_6.no_abn", precedence: 160, payerKinds: []PayerKind{Medicare},
		matches: "A Medicare coverage denial of 97026 whose primary diagnosis is in an NCD 270.6 family (neuropathy, wound or ulcer; data/ncd_270_6.csv), " +
			"without GA (no ABN on file; GZ says so).",
		category:  NonCovered,
		action:    WriteOff,
		outcome:   "non-covered; write off (unless the diagnosis pointer is wrong: then reopen)",
		deadlines: []DeadlineKind{DeadlineReopening, DeadlineAppeal1},
		rationale: "{reason}; NCD 270.6 excludes infrared therapy ({procedure}) for neuropathy, wounds and ulcers, and the primary diagnosis {diagnosis} is {ncd_family}; {abn}, so the provider absorbs it: write off, unless the diagnosis pointer is wrong.",
		match: func(s *subject) bool {
			return s.code == Code97026 && s.ncd.found && s.ncd.primary && s.coverageReason() && !s.hasAnyModifier("GA")
		},
	},
	{
		id: "97026.ncd_270_6.abn", precedence: 170, payerKinds: []PayerKind{Medicare},
		matches: "A Medicare coverage denial of 97026 whose primary diagnosis is in an NCD 270.6 family (neuropathy, wound or ulcer; data/ncd_270_6.csv), " +
			"with GA (a valid ABN on file).",
		category:  NonCovered,
		action:    BillPatient,
		outcome:   "non-covered; bill the patient under the ABN (unless the diagnosis pointer is wrong: then reopen)",
		deadlines: []DeadlineKind{DeadlineReopening, DeadlineAppeal1},
		rationale: "{reason}; NCD 270.6 excludes infrared therapy ({procedure}) for neuropathy, wounds and ulcers, and the primary diagnosis {diagnosis} is {ncd_family}; GA shows an ABN on file, so bill the patient, unless the diagnosis pointer is wrong.",
		match: func(s *subject) bool {
			return s.code == Code97026 && s.ncd.found && s.ncd.primary && s.coverageReason() && s.hasAnyModifier("GA")
		},
	},
	{
		id: "97026.ncd_270_6.abn_provider_liable", precedence: 175, payerKinds: []PayerKind{Medicare},
		matches: "As 97026.ncd_270_6.abn (GA on the line), but Medicare left the amount with the provider (CO, not PR): " +
			"it did not accept the ABN.",
		category:  NonCovered,
		action:    Review,
		outcome:   "non-covered; review the ABN: the patient may not be billed for a CO amount",
		deadlines: []DeadlineKind{DeadlineReopening, DeadlineAppeal1},
		rationale: "{reason}; NCD 270.6 excludes infrared therapy ({procedure}) for neuropathy, wounds and ulcers, and the primary diagnosis {diagnosis} is {ncd_family}; GA says an ABN is on file, yet Medicare kept the liability with the provider ({group}), so the ABN was not accepted: check it, and appeal to move the liability to the patient if it was valid; do not bill the patient for a {group} amount.",
		match: func(s *subject) bool {
			return s.code == Code97026 && s.ncd.found && s.ncd.primary && s.coverageReason() && s.hasAnyModifier("GA") &&
				s.base.Reason.Group != GroupPatient
		},
	},
	{
		id: "97026.chiropractor", precedence: 180, payerKinds: []PayerKind{Medicare},
		matches:   "97026 billed to Medicare by a chiropractor (taxonomy 111N…), denied for any reason but a decisive one (timely filing, duplicate, eligibility, coordination of benefits, authorization).",
		category:  NonCovered,
		action:    BillPatient,
		outcome:   "non-covered; bill the patient (statutory exclusion: no ABN needed)",
		rationale: "{reason}; Medicare pays a chiropractor (taxonomy {taxonomy}) only for spinal manipulation, so {procedure} is never covered and the patient is liable: bill the patient.",
		match: func(s *subject) bool {
			return s.code == Code97026 && strings.HasPrefix(strings.ToUpper(strings.TrimSpace(s.line.ProviderTaxonomy)), "111N") &&
				!slices.Contains(decisive, s.base.Category)
		},
	},
}

// packRuleByID indexes the pack for tasks and the catalog.
var packRuleByID = func() map[string]*packRule {
	m := make(map[string]*packRule, len(pack))
	for _, r := range pack {
		m[r.id] = r
	}
	return m
}()

// applyPack runs the pack over a line the base rules decided, from the most general rule
// to the most specific: each rule that matches is recorded, and the last one decides. It
// returns the clocks the deciding rule asks for instead of its action's default, if any.
func applyPack(d *Decision, l Line, p Policy) (deadlines []DeadlineKind) {
	s := newSubject(l, p, *d)
	var deciding *packRule
	for _, r := range pack {
		if len(r.payerKinds) > 0 && !slices.Contains(r.payerKinds, l.PayerKind) {
			continue
		}
		s.rule = r
		if !r.match(s) {
			continue
		}
		deciding = r
		d.Category = s.base.Category
		if r.category != "" {
			d.Category = r.category
		}
		d.Action = r.action
		if d.Action == claimFix {
			d.Action = ClaimFix(p)
		}
		d.Rule = r.id
		d.Rationale = s.expand(r.rationale)
		d.Matched = append(d.Matched, d.match())
	}
	if note := s.ncdNote(d); note != "" {
		d.Rationale += " " + note
		d.Matched[len(d.Matched)-1].Rationale = d.Rationale
	}
	if deciding != nil {
		return slices.Clone(deciding.deadlines)
	}
	return nil
}

// subject is a denied line as the pack reads it, with the facts worked out once.
type subject struct {
	line   Line
	policy Policy
	base   Decision // what the base CARC/RARC rules decided
	rule   *packRule
	code   string   // the procedure code, trimmed and upper case
	mods   []string // the modifiers, trimmed and upper case
	others []string // the other procedures billed that day, likewise
	ncd    ncdHit
	reason string // the base rules' reason sentence, once a rationale needs it
}

// ncdHit is the first diagnosis of the line that falls under NCD 270.6.
type ncdHit struct {
	found    bool
	code     string // as billed
	family   NCDFamily
	position int  // 1 is primary
	primary  bool // position 1
}

func newSubject(l Line, p Policy, base Decision) *subject {
	s := &subject{line: l, policy: p, base: base, code: normalCode(l.ProcedureCode)}
	for _, m := range l.Modifiers {
		s.mods = append(s.mods, normalCode(m))
	}
	for _, c := range l.OtherProcedures {
		if c := normalCode(c); c != s.code {
			s.others = append(s.others, c)
		}
	}
	// Any position may hold the excluded diagnosis; the primary one decides between the
	// exclusion itself and a pointer to check, so the first hit in pointer order is kept.
	for i, dx := range l.DiagnosisCodes {
		if f, ok := NCD2706Family(dx); ok {
			s.ncd = ncdHit{found: true, code: strings.TrimSpace(dx), family: f, position: i + 1, primary: i == 0}
			break
		}
	}
	return s
}

func normalCode(c string) string { return strings.ToUpper(strings.TrimSpace(c)) }

// isTherapyCode reports whether a code is an outpatient therapy service that Medicare
// wants a therapy modifier on: the physical medicine 97xxx range, less adaptive behaviour
// services (97151-97158) and medical nutrition therapy (97802-97804), which are not
// furnished under a therapy plan of care.
func isTherapyCode(code string) bool {
	n, err := strconv.Atoi(code)
	if err != nil || len(code) != 5 || n < 97000 || n > 97999 {
		return false
	}
	return (n < 97151 || n > 97158) && (n < 97802 || n > 97804)
}

func (s *subject) hasAnyModifier(mods ...string) bool {
	for _, m := range mods {
		if slices.Contains(s.mods, m) {
			return true
		}
	}
	return false
}

func (s *subject) hasRemark(code string) bool {
	return slices.ContainsFunc(s.line.Remarks, func(r string) bool { return normalCode(r) == code })
}

// reasonCARC is the CARC of the adjustment read as the denial reason.
func (s *subject) reasonCARC() string { return normalCode(s.base.Reason.Reason) }

// carcDecisive reports whether the reason's CARC states the payer's decision itself, so
// that a remark only explains it (the base rules read remarks the same way).
func (s *subject) carcDecisive() bool {
	c, ok := CARC(s.reasonCARC())
	return ok && slices.Contains(decisive, c.Category)
}

// reasonIn reports whether the payer's reason triggers rule r: its CARC is one of the
// rule's, or one of its remarks is while the CARC is not decisive.
func (s *subject) reasonIn(r *packRule) bool {
	_, ok := s.trigger(r)
	return ok
}

// trigger names the code that triggered r, e.g. "CARC 4" or "RARC N822".
func (s *subject) trigger(r *packRule) (string, bool) {
	if slices.Contains(r.carcs, s.reasonCARC()) {
		return "CARC " + s.reasonCARC(), true
	}
	if s.carcDecisive() {
		return "", false
	}
	for _, rem := range s.line.Remarks {
		if rem := normalCode(rem); slices.Contains(r.rarcs, rem) {
			return "RARC " + rem, true
		}
	}
	return "", false
}

// vagueReason reports whether the payer's reason names no defect: an unspecified denial
// (A1, 133, an unknown CARC), or a documentation denial (CARC 16) with no remark saying
// what is missing. A defect the rules find on the line themselves (no GP, too many units)
// then explains it; a reason that names another defect is left to its own rule, since the
// payer has said what is wrong.
func (s *subject) vagueReason() bool {
	switch s.base.Category {
	case Other:
		return true
	case Documentation:
		return !slices.ContainsFunc(s.line.Remarks, func(r string) bool {
			c, ok := RARC(normalCode(r))
			return ok && c.Category != ""
		})
	}
	return false
}

// coverageReason reports whether the payer's reason is one a coverage exclusion explains:
// a non-coverage, medical necessity, experimental or unspecified denial, or CARC 11
// (diagnosis inconsistent with the procedure). A clerical reason (CO-4, say) is not: the
// payer has made no coverage decision yet, and the patient can only be billed under an
// ABN once it has, so the clerical fix comes first (see ncdNote).
func (s *subject) coverageReason() bool {
	return slices.Contains(coverageReasons, s.base.Category) || s.reasonCARC() == "11"
}

// pair finds an NCCI edit with the given modifier indicator that denies this line: the
// line's code is its column 2 code and the column 1 code was billed the same day. An edit
// where the line is column 1 makes the line the payable one, so it does not explain the
// denial.
func (s *subject) pair(indicator int) (PairEdit, bool) {
	for _, e := range s.line.Edits {
		if e.ModifierIndicator == indicator && normalCode(e.Column2) == s.code && slices.Contains(s.others, normalCode(e.Column1)) {
			return e, true
		}
	}
	return PairEdit{}, false
}

// ncdNote warns, on a Medicare 97026 line with an NCD 270.6 diagnosis that another rule
// decided, that fixing the claim will only earn the coverage denial: the specialist can
// then weigh the fix against the write-off.
func (s *subject) ncdNote(d *Decision) string {
	if s.line.PayerKind != Medicare || s.code != Code97026 || !s.ncd.found || strings.HasPrefix(d.Rule, "97026.ncd_270_6") {
		return ""
	}
	if !slices.Contains([]Action{Reopening, CorrectedClaim, NewClaim, Appeal}, d.Action) {
		return ""
	}
	return fmt.Sprintf("Note: diagnosis %s (%s) falls under NCD 270.6; once this is fixed, expect a non-coverage denial, billable to the patient only with GA on the line.",
		s.ncd.code, s.ncd.family.Family)
}

// expand fills a template's {placeholders} with the subject's facts; an unknown
// placeholder stays as it is, where tests find it.
func (s *subject) expand(tmpl string) string {
	return expand(tmpl, s.fact)
}

// fact is the text of one fact a rationale may name.
func (s *subject) fact(name string) (string, bool) {
	l := s.line
	switch name {
	case "reason":
		if s.reason == "" {
			s.reason = reasonSentence(l, s.base)
		}
		return s.reason, true
	case "trigger":
		t, _ := s.trigger(s.rule)
		return t, true
	case "procedure":
		return s.code, true
	case "group":
		return string(s.base.Reason.Group), true
	case "payer":
		return payerLabel(l.PayerKind), true
	case "modifiers":
		if len(s.mods) == 0 {
			return "no modifiers", true
		}
		return "modifiers " + strings.Join(s.mods, ", "), true
	case "units":
		return strconv.Itoa(l.Units), true
	case "mue":
		return strconv.Itoa(l.MUE), true
	case "diagnoses":
		return listOr(l.DiagnosisCodes, "none recorded"), true
	case "diagnosis":
		return s.ncd.code, true
	case "primary":
		if len(l.DiagnosisCodes) == 0 {
			return "", true
		}
		return strings.TrimSpace(l.DiagnosisCodes[0]), true
	case "ncd_family":
		return s.ncd.family.Family, true
	case "ncd_position":
		return strconv.Itoa(s.ncd.position), true
	case "abn":
		return s.abn(), true
	case "abn_outcome":
		if s.hasAnyModifier("GA") {
			return "bill the patient (GA shows an ABN on file)", true
		}
		return "write off (" + s.abn() + ")", true
	case "taxonomy":
		return strings.TrimSpace(l.ProviderTaxonomy), true
	case "fix":
		if ClaimFix(s.policy) == Reopening {
			return "request a reopening (the payer takes no corrected claims)", true
		}
		return "send a corrected claim", true
	case "neighbours":
		codes := make([]string, 0, len(modalities))
		for _, m := range Neighbours() {
			codes = append(codes, m.Code)
		}
		return strings.Join(codes, ", "), true
	case "bypass_modifiers":
		return strings.Join(BypassModifiers, ", "), true
	case "bypass_pair":
		e, _ := s.pair(NCCIBypass)
		return describePair(e), true
	case "locked_pair":
		e, _ := s.pair(NCCINoBypass)
		return describePair(e), true
	case "bundling":
		return s.bundlingFacts(), true
	}
	return "", false
}

// abn says what the line shows of an Advance Beneficiary Notice when there is no GA.
func (s *subject) abn() string {
	what := "no GA modifier shows an ABN on file"
	if s.hasAnyModifier("GZ") {
		what = "GZ on the line says no ABN was given"
	}
	if s.base.Reason.Group == GroupPatient {
		// Without an ABN on file the patient cannot be shown to have been told: the
		// conservative reading never bills them, whatever group the payer used.
		what += " (though the remittance puts it on the patient)"
	}
	return what
}

// bundlingFacts says what the NCCI data shows when no edit explains a bundling denial.
func (s *subject) bundlingFacts() string {
	if e, ok := s.pair(NCCIBypass); ok {
		return fmt.Sprintf("the NCCI edit %s allows a bypass, but the line already carries %s: check why the payer did not accept it",
			describePair(e), strings.Join(slices.DeleteFunc(slices.Clone(s.mods), func(m string) bool { return !slices.Contains(BypassModifiers, m) }), ", "))
	}
	for _, e := range s.line.Edits {
		switch {
		case normalCode(e.Column1) == s.code && slices.Contains(s.others, normalCode(e.Column2)):
			return fmt.Sprintf("the NCCI edit %s makes %s the payable column 1 code: the payer may have denied the wrong line", describePair(e), s.code)
		case e.ModifierIndicator == NCCINotApplied && normalCode(e.Column2) == s.code:
			return fmt.Sprintf("the NCCI edit %s does not apply (indicator 9)", describePair(e))
		}
	}
	if len(s.others) == 0 {
		return "no other procedure is recorded on the claim for that day"
	}
	return fmt.Sprintf("no NCCI edit on file pairs %s with %s", s.code, strings.Join(s.others, ", "))
}

func describePair(e PairEdit) string {
	return fmt.Sprintf("%s/%s (column 1/column 2, modifier indicator %d)", normalCode(e.Column1), normalCode(e.Column2), e.ModifierIndicator)
}

// payerLabel names the payer by its kind, for sentences: the line carries no payer name.
func payerLabel(k PayerKind) string {
	switch k {
	case Medicare:
		return "Medicare"
	case MedicareAdvantage:
		return "the Medicare Advantage plan"
	case Medicaid:
		return "the Medicaid plan"
	case Commercial:
		return "the commercial payer"
	}
	return "the payer"
}

func listOr(items []string, empty string) string {
	if len(items) == 0 {
		return empty
	}
	return strings.Join(items, ", ")
}

// expand fills a template's {name} placeholders from lookup, leaving unknown ones as they
// are.
func expand(tmpl string, lookup func(string) (string, bool)) string {
	var b strings.Builder
	for {
		open := strings.IndexByte(tmpl, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(tmpl[open:], '}')
		if end < 0 {
			break
		}
		name := tmpl[open+1 : open+end]
		b.WriteString(tmpl[:open])
		if v, ok := lookup(name); ok {
			b.WriteString(v)
		} else {
			b.WriteString(tmpl[open : open+end+1])
		}
		tmpl = tmpl[open+end+1:]
	}
	b.WriteString(tmpl)
	return b.String()
}

// placeholders lists the {names} a template uses, in order of first use.
func placeholders(tmpl string) []string {
	var names []string
	for {
		open := strings.IndexByte(tmpl, '{')
		if open < 0 {
			return names
		}
		end := strings.IndexByte(tmpl[open:], '}')
		if end < 0 {
			return names
		}
		if name := tmpl[open+1 : open+end]; !slices.Contains(names, name) {
			names = append(names, name)
		}
		tmpl = tmpl[open+end+1:]
	}
}
