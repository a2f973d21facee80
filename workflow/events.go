package workflow

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/reclaimhq/reclaim/db/dbsqlc"
)

// newEvent describes one change for the append-only event log. taskID is zero when the
// change is not about a task.
func newEvent(actor Actor, denialID, taskID int64, kind string, detail map[string]any) dbsqlc.InsertEventsParams {
	b, err := json.Marshal(detail)
	if err != nil {
		// Details are maps of strings, numbers and dates built here: they always marshal.
		panic(fmt.Sprintf("event %s detail does not marshal: %v", kind, err))
	}
	e := dbsqlc.InsertEventsParams{Actor: actor.Name, ActorUserID: actor.userID(), Kind: kind, Detail: b}
	if denialID != 0 {
		e.DenialID = &denialID
	}
	if taskID != 0 {
		e.TaskID = &taskID
	}
	return e
}

func insertEvents(ctx context.Context, q *dbsqlc.Queries, events []dbsqlc.InsertEventsParams) error {
	if len(events) == 0 {
		return nil
	}
	if _, err := q.InsertEvents(ctx, events); err != nil {
		return fmt.Errorf("error recording events: %w", err)
	}
	return nil
}
