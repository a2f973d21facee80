package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/reclaimhq/reclaim/db/dbsqlc"
	"github.com/reclaimhq/reclaim/workflow/errs"
	"github.com/reclaimhq/reclaim/workflow/rules"
)

// The states of a denial (SPEC §3).
const (
	StatusNew                = "new"         // stored, not yet triaged
	StatusOpen               = "open"        // triaged, work to do
	StatusInProgress         = "in_progress" // a specialist is on it
	StatusResubmitted        = "resubmitted"
	StatusAppealed           = "appealed"
	StatusRecovered          = "recovered"
	StatusPartiallyRecovered = "partially_recovered"
	StatusWrittenOff         = "written_off"
	StatusBilledPatient      = "billed_patient"
	StatusClosed             = "closed" // nothing to do: not a denial
)

// Denial is a denied line with everything Reclaim knows and did about it.
type Denial struct {
	ID             int64            `json:"id"`
	SourceID       string           `json:"source_id"`
	Status         string           `json:"status"`
	Category       string           `json:"category,omitempty" doc:"Absent until triaged."`
	Action         string           `json:"action,omitempty"`
	Rule           string           `json:"rule,omitempty" doc:"The id of the rule that decided."`
	Rationale      string           `json:"rationale,omitempty"`
	MatchedRules   []rules.Match    `json:"matched_rules" doc:"Every rule that matched, from the most general to the one that decided."`
	Reason         *AdjustmentInput `json:"reason,omitempty" doc:"The adjustment read as the denial reason."`
	Claim          ClaimInput       `json:"claim"`
	Payer          PayerInput       `json:"payer"`
	Patient        PatientInput     `json:"patient"`
	Provider       ProviderInput    `json:"provider"`
	ServiceDate    string           `json:"service_date"`
	ProcedureCode  string           `json:"procedure_code"`
	Modifiers      []string         `json:"modifiers"`
	Units          int              `json:"units"`
	DiagnosisCodes []string         `json:"diagnosis_codes"`
	// OtherProcedureCodes are the other procedures on the claim that day, as posted.
	OtherProcedureCodes []string          `json:"other_procedure_codes"`
	TimelyFilingProof   string            `json:"timely_filing_proof,omitempty" doc:"The recorded proof of timely filing, if any."`
	BilledCents         int64             `json:"billed_cents"`
	PaidCents           int64             `json:"paid_cents"`
	DeniedCents         int64             `json:"denied_cents"`
	RecoveredCents      int64             `json:"recovered_cents"`
	Adjustments         []AdjustmentInput `json:"adjustments"`
	Remarks             []string          `json:"remarks"`
	RemitDate           string            `json:"remit_date"`
	ReceivedDate        string            `json:"received_date,omitempty"`
	Deadlines           []Deadline        `json:"deadlines"`
	Tasks               []Task            `json:"tasks"`
	Recoveries          []Recovery        `json:"recoveries" doc:"Payments recorded on the denial, and reversals of them, oldest first."`
	Events              []Event           `json:"events"`
	CreatedAt           time.Time         `json:"created_at"`
	TriagedAt           *time.Time        `json:"triaged_at,omitempty"`
}

// Deadline is a clock on a denial, with the arithmetic that set it.
type Deadline struct {
	Kind       string `json:"kind"`
	DueDate    string `json:"due_date"`
	Status     string `json:"status" enum:"open,met,missed,closed"`
	Anchor     string `json:"anchor" doc:"What the window counts from."`
	AnchorDate string `json:"anchor_date"`
	Window     string `json:"window" doc:"The window in words, e.g. 120 days from receipt."`
}

// Task is a piece of correction work on a denial.
type Task struct {
	ID              int64    `json:"id"`
	DenialID        int64    `json:"denial_id"`
	Kind            string   `json:"kind"`
	Queue           string   `json:"queue"`
	Assignee        string   `json:"assignee,omitempty" doc:"Absent while the task waits in its queue."`
	Status          string   `json:"status" enum:"open,in_progress,blocked,done,cancelled"`
	DueDate         string   `json:"due_date"`
	Priority        int64    `json:"priority"`
	PriorityReasons []string `json:"priority_reasons"`
	Title           string   `json:"title"`
	Instructions    string   `json:"instructions"`
	Checklist       []string `json:"checklist"`
	BlockedReason   string   `json:"blocked_reason,omitempty"`
}

// Event is one entry of a denial's timeline.
type Event struct {
	ID     int64          `json:"id"`
	At     time.Time      `json:"at"`
	Actor  string         `json:"actor"`
	Kind   string         `json:"kind"`
	TaskID int64          `json:"task_id,omitempty"`
	Detail map[string]any `json:"detail"`
}

// Recovery is a payment recorded on a denial, or (a negative amount) the reversal of one.
type Recovery struct {
	ID           int64     `json:"id"`
	AmountCents  int64     `json:"amount_cents" doc:"Negative for a reversal."`
	PaidOn       string    `json:"paid_on"`
	Reference    string    `json:"reference,omitempty"`
	Source       string    `json:"source" enum:"remittance,manual"`
	RemittanceID int64     `json:"remittance_id,omitempty"`
	Reverses     int64     `json:"reverses,omitempty" doc:"The recovery a reversal takes back."`
	RecordedBy   string    `json:"recorded_by"`
	RecordedAt   time.Time `json:"recorded_at"`
}

// Denial reads one denial with its deadlines, tasks and timeline.
func (s *Service) Denial(ctx context.Context, id int64) (*Denial, error) {
	var out *Denial
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var err error
		out, err = readDenial(ctx, s.queries.WithTx(tx), id)
		return err
	})
	return out, err
}

func readDenial(ctx context.Context, q *dbsqlc.Queries, id int64) (*Denial, error) {
	row, err := q.DenialByID(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "denial %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("error reading denial %d: %w", id, err)
	}
	d := &Denial{
		ID:                  row.ID,
		SourceID:            row.SourceID,
		Status:              row.Status,
		Category:            deref(row.Category),
		Action:              deref(row.Action),
		Rule:                deref(row.RuleID),
		Rationale:           deref(row.Rationale),
		Claim:               ClaimInput{ID: row.ClaimNumber, PayerClaimNumber: deref(row.PayerClaimNumber)},
		Payer:               PayerInput{ID: row.PayerExternalID, Name: row.PayerName, Kind: row.PayerKind},
		Patient:             PatientInput{AccountNumber: deref(row.PatientAccount), MemberID: deref(row.MemberID), Name: deref(row.PatientName)},
		Provider:            ProviderInput{NPI: deref(row.ProviderNpi), Taxonomy: deref(row.ProviderTaxonomy)},
		ServiceDate:         row.ServiceDate.Format(rules.DateLayout),
		ProcedureCode:       row.ProcedureCode,
		Modifiers:           row.Modifiers,
		Units:               int(row.Units),
		DiagnosisCodes:      row.DiagnosisCodes,
		OtherProcedureCodes: row.OtherProcedures,
		TimelyFilingProof:   deref(row.TimelyFilingProof),
		BilledCents:         row.BilledCents,
		PaidCents:           row.PaidCents,
		DeniedCents:         row.DeniedCents,
		RecoveredCents:      row.RecoveredCents,
		RemitDate:           row.RemitDate.Format(rules.DateLayout),
		CreatedAt:           row.CreatedAt,
		TriagedAt:           row.TriagedAt,
		MatchedRules:        []rules.Match{},
	}
	if row.ReceivedDate != nil {
		d.ReceivedDate = row.ReceivedDate.Format(rules.DateLayout)
	}
	if row.ReasonGroup != nil {
		d.Reason = &AdjustmentInput{Group: *row.ReasonGroup, Reason: deref(row.ReasonCode)}
	}
	if err := json.Unmarshal(row.MatchedRules, &d.MatchedRules); err != nil {
		return nil, fmt.Errorf("error reading matched rules of denial %d: %w", id, err)
	}

	adjs, err := q.AdjustmentsOfDenial(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("error reading adjustments of denial %d: %w", id, err)
	}
	d.Adjustments = make([]AdjustmentInput, len(adjs))
	for i, a := range adjs {
		d.Adjustments[i] = AdjustmentInput{Group: a.GroupCode, Reason: a.Reason, AmountCents: a.AmountCents}
		if d.Reason != nil && d.Reason.AmountCents == 0 && a.GroupCode == d.Reason.Group && a.Reason == d.Reason.Reason {
			d.Reason.AmountCents = a.AmountCents
		}
	}
	if d.Remarks, err = q.RemarksOfDenial(ctx, id); err != nil {
		return nil, fmt.Errorf("error reading remarks of denial %d: %w", id, err)
	}

	dls, err := q.DeadlinesOfDenial(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("error reading deadlines of denial %d: %w", id, err)
	}
	d.Deadlines = make([]Deadline, len(dls))
	for i, dl := range dls {
		d.Deadlines[i] = deadlineOut(dl)
	}

	tasks, err := q.TasksOfDenial(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("error reading tasks of denial %d: %w", id, err)
	}
	d.Tasks = make([]Task, len(tasks))
	for i, t := range tasks {
		if d.Tasks[i], err = taskOut(t.Task, t.QueueName, deref(t.AssigneeName)); err != nil {
			return nil, err
		}
	}

	recs, err := q.RecoveriesOfDenials(ctx, []int64{id})
	if err != nil {
		return nil, fmt.Errorf("error reading recoveries of denial %d: %w", id, err)
	}
	d.Recoveries = make([]Recovery, len(recs))
	for i, r := range recs {
		d.Recoveries[i] = Recovery{
			ID: r.ID, AmountCents: r.AmountCents, PaidOn: r.PaidOn.Format(rules.DateLayout), Reference: deref(r.Reference),
			Source: r.Source, RemittanceID: deref(r.RemittanceID), Reverses: deref(r.ReversesID),
			RecordedBy: r.Actor, RecordedAt: r.CreatedAt,
		}
	}

	events, err := q.EventsOfDenial(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("error reading events of denial %d: %w", id, err)
	}
	d.Events = make([]Event, len(events))
	for i, e := range events {
		d.Events[i] = Event{ID: e.ID, At: e.CreatedAt, Actor: e.Actor, Kind: e.Kind}
		if e.TaskID != nil {
			d.Events[i].TaskID = *e.TaskID
		}
		if err := json.Unmarshal(e.Detail, &d.Events[i].Detail); err != nil {
			return nil, fmt.Errorf("error reading event %d: %w", e.ID, err)
		}
	}
	return d, nil
}

func deadlineOut(dl dbsqlc.Deadline) Deadline {
	w := rules.Window{Days: int(dl.WindowDays), Months: int(dl.WindowMonths), Anchor: rules.Anchor(dl.Anchor)}
	return Deadline{
		Kind:       dl.Kind,
		DueDate:    dl.DueDate.Format(rules.DateLayout),
		Status:     dl.Status,
		Anchor:     dl.Anchor,
		AnchorDate: dl.AnchorDate.Format(rules.DateLayout),
		Window:     w.String(),
	}
}

func taskOut(t dbsqlc.Task, queue, assignee string) (Task, error) {
	out := Task{
		ID:            t.ID,
		DenialID:      t.DenialID,
		Kind:          t.Kind,
		Queue:         queue,
		Assignee:      assignee,
		Status:        t.Status,
		DueDate:       t.DueDate.Format(rules.DateLayout),
		Priority:      t.Priority,
		Title:         t.Title,
		Instructions:  t.Instructions,
		BlockedReason: deref(t.BlockedReason),
	}
	if err := json.Unmarshal(t.PriorityReasons, &out.PriorityReasons); err != nil {
		return Task{}, fmt.Errorf("error reading priority reasons of task %d: %w", t.ID, err)
	}
	if err := json.Unmarshal(t.Checklist, &out.Checklist); err != nil {
		return Task{}, fmt.Errorf("error reading checklist of task %d: %w", t.ID, err)
	}
	return out, nil
}

// DenialFilter selects denials to list. Empty fields match everything.
type DenialFilter struct {
	Statuses    []string
	Categories  []string
	Payers      []string // payer ids as the billing system knows them
	Assignee    string   // user name of the assignee of the denial's live task
	RemitFrom   time.Time
	RemitTo     time.Time
	ServiceFrom time.Time
	ServiceTo   time.Time
	// Cursor continues a previous page: its NextCursor.
	Cursor string
	// Limit is the most denials on a page. Default 50, at most 500.
	Limit int
}

// DenialSummary is a denial as a list shows it.
type DenialSummary struct {
	ID             int64  `json:"id"`
	SourceID       string `json:"source_id"`
	Status         string `json:"status"`
	Category       string `json:"category,omitempty"`
	Action         string `json:"action,omitempty"`
	Rule           string `json:"rule,omitempty"`
	ClaimID        string `json:"claim_id"`
	PayerID        string `json:"payer_id"`
	PayerName      string `json:"payer_name"`
	ProcedureCode  string `json:"procedure_code"`
	ServiceDate    string `json:"service_date"`
	RemitDate      string `json:"remit_date"`
	BilledCents    int64  `json:"billed_cents"`
	DeniedCents    int64  `json:"denied_cents"`
	RecoveredCents int64  `json:"recovered_cents"`
	Assignee       string `json:"assignee,omitempty"`
}

// pageSize is the rows a page holds: asked, else def, and never more than most.
func pageSize(asked, def, most int) int {
	if asked <= 0 {
		return def
	}
	return min(asked, most)
}

// DenialPage is one page of a denial listing, newest first.
type DenialPage struct {
	Denials    []DenialSummary `json:"denials"`
	NextCursor string          `json:"next_cursor,omitempty" doc:"Pass as cursor for the next page; absent on the last page."`
}

// ListDenials lists denials matching the filter, newest first, a page at a time. Pages
// are keyed on the denial id, so a page never repeats or skips a row while others write.
func (s *Service) ListDenials(ctx context.Context, f DenialFilter) (*DenialPage, error) {
	limit := pageSize(f.Limit, 50, 500)
	arg := dbsqlc.ListDenialsParams{
		Statuses:   nonNil(f.Statuses),
		Categories: nonNil(f.Categories),
		Payers:     nonNil(f.Payers),
		MaxRows:    int32(limit + 1),
	}
	if f.Assignee != "" {
		arg.Assignee = &f.Assignee
	}
	for _, p := range []struct {
		dst **time.Time
		v   time.Time
	}{{&arg.RemitFrom, f.RemitFrom}, {&arg.RemitTo, f.RemitTo}, {&arg.ServiceFrom, f.ServiceFrom}, {&arg.ServiceTo, f.ServiceTo}} {
		if !p.v.IsZero() {
			v := p.v
			*p.dst = &v
		}
	}
	if f.Cursor != "" {
		after, err := strconv.ParseInt(f.Cursor, 10, 64)
		if err != nil || after <= 0 {
			return nil, errs.Invalidf([]errs.Detail{{Location: "query.cursor", Message: "is not a cursor this API returned", Value: f.Cursor}}, "invalid cursor")
		}
		arg.After = &after
	}
	rows, err := s.queries.ListDenials(ctx, arg)
	if err != nil {
		return nil, fmt.Errorf("error listing denials: %w", err)
	}
	page := &DenialPage{Denials: make([]DenialSummary, 0, min(len(rows), limit))}
	for i, r := range rows {
		if i == limit {
			page.NextCursor = strconv.FormatInt(rows[i-1].ID, 10)
			break
		}
		page.Denials = append(page.Denials, DenialSummary{
			ID: r.ID, SourceID: r.SourceID, Status: r.Status, Category: deref(r.Category),
			Action: deref(r.Action), Rule: deref(r.RuleID), ClaimID: r.ClaimNumber,
			PayerID: r.PayerExternalID, PayerName: r.PayerName, ProcedureCode: r.ProcedureCode,
			ServiceDate: r.ServiceDate.Format(rules.DateLayout), RemitDate: r.RemitDate.Format(rules.DateLayout),
			BilledCents: r.BilledCents, DeniedCents: r.DeniedCents, RecoveredCents: r.RecoveredCents,
			Assignee: r.Assignee,
		})
	}
	return page, nil
}

// HasDenials reports whether any denial was ever stored, e.g. to load demo data only
// into an empty database.
func (s *Service) HasDenials(ctx context.Context) (bool, error) {
	exists, err := s.queries.AnyDenial(ctx)
	if err != nil {
		return false, fmt.Errorf("error checking for denials: %w", err)
	}
	return exists, nil
}
