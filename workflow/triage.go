package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/reclaimhq/reclaim/db/dbsqlc"
	"github.com/reclaimhq/reclaim/workflow/rules"
)

// TriageArgs are a triage job's arguments: denial ids only, never patient data.
type TriageArgs struct {
	DenialIDs []int64 `json:"denial_ids"`
}

// Kind is the job kind in River.
func (TriageArgs) Kind() string { return "triage" }

// InsertOpts puts triage on its own queue, so a burst of posted lines never waits behind
// periodic work.
func (TriageArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueTriage, MaxAttempts: 12}
}

type triageWorker struct {
	river.WorkerDefaults[TriageArgs]
	svc *Service
}

// Work triages the job's denials and completes the job in the same transaction: a crash
// anywhere leaves all of it or none of it, and a retry finds the denials already triaged.
// A batch that fails is split into one job per denial, so one bad line fails alone.
func (w *triageWorker) Work(ctx context.Context, job *river.Job[TriageArgs]) error {
	err := w.svc.inTx(ctx, func(tx pgx.Tx, q *dbsqlc.Queries) error {
		if err := w.svc.triage(ctx, q, job.Args.DenialIDs); err != nil {
			return err
		}
		_, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
		return err
	})
	if err == nil || len(job.Args.DenialIDs) <= 1 || ctx.Err() != nil {
		return err
	}

	w.svc.logger.WarnContext(ctx, "triage batch failed; splitting it into one job per denial",
		"job_id", job.ID, "denials", len(job.Args.DenialIDs), "error", err)
	splitErr := w.svc.inTx(ctx, func(tx pgx.Tx, q *dbsqlc.Queries) error {
		params := make([]river.InsertManyParams, len(job.Args.DenialIDs))
		for i, id := range job.Args.DenialIDs {
			params[i] = river.InsertManyParams{Args: TriageArgs{DenialIDs: []int64{id}}}
		}
		if _, err := w.svc.river.InsertManyFastTx(ctx, tx, params); err != nil {
			return err
		}
		_, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
		return err
	})
	if splitErr != nil {
		return errors.Join(err, fmt.Errorf("error splitting triage batch: %w", splitErr))
	}
	return nil
}

// triage decides the untriaged denials among ids and records everything that follows:
// decision, status, deadlines, task and assignment, events.
func (s *Service) triage(ctx context.Context, q *dbsqlc.Queries, ids []int64) error {
	rows, err := q.LockDenials(ctx, dbsqlc.LockDenialsParams{Ids: ids, Statuses: []string{StatusNew}})
	if err != nil {
		return fmt.Errorf("error locking denials for triage: %w", err)
	}
	if len(rows) == 0 {
		return nil // all triaged already: a retry after a commit, or a concurrent job
	}
	decisions, err := s.decide(ctx, q, rows)
	if err != nil {
		return err
	}

	actor := System("triage")
	var (
		record    dbsqlc.RecordDecisionsParams
		deadlines = map[int64][]rules.Deadline{}
		tasks     []newTask
		events    []dbsqlc.InsertEventsParams
	)
	for _, d := range decisions {
		status := d.status()
		addDecision(&record, d.row.ID, status, d.dec)
		if d.dec.Workable() {
			deadlines[d.row.ID] = d.deadlines
			tasks = append(tasks, d.task)
		}
		events = append(events, newEvent(actor, d.row.ID, 0, "denial.triaged", d.eventDetail(status)))
	}
	if err := q.RecordDecisions(ctx, record); err != nil {
		return fmt.Errorf("error recording triage decisions: %w", err)
	}
	if err := storeDeadlines(ctx, q, deadlines); err != nil {
		return err
	}
	if err := insertEvents(ctx, q, events); err != nil {
		return err
	}
	_, err = s.createTasks(ctx, q, actor, tasks)
	return err
}

// decision is what the rules concluded about one denial, with the clocks and the task
// that follow from it.
type decision struct {
	row       dbsqlc.LockDenialsRow
	policy    rules.Policy
	dec       rules.Decision
	deadlines []rules.Deadline
	task      newTask // for a workable decision
}

func (d decision) status() string {
	if d.dec.Workable() {
		return StatusOpen
	}
	return StatusClosed
}

func (d decision) eventDetail(status string) map[string]any {
	return map[string]any{
		"status": status, "category": d.dec.Category, "action": d.dec.Action, "rule": d.dec.Rule,
		"denied_cents": d.dec.DeniedCents, "deadlines": describeDeadlines(d.deadlines, d.dec.Workable()),
	}
}

// decide runs the rules over locked denials: the one place a denial's facts become a
// decision, its deadlines and its task, for triage and re-triage alike.
func (s *Service) decide(ctx context.Context, q *dbsqlc.Queries, rows []dbsqlc.LockDenialsRow) ([]decision, error) {
	facts, err := loadLineFacts(ctx, q, rows)
	if err != nil {
		return nil, err
	}
	outcomes, err := s.recoveryOutcomes(ctx, q, rows)
	if err != nil {
		return nil, err
	}
	today := s.today()
	out := make([]decision, 0, len(rows))
	for _, row := range rows {
		policy, err := payerPolicy(row.PayerKind, row.PayerPolicy)
		if err != nil {
			return nil, fmt.Errorf("error reading policy of payer %d: %w", row.PayerID, err)
		}
		d := decision{row: row, policy: policy}
		line := ruleLine(row, facts[row.ID])
		d.dec = rules.Triage(line, policy)
		d.deadlines = policy.Deadlines(d.dec.Deadlines, rules.Dates{
			Service: row.ServiceDate, Remit: row.RemitDate, Received: deref(row.ReceivedDate),
		})
		if d.dec.Workable() {
			d.task = s.taskFor(row, line, d.dec, policy, d.deadlines, outcomes, today)
		}
		out = append(out, d)
	}
	return out, nil
}

// ruleLine is a denial as the rules read it.
func ruleLine(row dbsqlc.LockDenialsRow, f *lineFacts) rules.Line {
	return rules.Line{
		PayerKind:        rules.PayerKind(row.PayerKind),
		ProcedureCode:    row.ProcedureCode,
		Modifiers:        row.Modifiers,
		Units:            int(row.Units),
		DiagnosisCodes:   row.DiagnosisCodes,
		ProviderTaxonomy: deref(row.ProviderTaxonomy),
		BilledCents:      row.BilledCents,
		PaidCents:        row.PaidCents,
		Adjustments:      f.adjustments,
		Remarks:          f.remarks,

		OtherProcedures:   f.others,
		Edits:             f.edits,
		MUE:               f.mue,
		TimelyFilingProof: row.TimelyFilingProof != nil,
	}
}

// lineFacts are what the rules read of a denial beyond its row: adjustments, remarks, and
// the NCCI edits and MUE limits that bear on its codes.
type lineFacts struct {
	adjustments []rules.Adjustment
	remarks     []string
	others      []string // other procedures on the same claim and day
	edits       []rules.PairEdit
	mue         int
}

func loadLineFacts(ctx context.Context, q *dbsqlc.Queries, rows []dbsqlc.LockDenialsRow) (map[int64]*lineFacts, error) {
	ids := make([]int64, len(rows))
	facts := make(map[int64]*lineFacts, len(rows))
	var codes []string
	for i, r := range rows {
		ids[i] = r.ID
		f := &lineFacts{}
		for _, c := range append(slices.Clone(r.OtherProcedures), r.SiblingProcedures...) {
			if c != r.ProcedureCode && !slices.Contains(f.others, c) {
				f.others = append(f.others, c)
			}
		}
		facts[r.ID] = f
		codes = append(append(codes, r.ProcedureCode), f.others...)
	}
	slices.Sort(codes)
	codes = slices.Compact(codes)

	adjs, err := q.AdjustmentsOfDenials(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("error loading adjustments: %w", err)
	}
	for _, a := range adjs {
		f := facts[a.DenialID]
		f.adjustments = append(f.adjustments, rules.Adjustment{Group: rules.Group(a.GroupCode), Reason: a.Reason, AmountCents: a.AmountCents})
	}
	remarks, err := q.RemarksOfDenials(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("error loading remarks: %w", err)
	}
	for _, r := range remarks {
		facts[r.DenialID].remarks = append(facts[r.DenialID].remarks, r.Code)
	}

	edits, err := q.EditsAmong(ctx, codes)
	if err != nil {
		return nil, fmt.Errorf("error loading NCCI edits: %w", err)
	}
	limits, err := q.MUELimits(ctx, codes)
	if err != nil {
		return nil, fmt.Errorf("error loading MUE limits: %w", err)
	}
	mue := make(map[string]int, len(limits))
	for _, l := range limits {
		mue[l.Code] = int(l.Units)
	}
	for _, r := range rows {
		f := facts[r.ID]
		f.mue = mue[r.ProcedureCode]
		for _, e := range edits {
			inForce := !e.EffectiveDate.After(r.ServiceDate) && (e.DeletionDate == nil || e.DeletionDate.After(r.ServiceDate))
			pair := (e.Column1 == r.ProcedureCode && slices.Contains(f.others, e.Column2)) ||
				(e.Column2 == r.ProcedureCode && slices.Contains(f.others, e.Column1))
			if inForce && pair {
				f.edits = append(f.edits, rules.PairEdit{Column1: e.Column1, Column2: e.Column2, ModifierIndicator: int(e.ModifierIndicator)})
			}
		}
	}
	return facts, nil
}

type outcomeKey struct {
	payerID  int64
	category rules.Category
}

type outcomeCount struct{ recovered, resolved int }

func (s *Service) recoveryOutcomes(ctx context.Context, q *dbsqlc.Queries, rows []dbsqlc.LockDenialsRow) (map[outcomeKey]outcomeCount, error) {
	var payerIDs []int64
	for _, r := range rows {
		if !slices.Contains(payerIDs, r.PayerID) {
			payerIDs = append(payerIDs, r.PayerID)
		}
	}
	return loadOutcomes(ctx, q, payerIDs)
}

func loadOutcomes(ctx context.Context, q *dbsqlc.Queries, payerIDs []int64) (map[outcomeKey]outcomeCount, error) {
	res, err := q.RecoveryOutcomes(ctx, payerIDs)
	if err != nil {
		return nil, fmt.Errorf("error loading recovery outcomes: %w", err)
	}
	out := make(map[outcomeKey]outcomeCount, len(res))
	for _, r := range res {
		out[outcomeKey{r.PayerID, rules.Category(r.Category)}] = outcomeCount{int(r.Recovered), int(r.Resolved)}
	}
	return out, nil
}

// rank is a task's priority and the reasons for it, from the money denied, the record of
// recoveries for the payer and category, and the nearest deadline.
func rank(category rules.Category, deniedCents int64, o outcomeCount, daysLeft int) (int64, []string) {
	chance, basis := rules.RecoveryChance(category, o.recovered, o.resolved)
	return rules.Priority(deniedCents, chance, basis, daysLeft)
}

// taskFor writes the correction task of a workable decision.
func (s *Service) taskFor(row dbsqlc.LockDenialsRow, line rules.Line, dec rules.Decision, policy rules.Policy,
	dls []rules.Deadline, outcomes map[outcomeKey]outcomeCount, today time.Time) newTask {
	priority, reasons := rank(dec.Category, dec.DeniedCents, outcomes[outcomeKey{row.PayerID, dec.Category}], daysToNearest(dls, today))
	return newTask{
		DenialID:        row.ID,
		Kind:            dec.Action,
		Category:        dec.Category,
		Priority:        priority,
		PriorityReasons: reasons,
		Due:             policy.TaskDue(dls, today),
		Text: rules.Task(rules.TaskFacts{
			Decision:         dec,
			PayerName:        row.PayerName,
			PayerKind:        line.PayerKind,
			ClaimNumber:      row.ClaimNumber,
			PayerClaimNumber: deref(row.PayerClaimNumber),
			ProcedureCode:    row.ProcedureCode,
			Modifiers:        line.Modifiers,
			Units:            line.Units,
			DiagnosisCodes:   line.DiagnosisCodes,
			Remarks:          line.Remarks,
			OtherProcedures:  line.OtherProcedures,
			ServiceDate:      row.ServiceDate,
			Deadlines:        dls,
		}),
	}
}

// daysToNearest counts the days from today to the earliest deadline; a year when there is
// none.
func daysToNearest(dls []rules.Deadline, today time.Time) int {
	days := 365
	for i, dl := range dls {
		if d := rules.DaysBetween(today, dl.Due); i == 0 || d < days {
			days = d
		}
	}
	return days
}

func addDecision(p *dbsqlc.RecordDecisionsParams, id int64, status string, d rules.Decision) {
	matched, err := json.Marshal(d.Matched)
	if err != nil {
		panic(fmt.Sprintf("matched rules do not marshal: %v", err)) // plain strings only
	}
	p.Ids = append(p.Ids, id)
	p.Statuses = append(p.Statuses, status)
	p.Categories = append(p.Categories, string(d.Category))
	p.Actions = append(p.Actions, string(d.Action))
	p.RuleIds = append(p.RuleIds, d.Rule)
	p.Rationales = append(p.Rationales, d.Rationale)
	p.ReasonGroups = append(p.ReasonGroups, string(d.Reason.Group))
	p.ReasonCodes = append(p.ReasonCodes, d.Reason.Reason)
	p.DeniedCents = append(p.DeniedCents, d.DeniedCents)
	p.MatchedRules = append(p.MatchedRules, matched)
}

func describeDeadlines(dls []rules.Deadline, workable bool) []string {
	if !workable {
		return []string{}
	}
	out := make([]string, len(dls))
	for i, dl := range dls {
		out[i] = dl.Describe()
	}
	return out
}

// deref is what p points to, or the zero value when p is nil.
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
