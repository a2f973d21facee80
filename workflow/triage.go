package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
	rows, err := q.LockDenialsForTriage(ctx, ids)
	if err != nil {
		return fmt.Errorf("error locking denials for triage: %w", err)
	}
	if len(rows) == 0 {
		return nil // all triaged already: a retry after a commit, or a concurrent job
	}
	facts, err := loadLineFacts(ctx, q, rows)
	if err != nil {
		return err
	}
	outcomes, err := s.recoveryOutcomes(ctx, q, rows)
	if err != nil {
		return err
	}

	today := s.today()
	actor := System("triage")
	var (
		decisions dbsqlc.RecordDecisionsParams
		deadlines = map[int64][]rules.Deadline{}
		tasks     []newTask
		events    []dbsqlc.InsertEventsParams
	)
	for _, row := range rows {
		policy, err := payerPolicy(row.PayerKind, row.PayerPolicy)
		if err != nil {
			return fmt.Errorf("error reading policy of payer %d: %w", row.PayerID, err)
		}
		f := facts[row.ID]
		dec := rules.Triage(rules.Line{
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
		}, policy)
		dls := policy.Deadlines(dec.Deadlines, rules.Dates{
			Service: row.ServiceDate, Remit: row.RemitDate, Received: derefTime(row.ReceivedDate),
		})

		status := StatusClosed
		if dec.Workable() {
			status = StatusOpen
			deadlines[row.ID] = dls
			tasks = append(tasks, s.taskFor(row, dec, policy, dls, outcomes, today))
		}
		addDecision(&decisions, row.ID, status, dec)
		events = append(events, newEvent(actor, row.ID, 0, "denial.triaged", map[string]any{
			"status": status, "category": dec.Category, "action": dec.Action, "rule": dec.Rule,
			"denied_cents": dec.DeniedCents, "deadlines": describeDeadlines(dls, dec.Workable()),
		}))
	}

	if err := q.RecordDecisions(ctx, decisions); err != nil {
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

// lineFacts are a denial's adjustments and remarks, as the rules read them.
type lineFacts struct {
	adjustments []rules.Adjustment
	remarks     []string
}

func loadLineFacts(ctx context.Context, q *dbsqlc.Queries, rows []dbsqlc.LockDenialsForTriageRow) (map[int64]*lineFacts, error) {
	ids := make([]int64, len(rows))
	facts := make(map[int64]*lineFacts, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
		facts[r.ID] = &lineFacts{}
	}
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
	return facts, nil
}

type outcomeKey struct {
	payerID  int64
	category rules.Category
}

type outcomeCount struct{ recovered, resolved int }

func (s *Service) recoveryOutcomes(ctx context.Context, q *dbsqlc.Queries, rows []dbsqlc.LockDenialsForTriageRow) (map[outcomeKey]outcomeCount, error) {
	seen := map[int64]bool{}
	var payerIDs []int64
	for _, r := range rows {
		if !seen[r.PayerID] {
			seen[r.PayerID] = true
			payerIDs = append(payerIDs, r.PayerID)
		}
	}
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

// taskFor writes the correction task of a workable decision.
func (s *Service) taskFor(row dbsqlc.LockDenialsForTriageRow, dec rules.Decision, policy rules.Policy,
	dls []rules.Deadline, outcomes map[outcomeKey]outcomeCount, today time.Time) newTask {
	o := outcomes[outcomeKey{row.PayerID, dec.Category}]
	chance, basis := rules.RecoveryChance(dec.Category, o.recovered, o.resolved)
	priority, reasons := rules.Priority(dec.DeniedCents, chance, basis, daysToNearest(dls, today))
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
			ClaimNumber:      row.ClaimNumber,
			PayerClaimNumber: deref(row.PayerClaimNumber),
			ProcedureCode:    row.ProcedureCode,
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

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func derefTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}
