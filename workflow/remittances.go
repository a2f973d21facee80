package workflow

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/reclaimhq/reclaim/db/dbsqlc"
	"github.com/reclaimhq/reclaim/workflow/errs"
	"github.com/reclaimhq/reclaim/workflow/rules"
	"github.com/reclaimhq/reclaim/x12"
)

// MaxRemittanceBytes bounds a remittance file posted through the API.
const MaxRemittanceBytes = 64 << 20

// What a remittance line became.
const (
	LineDenied    = "denied"    // a new denial
	LineDuplicate = "duplicate" // a denial or payment Reclaim already had
	LineRecovered = "recovered" // a payment recorded on an open denial
	LineReversed  = "reversed"  // the reversal of a payment recorded before
	LineUnmatched = "unmatched" // nothing Reclaim could match: for a person to look at
)

// importChunk is how many denied lines go to the database per statement when a large
// remittance is imported.
const importChunk = 5000

// ImportProgress reports how far an import is.
type ImportProgress struct {
	Stage string // parsed, denials, stored
	Done  int
	Total int
}

// ImportOptions are the optional parts of an import.
type ImportOptions struct {
	Filename string
	// Progress, when set, hears how far a large import is.
	Progress func(ImportProgress)
}

// ImportResult is what became of an imported file.
type ImportResult struct {
	Outcome    string      `json:"outcome" enum:"created,duplicate" doc:"duplicate when the same file was imported before: nothing changed."`
	Remittance *Remittance `json:"remittance"`
}

// ImportRemittance reads an X12 835 file and, in one transaction, stores it raw with what
// each claim and line in it became: denied lines become denials through the same path as
// posted ones, payments for claim lines with an open denial are recorded as recoveries on
// them, reversals take back the payments they reverse, and every other line is listed as
// unmatched. The same content again changes nothing. A file that is not a readable 835 is
// refused whole, naming the segment and element at fault.
func (s *Service) ImportRemittance(ctx context.Context, actor Actor, content []byte, opt ImportOptions) (*ImportResult, error) {
	if len(content) == 0 {
		return nil, errs.Invalidf([]errs.Detail{{Location: "body", Message: "is empty: an X12 835 file is expected"}}, "the remittance is empty")
	}
	sum := sha256.Sum256(content)
	if id, err := s.queries.RemittanceBySHA256(ctx, sum[:]); err == nil {
		return s.imported(ctx, id, OutcomeDuplicate)
	} else if !errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("error looking up remittance: %w", err)
	}

	text, replaced := asText(content)
	rems, warnings, err := x12.Parse(text)
	if err != nil {
		return nil, notAnX12(err)
	}
	if replaced > 0 {
		warnings = append([]x12.Warning{{Message: fmt.Sprintf(
			"%d bytes are not UTF-8 text (a legacy encoding, or NUL); they are read as '?' (the file is kept as received)", replaced)}}, warnings...)
	}
	opt.Filename = cut(strings.ReplaceAll(strings.ToValidUTF8(opt.Filename, "?"), "\x00", ""), 200)
	if len(rems) == 0 {
		return nil, errs.Invalidf([]errs.Detail{{Location: "body", Message: "holds no 835 transaction set (ST*835)"}}, "the file holds no remittance")
	}
	today := s.today()

	var id int64
	duplicate := false
	err = s.inTxRetrying(ctx, func(tx pgx.Tx, q *dbsqlc.Queries) error {
		duplicate = false
		plan := planImport(rems, today) // afresh on every attempt: importing marks it up
		progress(opt, "parsed", len(plan.lines), len(plan.lines))
		row, err := q.InsertRemittance(ctx, dbsqlc.InsertRemittanceParams{
			Sha256: sum[:], Content: content, Filename: nilIfEmpty(opt.Filename), Actor: actor.Name,
			ActorUserID: actor.userID(), Transactions: plan.transactionsJSON(), Warnings: warningsJSON(warnings),
			Claims: int32(len(plan.claims)), Lines: int32(len(plan.lines)),
		})
		if errors.Is(err, pgx.ErrNoRows) { // the same file, imported a moment ago
			duplicate = true
			id, err = q.RemittanceBySHA256(ctx, sum[:])
			return err
		}
		if err != nil {
			return fmt.Errorf("error storing remittance: %w", err)
		}
		id = row.ID
		for _, payer := range plan.payers() {
			if err := q.LockPayerRemittances(ctx, payer); err != nil {
				return fmt.Errorf("error locking payer %s: %w", payer, err)
			}
		}
		return s.importPlan(ctx, tx, q, actor, id, plan, opt)
	})
	if err != nil {
		return nil, err
	}
	if duplicate {
		return s.imported(ctx, id, OutcomeDuplicate)
	}
	return s.imported(ctx, id, OutcomeCreated)
}

// imported answers an import with the remittance as stored.
func (s *Service) imported(ctx context.Context, id int64, outcome string) (*ImportResult, error) {
	r, err := s.Remittance(ctx, id, RemittancePage{})
	if err != nil {
		return nil, err
	}
	return &ImportResult{Outcome: outcome, Remittance: r}, nil
}

// asText is content as UTF-8 text without NUL, which is what Postgres stores as text: every
// byte that is neither becomes '?', one for one, so segment positions stay as they were.
// It returns content itself when it is text already, and how many bytes it replaced.
func asText(content []byte) ([]byte, int) {
	if utf8.Valid(content) && !slices.Contains(content, 0) {
		return content, 0
	}
	out := make([]byte, 0, len(content))
	replaced := 0
	for i := 0; i < len(content); {
		r, size := utf8.DecodeRune(content[i:])
		if (r == utf8.RuneError && size == 1) || r == 0 {
			out = append(out, '?')
			replaced++
			i++
			continue
		}
		out = append(out, content[i:i+size]...)
		i += size
	}
	return out, replaced
}

// notAnX12 turns a parse error into the client's error, naming the segment and element.
func notAnX12(err error) error {
	var syn *x12.SyntaxError
	if errors.As(err, &syn) {
		loc := "body"
		if syn.Segment > 0 {
			loc = fmt.Sprintf("body.segment[%d]", syn.Segment)
			if syn.ID != "" {
				loc += "." + syn.ID
			}
			if syn.Element > 0 {
				loc += fmt.Sprintf("%02d", syn.Element)
			}
		}
		return errs.Invalidf([]errs.Detail{{Location: loc, Message: syn.Error()}}, "the file is not a readable X12 835: %s; nothing was stored", syn.Error())
	}
	return errs.Invalidf([]errs.Detail{{Location: "body", Message: err.Error()}}, "the file is not a readable X12 835: %v; nothing was stored", err)
}

func progress(opt ImportOptions, stage string, done, total int) {
	if opt.Progress != nil {
		opt.Progress(ImportProgress{Stage: stage, Done: done, Total: total})
	}
}

// The kinds of remittance line.
type lineKind int

const (
	kindNone     lineKind = iota // nothing to do but list it
	kindDenial                   // denied: becomes a denial
	kindPayment                  // paid: may recover an open denial
	kindReversal                 // takes a payment back
)

// importPlan is a parsed file laid out for storing: every claim and line in file order.
type importPlan struct {
	rems   []*x12.Remittance
	claims []*plannedClaim
	lines  []*plannedLine
}

type plannedClaim struct {
	pos      int32
	rem      *x12.Remittance
	claim    *x12.Claim
	payerExt string
	remit    time.Time
}

type plannedLine struct {
	claim        *plannedClaim
	pos          int32
	code         string
	modifiers    []string
	date         time.Time
	control      string
	charge, paid int64
	adjustments  []AdjustmentInput // as the line says, netted by group and reason
	remarks      []string
	kind         lineKind
	denial       DenialInput // for kindDenial
	sourceKey    string      // for payments and reversals
	outcome      string
	detail       string
	denialID     int64
}

func (l *plannedLine) unmatched(format string, args ...any) {
	l.kind, l.outcome, l.detail = kindNone, LineUnmatched, fmt.Sprintf(format, args...)
}

// describe names the line for a person: claim, procedure, date.
func (l *plannedLine) describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "claim %s", l.claim.claim.PatientControlNumber)
	if l.code != "" {
		fmt.Fprintf(&b, " %s", l.code)
	}
	if !l.date.IsZero() {
		fmt.Fprintf(&b, " on %s", l.date.Format(rules.DateLayout))
	}
	return b.String()
}

// planImport decides what each line of the parsed file is, before anything is stored.
func planImport(rems []*x12.Remittance, today time.Time) *importPlan {
	p := &importPlan{rems: rems}
	used := map[string]bool{}
	for _, rem := range rems {
		payerExt := payerExternalID(rem)
		remit := rem.Date().Time()
		for ci := range rem.Claims {
			c := &rem.Claims[ci]
			pc := &plannedClaim{pos: int32(len(p.claims)), rem: rem, claim: c, payerExt: payerExt, remit: remit}
			p.claims = append(p.claims, pc)
			if len(c.Lines) == 0 {
				p.lines = append(p.lines, planClaimOnly(pc))
				continue
			}
			codes := codesByDate(c)
			for li := range c.Lines {
				l := planLine(pc, li, codes, today)
				if l.sourceKey != "" { // one key per payment even if a file repeats a line reference
					key := l.sourceKey
					for n := 2; used[key]; n++ {
						key = fmt.Sprintf("%s#%d", l.sourceKey, n)
					}
					l.sourceKey, used[key] = key, true
				}
				p.lines = append(p.lines, l)
			}
		}
	}
	return p
}

// planClaimOnly lists a claim that came with no service lines: there is no procedure to
// make a denial of or to match a payment on.
func planClaimOnly(pc *plannedClaim) *plannedLine {
	c := pc.claim
	l := &plannedLine{claim: pc, charge: c.ChargeCents, paid: c.PaidCents, date: c.StatementFrom.Time(),
		adjustments: netAdjustments(c.Adjustments), remarks: c.Remarks()}
	switch {
	case rules.Denies(ruleAdjustments(l.adjustments)):
		l.unmatched("a claim-level denial with no service lines: the remittance names no procedure, so post the claim's lines through POST /v1/denials")
	case c.PaidCents != 0:
		l.unmatched("a claim paid %s with no service lines: no procedure to match a denial on", rules.FormatCents(c.PaidCents))
	default:
		l.unmatched("a claim with no service lines, no payment and no denial")
	}
	return l
}

// codesByDate lists the procedure codes of a claim's lines by date of service, for the
// bundling edits of each denied line.
func codesByDate(c *x12.Claim) map[time.Time][]string {
	out := map[time.Time][]string{}
	for i := range c.Lines {
		d, code := c.LineDate(i).Time(), c.Lines[i].Procedure.Code
		if procedurePattern.MatchString(code) && !slices.Contains(out[d], code) && len(out[d]) <= 50 {
			out[d] = append(out[d], code)
		}
	}
	return out
}

func planLine(pc *plannedClaim, i int, codes map[time.Time][]string, today time.Time) *plannedLine {
	c, sl := pc.claim, &pc.claim.Lines[i]
	proc := sl.Procedure
	if sl.OriginalProcedure != nil && sl.OriginalProcedure.Code != "" {
		proc = *sl.OriginalProcedure // what was billed, when the payer changed it
	}
	l := &plannedLine{
		claim: pc, pos: int32(i), code: proc.Code, modifiers: proc.Modifiers, date: c.LineDate(i).Time(),
		control: sl.ControlNumber(), charge: sl.ChargeCents, paid: sl.PaidCents,
		adjustments: netAdjustments(sl.Adjustments), remarks: mergeRemarks(sl.Remarks, c.Remarks()),
	}
	lineRef := l.control
	if lineRef == "" {
		lineRef = fmt.Sprintf("L%d", i+1)
	}
	claimRef := c.PayerClaimNumber
	if claimRef == "" {
		claimRef = "PCN-" + c.PatientControlNumber
	}
	// A payment is known by its payer, its check or EFT trace (or, without a TRN, its
	// transaction's control number, date and total), its claim and status, and its line.
	trace := pc.rem.Trace.Number
	if trace == "" {
		trace = fmt.Sprintf("ST%s@%s$%d", pc.rem.ControlNumber, dateText(pc.remit), pc.rem.Payment.TotalCents)
	}
	paymentKey := strings.Join([]string{"835", pc.payerExt, trace, c.PatientControlNumber, c.PayerClaimNumber, c.Status, lineRef}, ":")

	switch {
	case pc.remit.IsZero():
		l.unmatched("the remittance has no readable payment or production date")
	case !inRange(l):
		l.unmatched("an amount beyond %s: not a service line Reclaim can take", rules.FormatCents(maxCents))
	case c.IsReversal():
		if l.paid >= 0 {
			l.unmatched("a reversal that takes back no payment")
			return l
		}
		l.kind, l.sourceKey = kindReversal, paymentKey
	case c.Status == x12.StatusNotOurClaim:
		l.unmatched("the payer says this is not its claim (status 23) and forwarded it")
	case c.Status == x12.StatusPredetermination:
		l.unmatched("a predetermination (status 25): nothing was paid or denied")
	case rules.Denies(ruleAdjustments(l.adjustments)):
		l.kind = kindDenial
		// The procedure and date are part of the id: a payer that numbers lines by position
		// can put another service at the same place on a later remittance.
		l.denial = denialFrom(pc, l, i, codes[l.date], strings.Join([]string{claimRef, lineRef, l.code, l.date.Format("20060102")}, ":"))
		if bad := l.denial.Validate(today); len(bad) > 0 {
			l.unmatched("a denied line Reclaim cannot store: %s", detailsText(bad))
		}
	case l.paid > 0:
		l.kind, l.sourceKey = kindPayment, paymentKey
	default:
		l.unmatched("nothing paid and nothing denied (cost sharing or contractual adjustments only)")
	}
	if (l.kind == kindPayment || l.kind == kindReversal) && (l.code == "" || l.date.IsZero()) {
		l.unmatched("a payment line with no procedure or date of service to match a denial on")
	}
	return l
}

// denialFrom makes the denied line's input for ingest, as a billing system would post it.
// What the 835 does not carry (diagnoses, the provider's taxonomy) stays empty; what is
// malformed and optional is left out rather than refusing the line.
func denialFrom(pc *plannedClaim, l *plannedLine, i int, sameDay []string, lineKey string) DenialInput {
	c, rem := pc.claim, pc.rem
	units := 1
	if u, ok := c.Lines[i].WholeUnits(); ok && u > 0 {
		units = u
	}
	if c.Lines[i].OriginalUnits != "" {
		if u, ok := wholeUnitsOf(c.Lines[i].OriginalUnits); ok && u > 0 {
			units = u
		}
	}
	var others []string
	for _, code := range sameDay {
		if code != l.code && len(others) < 50 {
			others = append(others, code)
		}
	}
	npi := c.RenderingProvider.NPI()
	if npi == "" {
		npi = rem.Payee.NPI()
	}
	if !ValidNPI(npi) {
		npi = ""
	}
	name := rem.Payer.Name
	if name == "" {
		name = pc.payerExt
	}
	var adjs []AdjustmentInput
	for _, a := range l.adjustments {
		if a.AmountCents > 0 && rules.Group(a.Group).Valid() {
			adjs = append(adjs, a)
		}
	}
	in := DenialInput{
		SourceID:            "835:" + pc.payerExt + ":" + lineKey,
		Claim:               ClaimInput{ID: c.PatientControlNumber, PayerClaimNumber: c.PayerClaimNumber},
		Payer:               PayerInput{ID: pc.payerExt, Name: cut(name, 200), Kind: string(payerKind(c.FilingIndicator))},
		Provider:            ProviderInput{NPI: npi},
		ServiceDate:         dateText(l.date),
		ProcedureCode:       l.code,
		Modifiers:           keep(l.modifiers, modifierPattern.MatchString, 4),
		Units:               units,
		BilledCents:         max(l.charge, 0),
		PaidCents:           max(l.paid, 0),
		Adjustments:         adjs,
		Remarks:             keep(l.remarks, remarkPattern.MatchString, 20),
		RemitDate:           dateText(pc.remit),
		OtherProcedureCodes: others,
	}
	if c.Patient.ID != "" && len(c.Patient.ID) <= 80 {
		in.Patient.MemberID = c.Patient.ID
	}
	return in
}

// inRange reports whether the line's amounts are within what Reclaim stores.
func inRange(l *plannedLine) bool {
	ok := func(c int64) bool { return c >= -maxCents && c <= maxCents }
	if !ok(l.charge) || !ok(l.paid) {
		return false
	}
	for _, a := range l.adjustments {
		if !ok(a.AmountCents) {
			return false
		}
	}
	return true
}

func detailsText(ds []errs.Detail) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = d.Location + " " + d.Message
	}
	return strings.Join(parts, "; ")
}

func wholeUnitsOf(s string) (int, bool) {
	sl := x12.ServiceLine{Units: s}
	return sl.WholeUnits()
}

func keep(in []string, ok func(string) bool, n int) []string {
	var out []string
	for _, v := range in {
		if ok(v) && !slices.Contains(out, v) && len(out) < n {
			out = append(out, v)
		}
	}
	return out
}

// cut shortens s to at most n bytes without splitting a character.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func dateText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(rules.DateLayout)
}

func mergeRemarks(line, claim []string) []string {
	out := slices.Clone(line)
	for _, r := range claim {
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// netAdjustments sums a line's adjustments by group and reason, in the order they first
// appear: a payer that adjusts and re-adjusts the same reason means the net.
func netAdjustments(adjs []x12.Adjustment) []AdjustmentInput {
	var out []AdjustmentInput
	for _, a := range adjs {
		i := slices.IndexFunc(out, func(o AdjustmentInput) bool { return o.Group == a.Group && o.Reason == a.Reason })
		if i < 0 {
			out = append(out, AdjustmentInput{Group: a.Group, Reason: a.Reason, AmountCents: a.AmountCents})
			continue
		}
		out[i].AmountCents += a.AmountCents
	}
	return out
}

func ruleAdjustments(adjs []AdjustmentInput) []rules.Adjustment {
	out := make([]rules.Adjustment, 0, len(adjs))
	for _, a := range adjs {
		out = append(out, rules.Adjustment{Group: rules.Group(a.Group), Reason: a.Reason, AmountCents: a.AmountCents})
	}
	return out
}

// payerExternalID is how Reclaim knows a remittance's payer: its payer identification
// (REF*2U), else the id in N1*PR, else the payer's tax id in TRN03, else its name.
func payerExternalID(rem *x12.Remittance) string {
	for _, id := range []string{rem.Payer.Ref("2U"), rem.Payer.ID, rem.Trace.OriginatorID, rem.Payer.Name} {
		if id = strings.TrimSpace(id); id != "" {
			return cut(id, 80)
		}
	}
	return "unknown-payer"
}

// payerKind reads the claim filing indicator (CLP06) as the kind of a payer new to Reclaim.
func payerKind(filing string) rules.PayerKind {
	switch filing {
	case "MA", "MB":
		return rules.Medicare
	case "16":
		return rules.MedicareAdvantage
	case "MC":
		return rules.Medicaid
	case "12", "13", "14", "15", "17", "BL", "CI", "HM", "LM", "DS", "AM":
		return rules.Commercial
	}
	return rules.OtherPayer
}

// importPlan stores the plan's denials, matches its payments and reversals, and records
// every claim and line with what it became.
func (s *Service) importPlan(ctx context.Context, tx pgx.Tx, q *dbsqlc.Queries, actor Actor, id int64, plan *importPlan, opt ImportOptions) error {
	known, err := payerIDs(ctx, q, plan)
	if err != nil {
		return err
	}
	if err := knownDenials(ctx, q, plan, known); err != nil {
		return err
	}
	if err := s.importDenials(ctx, tx, q, actor, plan, opt); err != nil {
		return err
	}
	payers, err := payerIDs(ctx, q, plan) // with those the new denials brought
	if err != nil {
		return err
	}
	recs, err := s.matchPayments(ctx, q, id, plan, payers)
	if err != nil {
		return err
	}
	if err := storeRemittanceLines(ctx, q, id, plan, payers); err != nil {
		return err
	}
	progress(opt, "stored", len(plan.lines), len(plan.lines))
	if _, err := s.recordRecoveries(ctx, q, actor, recs); err != nil {
		return err
	}
	counts := map[string]int{}
	for _, l := range plan.lines {
		counts[l.outcome]++
	}
	return insertEvents(ctx, q, []dbsqlc.InsertEventsParams{newEvent(actor, 0, 0, "remittance.imported", map[string]any{
		"remittance_id": id, "claims": len(plan.claims), "lines": len(plan.lines), "outcomes": counts,
	})})
}

// knownDenials finds the denied lines Reclaim already has under another source id: the
// billing system posted the same denial as JSON (same payer, claim, procedure, date of
// service and remittance date). They are duplicates, not second denials of one line.
func knownDenials(ctx context.Context, q *dbsqlc.Queries, plan *importPlan, payers map[string]int64) error {
	var arg dbsqlc.DenialsOfClaimLinesParams
	for i, l := range plan.lines {
		payerID, ok := payers[l.claim.payerExt]
		if l.kind != kindDenial || !ok {
			continue
		}
		addClaimLine(&arg, i, payerID, l)
	}
	if len(arg.Keys) == 0 {
		return nil
	}
	rows, err := q.DenialsOfClaimLines(ctx, arg)
	if err != nil {
		return fmt.Errorf("error looking up denials: %w", err)
	}
	byLine := map[int32][]dbsqlc.DenialsOfClaimLinesRow{}
	for _, r := range rows {
		byLine[r.Key] = append(byLine[r.Key], r)
	}
	// Lines and stored denials pair one to one, in file order: two denied lines of one
	// claim, code and day are two denials, never both the one posted.
	taken := map[int64]bool{}
	for _, key := range arg.Keys {
		l, cands := plan.lines[key], byLine[key]
		if slices.ContainsFunc(cands, func(r dbsqlc.DenialsOfClaimLinesRow) bool { return r.SourceID == l.denial.SourceID }) {
			continue // its own denial from an earlier import: ingest says duplicate
		}
		for _, r := range cands {
			if !taken[r.ID] && r.RemitDate.Equal(l.claim.remit) && sameSet(r.Modifiers, l.denial.Modifiers) {
				taken[r.ID] = true
				l.kind, l.outcome, l.denialID = kindNone, LineDuplicate, r.ID
				l.detail = fmt.Sprintf("denial %d (source id %s) is this line from the same remittance", r.ID, r.SourceID)
				break
			}
		}
	}
	return nil
}

// addClaimLine asks DenialsOfClaimLines for the denials of line i: same payer, claim,
// procedure and date of service.
func addClaimLine(arg *dbsqlc.DenialsOfClaimLinesParams, i int, payerID int64, l *plannedLine) {
	arg.Keys = append(arg.Keys, int32(i))
	arg.PayerIds = append(arg.PayerIds, payerID)
	arg.ClaimNumbers = append(arg.ClaimNumbers, l.claim.claim.PatientControlNumber)
	arg.PayerClaimNumbers = append(arg.PayerClaimNumbers, l.claim.claim.PayerClaimNumber)
	arg.ProcedureCodes = append(arg.ProcedureCodes, l.code)
	arg.ServiceDates = append(arg.ServiceDates, l.date)
}

// sameSet reports whether a and b hold the same strings, in any order.
func sameSet(a, b []string) bool {
	return len(a) == len(b) && !slices.ContainsFunc(a, func(s string) bool { return !slices.Contains(b, s) })
}

// importDenials sends the denied lines through ingest, a chunk at a time.
func (s *Service) importDenials(ctx context.Context, tx pgx.Tx, q *dbsqlc.Queries, actor Actor, plan *importPlan, opt ImportOptions) error {
	var denied []*plannedLine
	for _, l := range plan.lines {
		if l.kind == kindDenial {
			denied = append(denied, l)
		}
	}
	for start := 0; start < len(denied); start += importChunk {
		chunk := denied[start:min(start+importChunk, len(denied))]
		items := make([]DenialInput, len(chunk))
		for i, l := range chunk {
			items[i] = l.denial
		}
		results := make([]IngestResult, len(items))
		if err := s.ingest(ctx, tx, q, actor, items, results); err != nil {
			return err
		}
		for i, l := range chunk {
			l.denialID = results[i].ID
			if results[i].Outcome == OutcomeCreated {
				l.outcome, l.detail = LineDenied, "a new denial"
			} else {
				l.outcome, l.detail = LineDuplicate, "a denial Reclaim already had"
			}
		}
		progress(opt, "denials", start+len(chunk), len(denied))
	}
	return nil
}

// payers are the external ids of the file's payers, sorted.
func (p *importPlan) payers() []string {
	var exts []string
	for _, c := range p.claims {
		if !slices.Contains(exts, c.payerExt) {
			exts = append(exts, c.payerExt)
		}
	}
	slices.Sort(exts)
	return exts
}

func payerIDs(ctx context.Context, q *dbsqlc.Queries, plan *importPlan) (map[string]int64, error) {
	rows, err := q.PayersByExternalID(ctx, plan.payers())
	if err != nil {
		return nil, fmt.Errorf("error looking up payers: %w", err)
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.ExternalID] = r.ID
	}
	return out, nil
}

// matchPayments finds, for each payment line, the open denial it pays and, for each
// reversal, the payment it takes back, walking the file in order so that a reversal and
// the re-adjudication after it apply one after the other.
func (s *Service) matchPayments(ctx context.Context, q *dbsqlc.Queries, remittanceID int64, plan *importPlan, payers map[string]int64) ([]recovery, error) {
	var arg dbsqlc.DenialsOfClaimLinesParams
	var keys []string
	for i, l := range plan.lines {
		if l.kind != kindPayment && l.kind != kindReversal {
			continue
		}
		payerID, ok := payers[l.claim.payerExt]
		if !ok {
			l.unmatched("paid %s; Reclaim has no denial from this payer", rules.FormatCents(l.paid))
			continue
		}
		keys = append(keys, l.sourceKey)
		addClaimLine(&arg, i, payerID, l)
	}
	if len(keys) == 0 {
		return nil, nil
	}

	seen, err := q.RecoveriesBySourceKey(ctx, keys)
	if err != nil {
		return nil, fmt.Errorf("error looking up payments: %w", err)
	}
	recorded := make(map[string]dbsqlc.RecoveriesBySourceKeyRow, len(seen))
	for _, r := range seen {
		recorded[deref(r.SourceKey)] = r
	}
	candidates, money, err := s.claimLineDenials(ctx, q, plan, arg)
	if err != nil {
		return nil, err
	}
	payments, err := reversiblePayments(ctx, q, money)
	if err != nil {
		return nil, err
	}

	var recs []recovery
	reversed := map[int64]bool{}
	for i, l := range plan.lines {
		if l.kind != kindPayment && l.kind != kindReversal {
			continue
		}
		if r, ok := recorded[l.sourceKey]; ok {
			l.kind, l.outcome, l.denialID = kindNone, LineDuplicate, r.DenialID
			l.detail = fmt.Sprintf("a payment recorded before, from remittance %d", deref(r.RemittanceID))
			continue
		}
		rec := recovery{
			paidOn: l.claim.remit, source: RecoverySourceRemittance, sourceKey: l.sourceKey,
			remittanceID: remittanceID, claimPos: l.claim.pos, linePos: l.pos,
			reference:          cut(l.claim.rem.Trace.Number, 200),
			remittanceLineNote: l.describe(),
		}
		if l.kind == kindPayment {
			j := slices.IndexFunc(candidates[int32(i)], func(id int64) bool {
				return slices.Contains(awaitingPayment, money[id].status)
			})
			if j < 0 {
				l.unmatched("paid %s; no open denial for %s", rules.FormatCents(l.paid), l.describe())
				continue
			}
			rec.denialID, rec.cents = candidates[int32(i)][j], l.paid
			money[rec.denialID].apply(rec.cents, nil)
			l.outcome, l.denialID = LineRecovered, rec.denialID
			l.detail = fmt.Sprintf("%s recovered on denial %d", rules.FormatCents(l.paid), rec.denialID)
		} else {
			// A reversal takes back a whole payment: the latest one of exactly its amount.
			var undo *dbsqlc.Recovery
			for _, id := range candidates[int32(i)] {
				for _, p := range payments[id] {
					if undo == nil && !reversed[p.ID] && p.AmountCents == -l.paid {
						undo = &p
					}
				}
			}
			if undo == nil {
				l.unmatched("takes back %s that Reclaim never recorded as a recovery (%s)", rules.FormatCents(-l.paid), l.describe())
				continue
			}
			reversed[undo.ID] = true
			rec.denialID, rec.reverses = undo.DenialID, undo
			money[rec.denialID].apply(0, undo)
			l.outcome, l.denialID = LineReversed, rec.denialID
			l.detail = fmt.Sprintf("takes back the %s recovered on denial %d", rules.FormatCents(undo.AmountCents), rec.denialID)
		}
		recs = append(recs, rec)
	}
	return recs, nil
}

// claimLineDenials finds the denials of the lines a file pays or reverses, newest first
// per line, and locks them all at once in id order with their money. A payment pays a
// denial of an earlier remittance only (dated before the payment): never one this file
// made or recognized, nor one denied after it. It can arrive before that denial is triaged (it came minutes ago, or no worker
// ran since): such denials are triaged here, in the import's transaction, so the payment
// finds them with their decision and clocks rather than going unmatched.
func (s *Service) claimLineDenials(ctx context.Context, q *dbsqlc.Queries, plan *importPlan, arg dbsqlc.DenialsOfClaimLinesParams) (map[int32][]int64, map[int64]*denialMoney, error) {
	rows, err := q.DenialsOfClaimLines(ctx, arg)
	if err != nil {
		return nil, nil, fmt.Errorf("error matching payments: %w", err)
	}
	candidates := map[int32][]int64{}
	var ids, untriaged []int64
	for _, r := range rows {
		l := plan.lines[r.Key]
		if l.kind == kindPayment && !r.RemitDate.Before(l.claim.remit) {
			continue // not a later payment: the denial is of this remittance, or after it
		}
		candidates[r.Key] = append(candidates[r.Key], r.ID)
		ids = append(ids, r.ID)
		if r.Status == StatusNew && l.kind == kindPayment {
			untriaged = append(untriaged, r.ID)
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	lock := func() (map[int64]*denialMoney, error) {
		locked, err := q.LockRecoverable(ctx, ids)
		if err != nil {
			return nil, fmt.Errorf("error locking denials: %w", err)
		}
		money := make(map[int64]*denialMoney, len(locked))
		for _, d := range locked {
			money[d.ID] = &denialMoney{status: d.Status, denied: d.DeniedCents, recovered: d.RecoveredCents}
		}
		return money, nil
	}
	money, err := lock()
	if err != nil || len(untriaged) == 0 {
		return candidates, money, err
	}
	slices.Sort(untriaged)
	if err := s.triage(ctx, q, slices.Compact(untriaged)); err != nil {
		return nil, nil, err
	}
	money, err = lock() // again, for what triage decided
	return candidates, money, err
}

// reversiblePayments are the payments recorded from remittances on these denials and not
// reversed yet, newest first per denial.
func reversiblePayments(ctx context.Context, q *dbsqlc.Queries, money map[int64]*denialMoney) (map[int64][]dbsqlc.Recovery, error) {
	if len(money) == 0 {
		return nil, nil
	}
	recs, err := q.RecoveriesOfDenials(ctx, slices.Sorted(maps.Keys(money)))
	if err != nil {
		return nil, fmt.Errorf("error reading recoveries: %w", err)
	}
	reversed := map[int64]bool{}
	for _, r := range recs {
		if r.ReversesID != nil {
			reversed[*r.ReversesID] = true
		}
	}
	out := map[int64][]dbsqlc.Recovery{}
	for _, r := range slices.Backward(recs) {
		if r.AmountCents > 0 && r.Source == RecoverySourceRemittance && !reversed[r.ID] {
			out[r.DenialID] = append(out[r.DenialID], r)
		}
	}
	return out, nil
}

func storeRemittanceLines(ctx context.Context, q *dbsqlc.Queries, id int64, plan *importPlan, payers map[string]int64) error {
	claims := make([]dbsqlc.InsertRemittanceClaimsParams, len(plan.claims))
	for i, c := range plan.claims {
		var payerID *int64
		if p, ok := payers[c.payerExt]; ok {
			payerID = &p
		}
		var remit *time.Time
		if !c.remit.IsZero() {
			remit = &c.remit
		}
		claims[i] = dbsqlc.InsertRemittanceClaimsParams{
			RemittanceID: id, Position: c.pos, TransactionControl: c.rem.ControlNumber, PayerID: payerID,
			PayerName: c.rem.Payer.Name, RemitDate: remit, PatientControlNumber: c.claim.PatientControlNumber,
			PayerClaimNumber: c.claim.PayerClaimNumber, Status: c.claim.Status, ChargeCents: c.claim.ChargeCents,
			PaidCents: c.claim.PaidCents, PatientCents: c.claim.PatientResponsibilityCents,
		}
	}
	if _, err := q.InsertRemittanceClaims(ctx, claims); err != nil {
		return fmt.Errorf("error storing remittance claims: %w", err)
	}
	lines := make([]dbsqlc.InsertRemittanceLinesParams, len(plan.lines))
	for i, l := range plan.lines {
		adjs, _ := json.Marshal(nonNilAdjustments(l.adjustments))
		var date *time.Time
		if !l.date.IsZero() {
			date = &l.date
		}
		var denial *int64
		if l.denialID != 0 {
			denial = &l.denialID
		}
		lines[i] = dbsqlc.InsertRemittanceLinesParams{
			RemittanceID: id, ClaimPosition: l.claim.pos, Position: l.pos, ProcedureCode: l.code,
			Modifiers: nonNil(l.modifiers), ServiceDate: date, ControlNumber: l.control, ChargeCents: l.charge,
			PaidCents: l.paid, Adjustments: adjs, Remarks: nonNil(l.remarks), Outcome: l.outcome, Detail: l.detail,
			DenialID: denial,
		}
	}
	if _, err := q.InsertRemittanceLines(ctx, lines); err != nil {
		return fmt.Errorf("error storing remittance lines: %w", err)
	}
	return nil
}

func nonNilAdjustments(a []AdjustmentInput) []AdjustmentInput {
	if a == nil {
		return []AdjustmentInput{}
	}
	return a
}

// Transaction is one 835 transaction set of a remittance file: a payment or notice from
// one payer to one payee.
type Transaction struct {
	ControlNumber  string `json:"control_number" doc:"ST02."`
	PayerID        string `json:"payer_id" doc:"How Reclaim knows the payer: REF*2U, else N1*PR's id, else TRN03."`
	PayerName      string `json:"payer_name"`
	PayeeName      string `json:"payee_name"`
	PayeeNPI       string `json:"payee_npi,omitempty"`
	Handling       string `json:"handling" doc:"BPR01: C payment with remittance, I remittance only, H notification only, …"`
	PaymentCents   int64  `json:"payment_cents" doc:"BPR02, the total paid."`
	PaymentMethod  string `json:"payment_method,omitempty" doc:"BPR04: ACH, CHK, BOP, FWT or NON."`
	PaymentDate    string `json:"payment_date,omitempty" doc:"BPR16, or the production date when there is none."`
	TraceNumber    string `json:"trace_number,omitempty" doc:"TRN02, the check or EFT number."`
	ProductionDate string `json:"production_date,omitempty" doc:"DTM*405."`
	Claims         int    `json:"claims"`
}

func (p *importPlan) transactionsJSON() []byte {
	out := make([]Transaction, len(p.rems))
	for i, r := range p.rems {
		out[i] = Transaction{
			ControlNumber: r.ControlNumber, PayerID: payerExternalID(r), PayerName: r.Payer.Name,
			PayeeName: r.Payee.Name, PayeeNPI: r.Payee.NPI(), Handling: r.Payment.HandlingCode,
			PaymentCents: r.Payment.TotalCents, PaymentMethod: r.Payment.Method, PaymentDate: dateText(r.Date().Time()),
			TraceNumber: r.Trace.Number, ProductionDate: dateText(r.ProductionDate.Time()), Claims: len(r.Claims),
		}
	}
	b, _ := json.Marshal(out)
	return b
}

// Warning is an oddity of a remittance file that was accepted, naming where it is.
type Warning struct {
	Segment int    `json:"segment" doc:"The segment's 1-based ordinal in the file."`
	ID      string `json:"id" doc:"The segment id, e.g. SVC."`
	Element int    `json:"element,omitempty" doc:"The element's 1-based position; absent for the whole segment."`
	Message string `json:"message"`
}

func warningsJSON(ws []x12.Warning) []byte {
	out := make([]Warning, len(ws))
	for i, w := range ws {
		out[i] = Warning{Segment: w.Segment, ID: w.ID, Element: w.Element, Message: w.Message}
	}
	b, _ := json.Marshal(out)
	return b
}
