package workflow

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/reclaimhq/reclaim/db/dbsqlc"
	"github.com/reclaimhq/reclaim/workflow/rules"
)

// The states of a deadline.
const (
	DeadlineOpen   = "open"   // the clock runs
	DeadlineMet    = "met"    // the work it guards was done in time
	DeadlineMissed = "missed" // it passed with the work undone
	DeadlineClosed = "closed" // no longer relevant: the denial was resolved another way
)

// storeDeadlines writes computed deadlines, per denial. It is the one place deadlines are
// written, so the arithmetic a specialist sees (anchor, window, due date) is always the
// arithmetic that was done.
func storeDeadlines(ctx context.Context, q *dbsqlc.Queries, byDenial map[int64][]rules.Deadline) error {
	var rows []dbsqlc.InsertDeadlinesParams
	for _, id := range slices.Sorted(maps.Keys(byDenial)) {
		for _, dl := range byDenial[id] {
			rows = append(rows, dbsqlc.InsertDeadlinesParams{
				DenialID:     id,
				Kind:         string(dl.Kind),
				Anchor:       string(dl.Window.Anchor),
				AnchorDate:   dl.AnchorDate,
				WindowDays:   int32(dl.Window.Days),
				WindowMonths: int32(dl.Window.Months),
				DueDate:      dl.Due,
			})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	if _, err := q.InsertDeadlines(ctx, rows); err != nil {
		return fmt.Errorf("error storing deadlines: %w", err)
	}
	return nil
}
