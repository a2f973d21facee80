package workflow

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/reclaimhq/reclaim/db/dbsqlc"
	"github.com/reclaimhq/reclaim/workflow/errs"
)

// Remittance is an imported 835 file: its transactions, what each claim and line in it
// became, and the lines that matched nothing.
type Remittance struct {
	ID           int64         `json:"id"`
	SHA256       string        `json:"sha256" doc:"The file's SHA-256, hex: the same content is the same remittance."`
	Filename     string        `json:"filename,omitempty"`
	SizeBytes    int64         `json:"size_bytes"`
	ImportedBy   string        `json:"imported_by"`
	ImportedAt   time.Time     `json:"imported_at"`
	Transactions []Transaction `json:"transactions"`
	Totals       LineTotals    `json:"totals"`
	Warnings     []Warning     `json:"warnings" doc:"Oddities of the file that were accepted, each naming its segment."`
	// Unmatched lists the lines that matched nothing, for a person to look at.
	Unmatched      []RemittanceLine  `json:"unmatched" doc:"Lines that became nothing: no denial, no recovery (up to 1,000; totals.unmatched counts them all)."`
	Claims         []RemittanceClaim `json:"claims" doc:"A page of the file's claims in file order, each with its lines and what they became."`
	NextClaimsFrom string            `json:"next_claims_cursor,omitempty" doc:"Pass as claims_cursor for the next page of claims; absent on the last page."`
}

// LineTotals counts a remittance's lines by what they became.
type LineTotals struct {
	Claims         int   `json:"claims"`
	Lines          int   `json:"lines"`
	Denied         int   `json:"denied" doc:"Lines that became new denials."`
	Duplicates     int   `json:"duplicates" doc:"Denials or payments Reclaim already had."`
	Recovered      int   `json:"recovered" doc:"Payments recorded on open denials."`
	RecoveredCents int64 `json:"recovered_cents"`
	Reversed       int   `json:"reversed" doc:"Reversals that took back recorded payments."`
	ReversedCents  int64 `json:"reversed_cents"`
	Unmatched      int   `json:"unmatched"`
}

// RemittanceClaim is a claim (CLP) of a remittance with its lines.
type RemittanceClaim struct {
	Position             int              `json:"position" doc:"The claim's place in the file, from 0."`
	Transaction          string           `json:"transaction" doc:"ST02 of its transaction set."`
	PayerName            string           `json:"payer_name"`
	RemitDate            string           `json:"remit_date,omitempty"`
	PatientControlNumber string           `json:"patient_control_number" doc:"CLP01, the billing system's claim id."`
	PayerClaimNumber     string           `json:"payer_claim_number,omitempty" doc:"CLP07."`
	Status               string           `json:"status" doc:"CLP02: 1 primary, 2 secondary, 4 denied, 22 reversal, …"`
	ChargeCents          int64            `json:"charge_cents"`
	PaidCents            int64            `json:"paid_cents"`
	PatientCents         int64            `json:"patient_cents"`
	Lines                []RemittanceLine `json:"lines"`
}

// RemittanceLine is a service line (SVC) of a remittance claim and what it became. A
// claim without service lines has one line at position 0 standing for the whole claim.
type RemittanceLine struct {
	ClaimPosition        int               `json:"claim_position"`
	Position             int               `json:"position"`
	PatientControlNumber string            `json:"patient_control_number,omitempty"`
	ProcedureCode        string            `json:"procedure_code,omitempty"`
	Modifiers            []string          `json:"modifiers"`
	ServiceDate          string            `json:"service_date,omitempty"`
	ControlNumber        string            `json:"control_number,omitempty" doc:"REF*6R, the line item control number."`
	ChargeCents          int64             `json:"charge_cents"`
	PaidCents            int64             `json:"paid_cents"`
	Adjustments          []AdjustmentInput `json:"adjustments"`
	Remarks              []string          `json:"remarks"`
	Outcome              string            `json:"outcome" enum:"denied,duplicate,recovered,reversed,unmatched"`
	Detail               string            `json:"detail" doc:"What happened, or why nothing could."`
	DenialID             int64             `json:"denial_id,omitempty"`
}

// RemittancePage selects a page of a remittance's claims.
type RemittancePage struct {
	Cursor  string // next_claims_cursor of the previous page
	Limit   int    // claims per page; 100 when zero
	Outcome string // only claims with a line of this outcome
}

const maxUnmatchedListed = 1000

// Remittance reads an imported remittance with a page of its claims.
func (s *Service) Remittance(ctx context.Context, id int64, page RemittancePage) (*Remittance, error) {
	row, err := s.queries.Remittance(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "no remittance %d", id)
	}
	if err != nil {
		return nil, fmt.Errorf("error reading remittance: %w", err)
	}
	after := int32(-1)
	if page.Cursor != "" {
		n, err := strconv.ParseInt(page.Cursor, 10, 32)
		if err != nil || n < 0 {
			return nil, errs.Invalidf([]errs.Detail{{Location: "query.claims_cursor", Message: "is not a cursor this endpoint gave", Value: page.Cursor}}, "bad cursor")
		}
		after = int32(n)
	}
	limit := pageSize(page.Limit, 100, 1000)

	r := &Remittance{
		ID: row.ID, SHA256: hex.EncodeToString(row.Sha256), Filename: deref(row.Filename), SizeBytes: row.SizeBytes,
		ImportedBy: row.Actor, ImportedAt: row.CreatedAt,
		Totals: LineTotals{
			Claims: int(row.Claims), Lines: int(row.Lines), Denied: int(row.Denied), Duplicates: int(row.Duplicates),
			Recovered: int(row.Recovered), RecoveredCents: row.RecoveredCents, Reversed: int(row.Reversed),
			ReversedCents: row.ReversedCents, Unmatched: int(row.Unmatched),
		},
	}
	if err := json.Unmarshal(row.Transactions, &r.Transactions); err != nil {
		return nil, fmt.Errorf("error reading transactions: %w", err)
	}
	if err := json.Unmarshal(row.Warnings, &r.Warnings); err != nil {
		return nil, fmt.Errorf("error reading warnings: %w", err)
	}

	var outcome *string
	if page.Outcome != "" {
		outcome = &page.Outcome
	}
	claims, err := s.queries.RemittanceClaims(ctx, dbsqlc.RemittanceClaimsParams{
		RemittanceID: id, After: after, Outcome: outcome, MaxRows: int32(limit + 1),
	})
	if err != nil {
		return nil, fmt.Errorf("error reading remittance claims: %w", err)
	}
	if len(claims) > limit {
		claims = claims[:limit]
		r.NextClaimsFrom = strconv.Itoa(int(claims[limit-1].Position))
	}
	positions := make([]int32, len(claims))
	for i, c := range claims {
		positions[i] = c.Position
	}
	lines, err := s.queries.RemittanceLinesOfClaims(ctx, dbsqlc.RemittanceLinesOfClaimsParams{RemittanceID: id, ClaimPositions: positions})
	if err != nil {
		return nil, fmt.Errorf("error reading remittance lines: %w", err)
	}
	byClaim := map[int32][]RemittanceLine{}
	for _, l := range lines {
		byClaim[l.ClaimPosition] = append(byClaim[l.ClaimPosition], remittanceLine(l, ""))
	}
	r.Claims = make([]RemittanceClaim, len(claims))
	for i, c := range claims {
		r.Claims[i] = RemittanceClaim{
			Position: int(c.Position), Transaction: c.TransactionControl, PayerName: c.PayerName,
			RemitDate: dateText(deref(c.RemitDate)), PatientControlNumber: c.PatientControlNumber,
			PayerClaimNumber: c.PayerClaimNumber, Status: c.Status, ChargeCents: c.ChargeCents, PaidCents: c.PaidCents,
			PatientCents: c.PatientCents, Lines: byClaim[c.Position],
		}
	}

	unmatched, err := s.queries.UnmatchedLines(ctx, dbsqlc.UnmatchedLinesParams{RemittanceID: id, MaxRows: maxUnmatchedListed})
	if err != nil {
		return nil, fmt.Errorf("error reading unmatched lines: %w", err)
	}
	r.Unmatched = make([]RemittanceLine, len(unmatched))
	for i, u := range unmatched {
		r.Unmatched[i] = remittanceLine(u.RemittanceLine, u.PatientControlNumber)
	}
	return r, nil
}

func remittanceLine(l dbsqlc.RemittanceLine, patientControl string) RemittanceLine {
	out := RemittanceLine{
		ClaimPosition: int(l.ClaimPosition), Position: int(l.Position), PatientControlNumber: patientControl,
		ProcedureCode: l.ProcedureCode, Modifiers: l.Modifiers, ServiceDate: dateText(deref(l.ServiceDate)),
		ControlNumber: l.ControlNumber, ChargeCents: l.ChargeCents, PaidCents: l.PaidCents, Remarks: l.Remarks,
		Outcome: l.Outcome, Detail: l.Detail, Adjustments: []AdjustmentInput{},
	}
	_ = json.Unmarshal(l.Adjustments, &out.Adjustments) // written by the import as this type
	if l.DenialID != nil {
		out.DenialID = *l.DenialID
	}
	return out
}

// RemittanceSummary is a remittance in a list.
type RemittanceSummary struct {
	ID         int64     `json:"id"`
	Filename   string    `json:"filename,omitempty"`
	SizeBytes  int64     `json:"size_bytes"`
	Claims     int       `json:"claims"`
	Lines      int       `json:"lines"`
	Unmatched  int       `json:"unmatched"`
	ImportedBy string    `json:"imported_by"`
	ImportedAt time.Time `json:"imported_at"`
}

// RemittanceList is a page of remittances, newest first.
type RemittanceList struct {
	Remittances []RemittanceSummary `json:"remittances"`
	NextCursor  string              `json:"next_cursor,omitempty" doc:"Pass as cursor for the next page; absent on the last page."`
}

// ListRemittances lists imported remittances, newest first.
func (s *Service) ListRemittances(ctx context.Context, cursor string, limit int) (*RemittanceList, error) {
	var before *int64
	if cursor != "" {
		n, err := strconv.ParseInt(cursor, 10, 64)
		if err != nil || n <= 0 {
			return nil, errs.Invalidf([]errs.Detail{{Location: "query.cursor", Message: "is not a cursor this endpoint gave", Value: cursor}}, "bad cursor")
		}
		before = &n
	}
	limit = pageSize(limit, 50, 500)
	rows, err := s.queries.ListRemittances(ctx, dbsqlc.ListRemittancesParams{BeforeID: before, MaxRows: int32(limit + 1)})
	if err != nil {
		return nil, fmt.Errorf("error listing remittances: %w", err)
	}
	out := &RemittanceList{Remittances: []RemittanceSummary{}}
	if len(rows) > limit {
		rows = rows[:limit]
		out.NextCursor = strconv.FormatInt(rows[limit-1].ID, 10)
	}
	for _, r := range rows {
		out.Remittances = append(out.Remittances, RemittanceSummary{
			ID: r.ID, Filename: deref(r.Filename), SizeBytes: r.SizeBytes, Claims: int(r.Claims), Lines: int(r.Lines),
			Unmatched: int(r.Unmatched), ImportedBy: r.Actor, ImportedAt: r.CreatedAt,
		})
	}
	return out, nil
}

// RemittanceFile is the file of a remittance exactly as it was imported.
func (s *Service) RemittanceFile(ctx context.Context, id int64) ([]byte, error) {
	content, err := s.queries.RemittanceContent(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "no remittance %d", id)
	}
	if err != nil {
		return nil, fmt.Errorf("error reading remittance %d: %w", id, err)
	}
	return content, nil
}
