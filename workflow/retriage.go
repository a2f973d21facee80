package workflow

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/reclaimhq/reclaim/db/dbsqlc"
	"github.com/reclaimhq/reclaim/workflow/errs"
	"github.com/reclaimhq/reclaim/workflow/rules"
)

// Facts are corrections to what triage read of a denial. Nil fields stay as they were.
type Facts struct {
	DiagnosisCodes    *[]string `json:"diagnosis_codes,omitempty" maxItems:"12" doc:"The corrected ICD-10-CM codes, pointer order."`
	Modifiers         *[]string `json:"modifiers,omitempty" maxItems:"4"`
	Units             *int      `json:"units,omitempty" minimum:"1" maximum:"9999"`
	ProviderTaxonomy  *string   `json:"provider_taxonomy,omitempty" doc:"The rendering provider's taxonomy; empty to clear."`
	TimelyFilingProof *string   `json:"timely_filing_proof,omitempty" maxLength:"200" doc:"A reference to proof the claim was filed in time (e.g. a clearinghouse acceptance report); empty to clear."`
	Note              string    `json:"note,omitempty" maxLength:"2000" doc:"Why, for the timeline."`
}

// validate checks the corrections as ingest checks a posted line.
func (f Facts) validate() []errs.Detail {
	// A line valid in all else, carrying the corrections: only they can be wrong.
	probe := DenialInput{
		SourceID: "probe", Claim: ClaimInput{ID: "probe"}, Payer: PayerInput{ID: "probe", Name: "probe"},
		ProcedureCode: "97026", ServiceDate: "2026-01-01", RemitDate: "2026-01-01",
	}
	if f.DiagnosisCodes != nil {
		probe.DiagnosisCodes = *f.DiagnosisCodes
	}
	if f.Modifiers != nil {
		probe.Modifiers = *f.Modifiers
	}
	ds := probe.Validate(rules.Date(2026, 1, 1))
	for i := range ds {
		ds[i].Location = "body." + ds[i].Location
	}
	if f.ProviderTaxonomy != nil && *f.ProviderTaxonomy != "" && !taxonomyPattern.MatchString(*f.ProviderTaxonomy) {
		ds = append(ds, errs.Detail{Location: "body.provider_taxonomy", Message: "is not a provider taxonomy code (e.g. 225100000X)", Value: *f.ProviderTaxonomy})
	}
	if f.Units != nil && *f.Units < 1 {
		ds = append(ds, errs.Detail{Location: "body.units", Message: "must be at least 1", Value: *f.Units})
	}
	return ds
}

// retriageable are the states a denial can be re-decided in: triaged, and not resolved.
// A resolved denial's history is never rewritten.
var retriageable = []string{StatusOpen, StatusInProgress, StatusClosed}

// Retriage applies corrected facts to a denial and runs the rules again, keeping the
// history: the previous decision stays in the timeline, clocks no longer wanted are closed
// rather than deleted, and the live task is cancelled for a new one (kept with the same
// specialist when the work stays in their queue).
func (s *Service) Retriage(ctx context.Context, actor Actor, id int64, f Facts) (*Denial, error) {
	if bad := f.validate(); len(bad) > 0 {
		return nil, errs.Invalidf(bad, "invalid facts")
	}
	err := s.inTxRetrying(ctx, func(_ pgx.Tx, q *dbsqlc.Queries) error {
		return s.retriage(ctx, q, actor, id, f)
	})
	if err != nil {
		return nil, err
	}
	return s.Denial(ctx, id)
}

func (s *Service) retriage(ctx context.Context, q *dbsqlc.Queries, actor Actor, id int64, f Facts) error {
	rows, err := q.LockDenials(ctx, dbsqlc.LockDenialsParams{Ids: []int64{id}, Statuses: []string{}})
	if err != nil {
		return fmt.Errorf("error locking denial %d: %w", id, err)
	}
	if len(rows) == 0 {
		return errs.E(errs.NotFound, "denial %d not found", id)
	}
	before := rows[0]
	if !slices.Contains(retriageable, before.Status) {
		if before.Status == StatusNew {
			return errs.E(errs.Conflict, "denial %d is not triaged yet", id)
		}
		return errs.E(errs.Conflict, "denial %d is %s: a resolved denial is not re-decided", id, before.Status)
	}
	prior, err := q.DenialByID(ctx, id)
	if err != nil {
		return fmt.Errorf("error reading denial %d: %w", id, err)
	}

	changed := map[string]any{}
	update := dbsqlc.UpdateDenialFactsParams{
		ID: id, DiagnosisCodes: before.DiagnosisCodes, Modifiers: before.Modifiers, Units: before.Units,
		TimelyFilingProof: before.TimelyFilingProof,
	}
	if f.DiagnosisCodes != nil {
		update.DiagnosisCodes = nonNil(*f.DiagnosisCodes)
		changed["diagnosis_codes"] = map[string]any{"from": before.DiagnosisCodes, "to": update.DiagnosisCodes}
	}
	if f.Modifiers != nil {
		update.Modifiers = nonNil(*f.Modifiers)
		changed["modifiers"] = map[string]any{"from": before.Modifiers, "to": update.Modifiers}
	}
	if f.Units != nil {
		update.Units = int32(*f.Units)
		changed["units"] = map[string]any{"from": before.Units, "to": update.Units}
	}
	if f.TimelyFilingProof != nil {
		update.TimelyFilingProof = nilIfEmpty(*f.TimelyFilingProof)
		changed["timely_filing_proof"] = map[string]any{"from": deref(before.TimelyFilingProof), "to": *f.TimelyFilingProof}
	}
	if err := q.UpdateDenialFacts(ctx, update); err != nil {
		return fmt.Errorf("error correcting denial %d: %w", id, err)
	}
	if f.ProviderTaxonomy != nil {
		if err := q.UpdateClaimTaxonomy(ctx, dbsqlc.UpdateClaimTaxonomyParams{DenialID: id, ProviderTaxonomy: nilIfEmpty(*f.ProviderTaxonomy)}); err != nil {
			return fmt.Errorf("error correcting the taxonomy of denial %d: %w", id, err)
		}
		changed["provider_taxonomy"] = map[string]any{"from": deref(before.ProviderTaxonomy), "to": *f.ProviderTaxonomy}
	}

	rows, err = q.LockDenials(ctx, dbsqlc.LockDenialsParams{Ids: []int64{id}, Statuses: []string{}})
	if err != nil {
		return fmt.Errorf("error re-reading denial %d: %w", id, err)
	}
	decisions, err := s.decide(ctx, q, rows)
	if err != nil {
		return err
	}
	d := decisions[0]
	status := d.status()

	live, err := q.LiveTasksOfDenials(ctx, []int64{id})
	if err != nil {
		return fmt.Errorf("error reading tasks of denial %d: %w", id, err)
	}
	// The same work decided again keeps its task, its specialist and how far they got;
	// only what the task says, its due date and its priority follow the new facts.
	// A blocked task is not kept: what blocked it may be the very fact just corrected.
	keep := len(live) == 1 && d.dec.Workable() && live[0].Task.Kind == string(d.dec.Action) &&
		deref(prior.Category) == string(d.dec.Category) && live[0].Task.Status != "blocked"
	if keep {
		status = before.Status
	}

	var record dbsqlc.RecordDecisionsParams
	addDecision(&record, id, status, d.dec)
	if err := q.RecordDecisions(ctx, record); err != nil {
		return fmt.Errorf("error recording the new decision of denial %d: %w", id, err)
	}
	var want []rules.Deadline
	if d.dec.Workable() {
		want = d.deadlines
	}
	moved, err := reconcileDeadlines(ctx, q, id, want)
	if err != nil {
		return err
	}

	events := []dbsqlc.InsertEventsParams{newEvent(actor, id, 0, "denial.retriaged", map[string]any{
		"note":      f.Note,
		"facts":     changed,
		"before":    map[string]any{"status": prior.Status, "category": deref(prior.Category), "action": deref(prior.Action), "rule": deref(prior.RuleID)},
		"after":     d.eventDetail(status),
		"changes":   moved,
		"task_kept": keep,
	})}
	if keep {
		if err := insertEvents(ctx, q, events); err != nil {
			return err
		}
		return updateTask(ctx, q, live[0].Task.ID, d.task, d.task.Due.After(s.today()))
	}
	var prefer int64
	for _, t := range live {
		if err := q.CancelTask(ctx, t.Task.ID); err != nil {
			return fmt.Errorf("error cancelling task %d: %w", t.Task.ID, err)
		}
		events = append(events, newEvent(actor, id, t.Task.ID, "task.cancelled", map[string]any{"reason": "the denial was re-triaged"}))
		if t.Task.AssigneeID != nil {
			prefer = *t.Task.AssigneeID
		}
	}
	if err := insertEvents(ctx, q, events); err != nil {
		return err
	}
	if !d.dec.Workable() {
		return nil
	}
	d.task.PreferAssignee = prefer
	_, err = s.createTasks(ctx, q, actor, []newTask{d.task})
	return err
}

// updateTask makes a live task say and weigh what t, the same work decided again, does;
// calm clears an escalation when its clock is now outside the buffer.
func updateTask(ctx context.Context, q *dbsqlc.Queries, id int64, t newTask, calm bool) error {
	checklist, _ := json.Marshal(nonNil(t.Text.Checklist))
	if err := q.SetTaskTexts(ctx, dbsqlc.SetTaskTextsParams{
		Ids: []int64{id}, Titles: []string{t.Text.Title}, Instructions: []string{t.Text.Instructions}, Checklists: [][]byte{checklist},
	}); err != nil {
		return fmt.Errorf("error rewriting task %d: %w", id, err)
	}
	if err := q.SetTaskDueDates(ctx, dbsqlc.SetTaskDueDatesParams{Ids: []int64{id}, DueDates: []time.Time{t.Due}}); err != nil {
		return fmt.Errorf("error moving task %d: %w", id, err)
	}
	var ranks dbsqlc.SetTaskPrioritiesParams
	addPriority(&ranks, id, t.Priority, t.PriorityReasons, false, calm)
	if err := q.SetTaskPriorities(ctx, ranks); err != nil {
		return fmt.Errorf("error re-ranking task %d: %w", id, err)
	}
	return nil
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
