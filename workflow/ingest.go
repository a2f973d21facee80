package workflow

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/reclaimhq/reclaim/db/dbsqlc"
	"github.com/reclaimhq/reclaim/workflow/errs"
	"github.com/reclaimhq/reclaim/workflow/rules"
)

// MaxBatch is the most lines one ingest call takes.
const MaxBatch = 1000

// DenialInput is one denied service line as a billing system posts it (SPEC §3). The tags
// are the API's schema; Validate checks what a schema cannot.
type DenialInput struct {
	SourceID       string            `json:"source_id" minLength:"1" maxLength:"200" doc:"The billing system's unique id for this denied line; the idempotency key."`
	Claim          ClaimInput        `json:"claim"`
	Payer          PayerInput        `json:"payer"`
	Patient        PatientInput      `json:"patient,omitempty"`
	Provider       ProviderInput     `json:"provider,omitempty"`
	ServiceDate    string            `json:"service_date" format:"date" doc:"Date of service, YYYY-MM-DD."`
	ProcedureCode  string            `json:"procedure_code" pattern:"^[A-Z0-9]{5}$" doc:"CPT or HCPCS code, e.g. 97026."`
	Modifiers      []string          `json:"modifiers,omitempty" maxItems:"4" doc:"Up to four two-character modifiers, e.g. GP, KX, GA, 59."`
	Units          int               `json:"units,omitempty" minimum:"1" maximum:"9999" doc:"Units billed; 1 when absent."`
	DiagnosisCodes []string          `json:"diagnosis_codes,omitempty" maxItems:"12" doc:"ICD-10-CM codes in pointer order; the first is primary."`
	BilledCents    int64             `json:"billed_cents" minimum:"0" maximum:"100000000000" doc:"Charge, in cents."`
	PaidCents      int64             `json:"paid_cents,omitempty" minimum:"0" maximum:"100000000000" doc:"Amount paid, in cents."`
	Adjustments    []AdjustmentInput `json:"adjustments,omitempty" maxItems:"99" doc:"The line's adjustments (CAS)."`
	Remarks        []string          `json:"remarks,omitempty" maxItems:"20" doc:"RARC remark codes."`
	RemitDate      string            `json:"remit_date" format:"date" doc:"Date of the remittance or notice that carried the denial."`
	ReceivedDate   string            `json:"received_date,omitempty" format:"date" doc:"When the provider received the remittance, if known."`
	// OtherProcedureCodes feed the bundling edits: a line denied as bundled is checked
	// against the NCCI pairs it forms with these.
	OtherProcedureCodes []string `json:"other_procedure_codes,omitempty" maxItems:"50" doc:"Other procedures billed on the same claim and date of service, for bundling edits."`
}

// ClaimInput identifies the claim a line belongs to.
type ClaimInput struct {
	ID               string `json:"id" minLength:"1" maxLength:"50" doc:"The billing system's claim id (CLP01, patient control number)."`
	PayerClaimNumber string `json:"payer_claim_number,omitempty" maxLength:"50" doc:"The payer's claim control number (CLP07, ICN)."`
}

// PayerInput names the payer; a payer new to Reclaim is created on first sight.
type PayerInput struct {
	ID   string `json:"id" minLength:"1" maxLength:"80" doc:"The billing system's payer id."`
	Name string `json:"name" minLength:"1" maxLength:"200"`
	Kind string `json:"kind,omitempty" enum:"medicare,medicare_advantage,medicaid,commercial,other" doc:"Required for a new payer; selects its default policy."`
}

// PatientInput holds the little Reclaim keeps of the patient.
type PatientInput struct {
	AccountNumber string `json:"account_number,omitempty" maxLength:"50"`
	MemberID      string `json:"member_id,omitempty" maxLength:"80"`
	Name          string `json:"name,omitempty" maxLength:"200"`
}

// ProviderInput is the rendering provider.
type ProviderInput struct {
	NPI      string `json:"npi,omitempty" pattern:"^[0-9]{10}$" doc:"10 digits, Luhn-valid."`
	Taxonomy string `json:"taxonomy,omitempty" pattern:"^[0-9A-Z]{9}X$" doc:"e.g. 111N00000X (chiropractor)."`
}

// AdjustmentInput is one adjustment: group, CARC and amount.
type AdjustmentInput struct {
	Group       string `json:"group" enum:"CO,PR,OA,PI"`
	Reason      string `json:"reason" pattern:"^[A-Z0-9]{1,5}$" doc:"A CARC."`
	AmountCents int64  `json:"amount_cents" minimum:"0" maximum:"100000000000"`
}

// IngestResult is what became of one posted line.
type IngestResult struct {
	SourceID string `json:"source_id"`
	ID       int64  `json:"id"`
	Status   string `json:"status"`
	Outcome  string `json:"outcome" enum:"created,duplicate" doc:"created, or duplicate when the source_id was seen before (nothing changed)."`
}

// The outcomes of an ingested line.
const (
	OutcomeCreated   = "created"
	OutcomeDuplicate = "duplicate"
)

var (
	modifierPattern  = regexp.MustCompile(`^[A-Z0-9]{2}$`)
	diagnosisPattern = regexp.MustCompile(`^[A-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?$`)
	remarkPattern    = regexp.MustCompile(`^[A-Z]{1,2}[0-9]{1,4}$`)
	taxonomyPattern  = regexp.MustCompile(`^[0-9A-Z]{9}X$`)
	procedurePattern = regexp.MustCompile(`^[A-Z0-9]{5}$`)
	reasonPattern    = regexp.MustCompile(`^[A-Z0-9]{1,5}$`)
)

// maxCents bounds every amount: a billion dollars, far above any service line.
const maxCents = 100_000_000_000

// earliestDate is the earliest service or remittance date Reclaim accepts; anything older
// is a typo, and far past every filing limit anyway.
var earliestDate = rules.Date(2000, 1, 1)

// Validate checks what the schema cannot: real calendar dates in a sane order, a
// Luhn-valid NPI, well-formed codes. It also holds the lines to the schema's sizes and
// ranges, for the lines that do not come through the API's schema (those read from a
// remittance). Locations are relative to the line.
func (in DenialInput) Validate(today time.Time) []errs.Detail {
	var ds []errs.Detail
	bad := func(loc, msg string, v any) { ds = append(ds, errs.Detail{Location: loc, Message: msg, Value: v}) }
	for _, f := range []struct {
		loc, value     string
		minLen, maxLen int
	}{
		{"source_id", in.SourceID, 1, 200}, {"claim.id", in.Claim.ID, 1, 50},
		{"claim.payer_claim_number", in.Claim.PayerClaimNumber, 0, 50}, {"payer.id", in.Payer.ID, 1, 80},
		{"payer.name", in.Payer.Name, 1, 200}, {"patient.account_number", in.Patient.AccountNumber, 0, 50},
		{"patient.member_id", in.Patient.MemberID, 0, 80}, {"patient.name", in.Patient.Name, 0, 200},
	} {
		if n := utf8.RuneCountInString(f.value); n < f.minLen || n > f.maxLen {
			bad(f.loc, fmt.Sprintf("must be %d to %d characters", f.minLen, f.maxLen), f.value)
		}
	}
	for _, f := range []struct {
		loc      string
		n, limit int
	}{
		{"modifiers", len(in.Modifiers), 4}, {"diagnosis_codes", len(in.DiagnosisCodes), 12},
		{"adjustments", len(in.Adjustments), 99}, {"remarks", len(in.Remarks), 20},
		{"other_procedure_codes", len(in.OtherProcedureCodes), 50},
	} {
		if f.n > f.limit {
			bad(f.loc, fmt.Sprintf("holds at most %d", f.limit), f.n)
		}
	}
	if in.Units < 0 || in.Units > 9999 {
		bad("units", "must be 1 to 9999", in.Units)
	}
	if !procedurePattern.MatchString(in.ProcedureCode) {
		bad("procedure_code", "is not a procedure code (five capital letters or digits)", in.ProcedureCode)
	}
	for _, f := range []struct {
		loc   string
		cents int64
	}{{"billed_cents", in.BilledCents}, {"paid_cents", in.PaidCents}} {
		if f.cents < 0 || f.cents > maxCents {
			bad(f.loc, fmt.Sprintf("must be 0 to %d cents", int64(maxCents)), f.cents)
		}
	}

	dates := map[string]time.Time{}
	for _, f := range []struct{ name, value string }{
		{"service_date", in.ServiceDate}, {"remit_date", in.RemitDate}, {"received_date", in.ReceivedDate},
	} {
		if f.value == "" {
			if f.name != "received_date" {
				bad(f.name, "is required", nil)
			}
			continue
		}
		d, err := rules.ParseDate(f.value)
		switch {
		case err != nil:
			bad(f.name, err.Error(), f.value)
		case d.Before(earliestDate):
			bad(f.name, "is before 2000-01-01", f.value)
		case d.After(rules.AddDays(today, 1)):
			bad(f.name, "is in the future", f.value)
		default:
			dates[f.name] = d
		}
	}
	if s, r := dates["service_date"], dates["remit_date"]; !s.IsZero() && !r.IsZero() && r.Before(s) {
		bad("remit_date", "is before the service_date: a remittance cannot precede the service", in.RemitDate)
	}
	if r, rec := dates["remit_date"], dates["received_date"]; !r.IsZero() && !rec.IsZero() && rec.Before(r) {
		bad("received_date", "is before the remit_date: a remittance cannot be received before it is dated", in.ReceivedDate)
	}

	if in.Provider.Taxonomy != "" && !taxonomyPattern.MatchString(in.Provider.Taxonomy) {
		bad("provider.taxonomy", "is not a provider taxonomy code (e.g. 225100000X)", in.Provider.Taxonomy)
	}
	for i, c := range in.OtherProcedureCodes {
		if !procedurePattern.MatchString(c) {
			bad(fmt.Sprintf("other_procedure_codes[%d]", i), "is not a procedure code (five capital letters or digits)", c)
		}
	}
	if in.Provider.NPI != "" && !ValidNPI(in.Provider.NPI) {
		bad("provider.npi", "is not a valid NPI (its check digit fails)", in.Provider.NPI)
	}
	for i, m := range in.Modifiers {
		if !modifierPattern.MatchString(m) {
			bad(fmt.Sprintf("modifiers[%d]", i), "must be two capital letters or digits", m)
		}
	}
	for i, c := range in.DiagnosisCodes {
		if !diagnosisPattern.MatchString(c) {
			bad(fmt.Sprintf("diagnosis_codes[%d]", i), "is not an ICD-10-CM code (e.g. M54.50)", c)
		}
	}
	for i, c := range in.Remarks {
		if !remarkPattern.MatchString(c) {
			bad(fmt.Sprintf("remarks[%d]", i), "is not a RARC (e.g. N386, MA130)", c)
		}
	}
	for i, a := range in.Adjustments {
		if !rules.Group(a.Group).Valid() {
			bad(fmt.Sprintf("adjustments[%d].group", i), "must be CO, PR, OA or PI", a.Group)
		}
		if !reasonPattern.MatchString(a.Reason) {
			bad(fmt.Sprintf("adjustments[%d].reason", i), "is not a CARC (one to five capital letters or digits)", a.Reason)
		}
		if a.AmountCents < 0 || a.AmountCents > maxCents {
			bad(fmt.Sprintf("adjustments[%d].amount_cents", i), fmt.Sprintf("must be 0 to %d cents", int64(maxCents)), a.AmountCents)
		}
	}
	if in.Payer.Kind != "" && !rules.PayerKind(in.Payer.Kind).Valid() {
		bad("payer.kind", "is not a payer kind", in.Payer.Kind)
	}
	return ds
}

// ValidNPI reports whether s is a National Provider Identifier with a correct check digit
// (Luhn over the digits prefixed with 80840, the NPI's issuer prefix).
func ValidNPI(s string) bool {
	if len(s) != 10 {
		return false
	}
	sum := 24 // the Luhn contribution of the 80840 prefix
	for i := 0; i < 9; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if i%2 == 0 { // every other digit from the right of the first nine, starting with the last
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	check := s[9]
	if check < '0' || check > '9' {
		return false
	}
	return (10-sum%10)%10 == int(check-'0')
}

// line is a posted line with its dates parsed, ready to store.
type line struct {
	in                   DenialInput
	service, remit       time.Time
	units                int32
	payerID, claimID     int64
	modifiers, diagnoses []byte
	others               []byte
	receivedText         string
}

// Ingest stores a batch of denied lines and enqueues their triage, all in one transaction:
// either every new line is stored with its job, or nothing is. A line whose source_id was
// seen before changes nothing and comes back as a duplicate with its existing id. A batch
// with any invalid line is refused whole, naming each bad line and field.
func (s *Service) Ingest(ctx context.Context, actor Actor, items []DenialInput) ([]IngestResult, error) {
	if len(items) == 0 || len(items) > MaxBatch {
		return nil, errs.Invalidf([]errs.Detail{{Location: "body.denials", Message: fmt.Sprintf("must hold 1 to %d lines", MaxBatch), Value: len(items)}},
			"a batch holds 1 to %d lines, not %d", MaxBatch, len(items))
	}
	today := s.today()
	var invalid []errs.Detail
	for i, in := range items {
		for _, d := range in.Validate(today) {
			d.Location = fmt.Sprintf("body.denials[%d].%s", i, d.Location)
			invalid = append(invalid, d)
		}
	}
	if len(invalid) > 0 {
		return nil, errs.Invalidf(invalid, "%d problems in the batch; nothing was stored", len(invalid))
	}

	results := make([]IngestResult, len(items))
	err := s.inTx(ctx, func(tx pgx.Tx, q *dbsqlc.Queries) error {
		return s.ingest(ctx, tx, q, actor, items, results)
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

func (s *Service) ingest(ctx context.Context, tx pgx.Tx, q *dbsqlc.Queries, actor Actor, items []DenialInput, results []IngestResult) error {
	sourceIDs := make([]string, len(items))
	for i, in := range items {
		sourceIDs[i] = in.SourceID
	}
	known, err := q.DenialsBySourceID(ctx, sourceIDs)
	if err != nil {
		return fmt.Errorf("error looking up source ids: %w", err)
	}
	existing := make(map[string]dbsqlc.DenialsBySourceIDRow, len(known))
	for _, k := range known {
		existing[k.SourceID] = k
	}

	// The first occurrence of each unseen source_id is new; later ones in the same batch
	// are its duplicates.
	var fresh []*line
	seen := map[string]bool{}
	for _, in := range items {
		if _, ok := existing[in.SourceID]; ok || seen[in.SourceID] {
			continue
		}
		seen[in.SourceID] = true
		fresh = append(fresh, newLine(in))
	}

	created := map[int64]bool{}
	if len(fresh) > 0 {
		if err := s.resolvePayers(ctx, q, items, fresh); err != nil {
			return err
		}
		if err := upsertClaims(ctx, q, fresh); err != nil {
			return err
		}
		rows, err := insertDenials(ctx, q, fresh)
		if err != nil {
			return err
		}
		ids := make([]int64, 0, len(rows))
		for _, r := range rows {
			existing[r.SourceID] = dbsqlc.DenialsBySourceIDRow(r)
			created[r.ID] = true
			ids = append(ids, r.ID)
		}
		if err := insertLineDetails(ctx, q, actor, fresh, existing, created); err != nil {
			return err
		}
		if err := s.enqueueTriage(ctx, tx, ids); err != nil {
			return err
		}
		if len(rows) < len(fresh) {
			// Another batch stored some of these lines a moment ago: they are duplicates.
			if err := lookupRaced(ctx, q, fresh, existing); err != nil {
				return err
			}
		}
	}

	for i, in := range items {
		row := existing[in.SourceID]
		outcome := OutcomeDuplicate
		if created[row.ID] {
			outcome = OutcomeCreated
			delete(created, row.ID) // a repeat later in the batch is a duplicate
		}
		results[i] = IngestResult{SourceID: in.SourceID, ID: row.ID, Status: row.Status, Outcome: outcome}
	}
	return nil
}

func newLine(in DenialInput) *line {
	l := &line{in: in, receivedText: in.ReceivedDate, units: int32(max(in.Units, 1))}
	l.service, _ = rules.ParseDate(in.ServiceDate) // validated
	l.remit, _ = rules.ParseDate(in.RemitDate)
	l.modifiers, _ = json.Marshal(nonNil(in.Modifiers))
	l.diagnoses, _ = json.Marshal(nonNil(in.DiagnosisCodes))
	l.others, _ = json.Marshal(nonNil(in.OtherProcedureCodes))
	return l
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// resolvePayers finds or creates the payers of the new lines. A payer new to Reclaim
// needs its kind; a batch that names a new payer without one is refused.
func (s *Service) resolvePayers(ctx context.Context, q *dbsqlc.Queries, items []DenialInput, fresh []*line) error {
	byExt := map[string]PayerInput{}
	for _, l := range fresh {
		if p, ok := byExt[l.in.Payer.ID]; !ok || p.Kind == "" {
			byExt[l.in.Payer.ID] = l.in.Payer
		}
	}
	exts := slices.Sorted(func(yield func(string) bool) {
		for k := range byExt {
			if !yield(k) {
				return
			}
		}
	})
	payers, err := q.PayersByExternalID(ctx, exts)
	if err != nil {
		return fmt.Errorf("error looking up payers: %w", err)
	}
	ids := make(map[string]int64, len(exts))
	for _, p := range payers {
		ids[p.ExternalID] = p.ID
	}

	var missing []string
	var invalid []errs.Detail
	for _, ext := range exts {
		if _, ok := ids[ext]; ok {
			continue
		}
		if byExt[ext].Kind == "" {
			for i, in := range items {
				if in.Payer.ID == ext {
					invalid = append(invalid, errs.Detail{
						Location: fmt.Sprintf("body.denials[%d].payer.kind", i),
						Message:  fmt.Sprintf("is required: payer %q is new to Reclaim", ext),
					})
				}
			}
			continue
		}
		missing = append(missing, ext)
	}
	if len(invalid) > 0 {
		return errs.Invalidf(invalid, "%d lines name a new payer without its kind; nothing was stored", len(invalid))
	}

	if len(missing) > 0 {
		arg := dbsqlc.InsertPayersParams{}
		for _, ext := range missing {
			arg.ExternalIds = append(arg.ExternalIds, ext)
			arg.Names = append(arg.Names, byExt[ext].Name)
			arg.Kinds = append(arg.Kinds, byExt[ext].Kind)
		}
		created, err := q.InsertPayers(ctx, arg)
		if err != nil {
			return fmt.Errorf("error creating payers: %w", err)
		}
		for _, p := range created {
			ids[p.ExternalID] = p.ID
		}
		if len(created) < len(missing) { // created by a concurrent batch
			again, err := q.PayersByExternalID(ctx, missing)
			if err != nil {
				return fmt.Errorf("error looking up payers: %w", err)
			}
			for _, p := range again {
				ids[p.ExternalID] = p.ID
			}
		}
	}
	for _, l := range fresh {
		l.payerID = ids[l.in.Payer.ID]
	}
	return nil
}

type claimKey struct {
	payerID int64
	number  string
}

// upsertClaims records the claims of the new lines, one row per claim, in a fixed order so
// concurrent batches never deadlock.
func upsertClaims(ctx context.Context, q *dbsqlc.Queries, fresh []*line) error {
	merged := map[claimKey]*DenialInput{}
	var keys []claimKey
	for _, l := range fresh {
		k := claimKey{l.payerID, l.in.Claim.ID}
		m, ok := merged[k]
		if !ok {
			in := l.in
			merged[k] = &in
			keys = append(keys, k)
			continue
		}
		// Lines of one claim complete each other: the first non-empty value wins.
		fill(&m.Claim.PayerClaimNumber, l.in.Claim.PayerClaimNumber)
		fill(&m.Patient.AccountNumber, l.in.Patient.AccountNumber)
		fill(&m.Patient.MemberID, l.in.Patient.MemberID)
		fill(&m.Patient.Name, l.in.Patient.Name)
		fill(&m.Provider.NPI, l.in.Provider.NPI)
		fill(&m.Provider.Taxonomy, l.in.Provider.Taxonomy)
	}
	slices.SortFunc(keys, func(a, b claimKey) int {
		return cmp.Or(cmp.Compare(a.payerID, b.payerID), strings.Compare(a.number, b.number))
	})

	var arg dbsqlc.UpsertClaimsParams
	for _, k := range keys {
		m := merged[k]
		arg.PayerIds = append(arg.PayerIds, k.payerID)
		arg.ClaimNumbers = append(arg.ClaimNumbers, k.number)
		arg.PayerClaimNumbers = append(arg.PayerClaimNumbers, m.Claim.PayerClaimNumber)
		arg.PatientAccounts = append(arg.PatientAccounts, m.Patient.AccountNumber)
		arg.MemberIds = append(arg.MemberIds, m.Patient.MemberID)
		arg.PatientNames = append(arg.PatientNames, m.Patient.Name)
		arg.ProviderNpis = append(arg.ProviderNpis, m.Provider.NPI)
		arg.ProviderTaxonomies = append(arg.ProviderTaxonomies, m.Provider.Taxonomy)
	}
	rows, err := q.UpsertClaims(ctx, arg)
	if err != nil {
		return fmt.Errorf("error recording claims: %w", err)
	}
	ids := make(map[claimKey]int64, len(rows))
	for _, r := range rows {
		ids[claimKey{r.PayerID, r.ClaimNumber}] = r.ID
	}
	for _, l := range fresh {
		l.claimID = ids[claimKey{l.payerID, l.in.Claim.ID}]
	}
	return nil
}

func fill(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

func insertDenials(ctx context.Context, q *dbsqlc.Queries, fresh []*line) ([]dbsqlc.InsertDenialsRow, error) {
	sorted := slices.Clone(fresh)
	slices.SortFunc(sorted, func(a, b *line) int { return strings.Compare(a.in.SourceID, b.in.SourceID) })
	var arg dbsqlc.InsertDenialsParams
	for _, l := range sorted {
		arg.SourceIds = append(arg.SourceIds, l.in.SourceID)
		arg.ClaimIds = append(arg.ClaimIds, l.claimID)
		arg.PayerIds = append(arg.PayerIds, l.payerID)
		arg.ServiceDates = append(arg.ServiceDates, l.service)
		arg.ProcedureCodes = append(arg.ProcedureCodes, l.in.ProcedureCode)
		arg.Modifiers = append(arg.Modifiers, l.modifiers)
		arg.Units = append(arg.Units, l.units)
		arg.DiagnosisCodes = append(arg.DiagnosisCodes, l.diagnoses)
		arg.BilledCents = append(arg.BilledCents, l.in.BilledCents)
		arg.PaidCents = append(arg.PaidCents, l.in.PaidCents)
		arg.RemitDates = append(arg.RemitDates, l.remit)
		arg.ReceivedDates = append(arg.ReceivedDates, l.receivedText)
		arg.OtherProcedures = append(arg.OtherProcedures, l.others)
	}
	rows, err := q.InsertDenials(ctx, arg)
	if err != nil {
		return nil, fmt.Errorf("error storing denials: %w", err)
	}
	return rows, nil
}

// insertLineDetails stores the adjustments, remarks and receipt events of the lines this
// batch created.
func insertLineDetails(ctx context.Context, q *dbsqlc.Queries, actor Actor, fresh []*line, stored map[string]dbsqlc.DenialsBySourceIDRow, created map[int64]bool) error {
	var adjs []dbsqlc.InsertAdjustmentsParams
	var remarks []dbsqlc.InsertRemarksParams
	var events []dbsqlc.InsertEventsParams
	for _, l := range fresh {
		row := stored[l.in.SourceID]
		if !created[row.ID] {
			continue // stored by a concurrent batch: its details are that batch's
		}
		for i, a := range l.in.Adjustments {
			adjs = append(adjs, dbsqlc.InsertAdjustmentsParams{
				DenialID: row.ID, Position: int16(i), GroupCode: a.Group, Reason: a.Reason, AmountCents: a.AmountCents,
			})
		}
		for i, r := range l.in.Remarks {
			remarks = append(remarks, dbsqlc.InsertRemarksParams{DenialID: row.ID, Position: int16(i), Code: r})
		}
		events = append(events, newEvent(actor, row.ID, 0, "denial.received", map[string]any{"source_id": l.in.SourceID}))
	}
	if len(adjs) > 0 {
		if _, err := q.InsertAdjustments(ctx, adjs); err != nil {
			return fmt.Errorf("error storing adjustments: %w", err)
		}
	}
	if len(remarks) > 0 {
		if _, err := q.InsertRemarks(ctx, remarks); err != nil {
			return fmt.Errorf("error storing remarks: %w", err)
		}
	}
	return insertEvents(ctx, q, events)
}

func lookupRaced(ctx context.Context, q *dbsqlc.Queries, fresh []*line, stored map[string]dbsqlc.DenialsBySourceIDRow) error {
	var missing []string
	for _, l := range fresh {
		if _, ok := stored[l.in.SourceID]; !ok {
			missing = append(missing, l.in.SourceID)
		}
	}
	rows, err := q.DenialsBySourceID(ctx, missing)
	if err != nil {
		return fmt.Errorf("error looking up source ids: %w", err)
	}
	for _, r := range rows {
		stored[r.SourceID] = r
	}
	return nil
}

// enqueueTriage enqueues the triage of the given denials in batches, inside the ingest
// transaction: a stored line always has its job.
func (s *Service) enqueueTriage(ctx context.Context, tx pgx.Tx, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	var params []river.InsertManyParams
	for chunk := range slices.Chunk(ids, s.triageBatch) {
		params = append(params, river.InsertManyParams{Args: TriageArgs{DenialIDs: chunk}})
	}
	if _, err := s.river.InsertManyFastTx(ctx, tx, params); err != nil {
		return fmt.Errorf("error enqueueing triage: %w", err)
	}
	return nil
}
