package workflow

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/reclaimhq/reclaim/db/dbsqlc"
)

// RewriteTasksArgs asks for the live tasks of denials to be written again from their
// facts: a payer policy change moved the deadlines their text quotes. Arguments carry ids
// only.
type RewriteTasksArgs struct {
	DenialIDs []int64 `json:"denial_ids"`
}

// Kind is the job kind in River.
func (RewriteTasksArgs) Kind() string { return "rewrite_tasks" }

type rewriteTasksWorker struct {
	river.WorkerDefaults[RewriteTasksArgs]
	svc *Service
}

// Work rewrites the tasks after the change that asked for it committed, so it takes its
// locks in the order triage does (denials first) and never waits on that change.
func (w *rewriteTasksWorker) Work(ctx context.Context, job *river.Job[RewriteTasksArgs]) error {
	return w.svc.inTx(ctx, func(tx pgx.Tx, q *dbsqlc.Queries) error {
		if err := w.svc.rewriteTasks(ctx, q, job.Args.DenialIDs); err != nil {
			return err
		}
		_, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
		return err
	})
}

// rewriteTasks writes the live tasks of the denials again from what the rules say of them
// now. A denial whose decision the rules would now change is left alone: that is for a
// re-triage to decide, with its history, not for a rewrite.
func (s *Service) rewriteTasks(ctx context.Context, q *dbsqlc.Queries, denialIDs []int64) error {
	rows, err := q.LockDenials(ctx, dbsqlc.LockDenialsParams{Ids: denialIDs, Statuses: []string{}})
	if err != nil {
		return fmt.Errorf("error locking denials: %w", err)
	}
	decisions, err := s.decide(ctx, q, rows)
	if err != nil {
		return err
	}
	tasks, err := q.LiveTasksOfDenials(ctx, denialIDs)
	if err != nil {
		return fmt.Errorf("error reading tasks: %w", err)
	}
	byDenial := make(map[int64]decision, len(decisions))
	for _, d := range decisions {
		byDenial[d.row.ID] = d
	}
	var arg dbsqlc.SetTaskTextsParams
	for _, t := range tasks {
		d, ok := byDenial[t.Task.DenialID]
		if !ok || !d.dec.Workable() || string(d.dec.Action) != t.Task.Kind || string(d.dec.Category) != deref(t.Category) {
			continue
		}
		checklist, _ := json.Marshal(nonNil(d.task.Text.Checklist))
		arg.Ids = append(arg.Ids, t.Task.ID)
		arg.Titles = append(arg.Titles, d.task.Text.Title)
		arg.Instructions = append(arg.Instructions, d.task.Text.Instructions)
		arg.Checklists = append(arg.Checklists, checklist)
	}
	if len(arg.Ids) == 0 {
		return nil
	}
	if err := q.SetTaskTexts(ctx, arg); err != nil {
		return fmt.Errorf("error rewriting tasks: %w", err)
	}
	return nil
}
