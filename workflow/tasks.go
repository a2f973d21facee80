package workflow

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/reclaimhq/reclaim/db/dbsqlc"
	"github.com/reclaimhq/reclaim/workflow/rules"
)

// The states of a task.
const (
	TaskOpen       = "open"
	TaskInProgress = "in_progress"
	TaskBlocked    = "blocked"
	TaskDone       = "done"
	TaskCancelled  = "cancelled"
)

// newTask is a correction task to create.
type newTask struct {
	DenialID        int64
	Kind            rules.Action
	Category        rules.Category // routes the task to its queue
	Priority        int64
	PriorityReasons []string
	Due             time.Time
	Text            rules.TaskText
	// PreferAssignee keeps the work with this user when they are an active member of the
	// task's queue (a re-triaged denial stays with its specialist).
	PreferAssignee int64
}

// createTasks is the one place tasks are made: each lands in the queue its category routes
// to and goes at once to the active member of that queue with the fewest open tasks, or
// waits unassigned when the queue has none. Assignment is serialized per queue for the
// rest of the transaction, so concurrent triage never counts the same member twice.
func (s *Service) createTasks(ctx context.Context, q *dbsqlc.Queries, actor Actor, tasks []newTask) ([]dbsqlc.InsertTasksRow, error) {
	if len(tasks) == 0 {
		return nil, nil
	}
	routes, err := q.QueueRoutes(ctx)
	if err != nil {
		return nil, fmt.Errorf("error loading queue routes: %w", err)
	}
	route := make(map[rules.Category]dbsqlc.QueueRoutesRow, len(routes))
	for _, r := range routes {
		route[rules.Category(r.Category)] = r
	}
	var queueIDs []int64
	for _, t := range tasks {
		r, ok := route[t.Category]
		if !ok {
			return nil, fmt.Errorf("no queue routes category %s", t.Category)
		}
		if !slices.Contains(queueIDs, r.QueueID) {
			queueIDs = append(queueIDs, r.QueueID)
		}
	}
	slices.Sort(queueIDs)

	if err := q.LockQueuesForAssignment(ctx, queueIDs); err != nil {
		return nil, fmt.Errorf("error locking queues for assignment: %w", err)
	}
	loads, err := q.ActiveMemberLoads(ctx, queueIDs)
	if err != nil {
		return nil, fmt.Errorf("error loading queue members: %w", err)
	}
	members := map[int64][]int64{} // queue → members, least loaded first
	load := map[int64]int64{}      // member → open tasks, across all their queues
	name := map[int64]string{}
	for _, l := range loads {
		members[l.QueueID] = append(members[l.QueueID], l.UserID)
		load[l.UserID] = l.OpenTasks
		name[l.UserID] = l.Name
	}

	var arg dbsqlc.InsertTasksParams
	for _, t := range tasks {
		queueID := route[t.Category].QueueID
		var assignee int64
		if slices.Contains(members[queueID], t.PreferAssignee) {
			assignee = t.PreferAssignee
		} else {
			for _, m := range members[queueID] {
				if assignee == 0 || load[m] < load[assignee] {
					assignee = m
				}
			}
		}
		if assignee != 0 {
			load[assignee]++
		}
		reasons, _ := json.Marshal(t.PriorityReasons)
		checklist, _ := json.Marshal(nonNil(t.Text.Checklist))
		arg.DenialIds = append(arg.DenialIds, t.DenialID)
		arg.Kinds = append(arg.Kinds, string(t.Kind))
		arg.QueueIds = append(arg.QueueIds, queueID)
		arg.AssigneeIds = append(arg.AssigneeIds, assignee)
		arg.Priorities = append(arg.Priorities, t.Priority)
		arg.PriorityReasons = append(arg.PriorityReasons, reasons)
		arg.DueDates = append(arg.DueDates, t.Due)
		arg.Titles = append(arg.Titles, t.Text.Title)
		arg.Instructions = append(arg.Instructions, t.Text.Instructions)
		arg.Checklists = append(arg.Checklists, checklist)
	}
	created, err := q.InsertTasks(ctx, arg)
	if err != nil {
		return nil, fmt.Errorf("error creating tasks: %w", err)
	}

	queueName := map[int64]string{}
	for _, r := range routes {
		queueName[r.QueueID] = r.QueueName
	}
	index := make(map[int64]int, len(tasks)) // RETURNING promises no order: match by denial
	for i, id := range arg.DenialIds {
		index[id] = i
	}
	events := make([]dbsqlc.InsertEventsParams, 0, len(created))
	for _, c := range created {
		i := index[c.DenialID]
		detail := map[string]any{
			"kind": arg.Kinds[i], "queue": queueName[c.QueueID],
			"due_date": arg.DueDates[i].Format(rules.DateLayout), "priority": arg.Priorities[i],
		}
		if c.AssigneeID != nil {
			detail["assignee"] = name[*c.AssigneeID]
		}
		events = append(events, newEvent(actor, c.DenialID, c.ID, "task.created", detail))
	}
	return created, insertEvents(ctx, q, events)
}
