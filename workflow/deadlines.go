package workflow

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/reclaimhq/reclaim/db/dbsqlc"
	"github.com/reclaimhq/reclaim/workflow/errs"
	"github.com/reclaimhq/reclaim/workflow/rules"
)

// The states of a deadline.
const (
	DeadlineOpen   = "open"   // the clock runs
	DeadlineMet    = "met"    // the work it guards was done in time
	DeadlineMissed = "missed" // it passed with the work undone
	DeadlineClosed = "closed" // no longer relevant: the denial was resolved or re-decided
)

// storeDeadlines writes new clocks, per denial. With reconcileDeadlines it is the one place
// deadlines are written, so the arithmetic a specialist sees (anchor, window, due date) is
// always the arithmetic that was done.
func storeDeadlines(ctx context.Context, q *dbsqlc.Queries, byDenial map[int64][]rules.Deadline) error {
	var rows []dbsqlc.InsertDeadlinesParams
	for _, id := range slices.Sorted(maps.Keys(byDenial)) {
		for _, dl := range byDenial[id] {
			rows = append(rows, deadlineRow(id, dl, time.Time{}))
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

func deadlineRow(denialID int64, dl rules.Deadline, decision time.Time) dbsqlc.InsertDeadlinesParams {
	row := dbsqlc.InsertDeadlinesParams{
		DenialID:     denialID,
		Kind:         string(dl.Kind),
		Anchor:       string(dl.Window.Anchor),
		AnchorDate:   dl.AnchorDate,
		WindowDays:   int32(dl.Window.Days),
		WindowMonths: int32(dl.Window.Months),
		DueDate:      dl.Due,
	}
	if !decision.IsZero() {
		row.DecisionDate = &decision
	}
	return row
}

// deadlineChange says how one clock moved, for the event log.
type deadlineChange struct {
	Kind string `json:"kind"`
	From string `json:"from,omitempty"` // the old due date; empty for a new clock
	To   string `json:"to,omitempty"`   // the new due date; empty for a closed clock
}

// reconcileDeadlines makes a denial's running clocks those of want: a kind kept moves to
// its new due date, a kind no longer wanted is closed (kept as history), a new kind starts
// unless the same clock was already met or missed.
func reconcileDeadlines(ctx context.Context, q *dbsqlc.Queries, denialID int64, want []rules.Deadline) ([]deadlineChange, error) {
	all, err := q.DeadlinesOfDenial(ctx, denialID)
	if err != nil {
		return nil, fmt.Errorf("error reading deadlines of denial %d: %w", denialID, err)
	}
	var open, settled []dbsqlc.Deadline
	for _, d := range all {
		switch d.Status {
		case DeadlineOpen:
			open = append(open, d)
		case DeadlineMet, DeadlineMissed:
			settled = append(settled, d)
		}
	}
	var (
		changes []deadlineChange
		update  dbsqlc.UpdateDeadlinesParams
		closing []int64
		insert  []dbsqlc.InsertDeadlinesParams
	)
	for _, dl := range want {
		i := slices.IndexFunc(open, func(o dbsqlc.Deadline) bool { return o.Kind == string(dl.Kind) })
		if i < 0 {
			if slices.ContainsFunc(settled, func(o dbsqlc.Deadline) bool { return o.Kind == string(dl.Kind) && o.DueDate.Equal(dl.Due) }) {
				continue // this very clock already ran its course: met or missed, it stays history
			}
			insert = append(insert, deadlineRow(denialID, dl, time.Time{}))
			changes = append(changes, deadlineChange{Kind: string(dl.Kind), To: dl.Due.Format(rules.DateLayout)})
			continue
		}
		if o := open[i]; !o.DueDate.Equal(dl.Due) || !o.AnchorDate.Equal(dl.AnchorDate) || o.Anchor != string(dl.Window.Anchor) {
			addUpdate(&update, o.ID, dl)
			changes = append(changes, deadlineChange{Kind: o.Kind, From: o.DueDate.Format(rules.DateLayout), To: dl.Due.Format(rules.DateLayout)})
		}
	}
	for _, o := range open {
		if !slices.ContainsFunc(want, func(dl rules.Deadline) bool { return string(dl.Kind) == o.Kind }) {
			closing = append(closing, o.ID)
			changes = append(changes, deadlineChange{Kind: o.Kind, From: o.DueDate.Format(rules.DateLayout)})
		}
	}
	if len(closing) > 0 {
		if _, err := q.CloseDeadlines(ctx, dbsqlc.CloseDeadlinesParams{Ids: closing, Status: DeadlineClosed}); err != nil {
			return nil, fmt.Errorf("error closing deadlines of denial %d: %w", denialID, err)
		}
	}
	if len(update.Ids) > 0 {
		if err := q.UpdateDeadlines(ctx, update); err != nil {
			return nil, fmt.Errorf("error moving deadlines of denial %d: %w", denialID, err)
		}
	}
	if len(insert) > 0 {
		if _, err := q.InsertDeadlines(ctx, insert); err != nil {
			return nil, fmt.Errorf("error storing deadlines of denial %d: %w", denialID, err)
		}
	}
	return changes, nil
}

func addUpdate(p *dbsqlc.UpdateDeadlinesParams, id int64, dl rules.Deadline) {
	p.Ids = append(p.Ids, id)
	p.Anchors = append(p.Anchors, string(dl.Window.Anchor))
	p.AnchorDates = append(p.AnchorDates, dl.AnchorDate)
	p.WindowDays = append(p.WindowDays, int32(dl.Window.Days))
	p.WindowMonths = append(p.WindowMonths, int32(dl.Window.Months))
	p.DueDates = append(p.DueDates, dl.Due)
}

// DeadlineFilter selects deadlines to list. Empty fields match everything.
type DeadlineFilter struct {
	DueBefore time.Time // strictly before this date
	Statuses  []string
	Kinds     []string
	Payers    []string
	Cursor    string
	Limit     int // default 100, at most 500
}

// DeadlineItem is a deadline as a manager's list shows it.
type DeadlineItem struct {
	ID           int64  `json:"id"`
	DenialID     int64  `json:"denial_id"`
	Kind         string `json:"kind"`
	DueDate      string `json:"due_date"`
	Status       string `json:"status"`
	Anchor       string `json:"anchor"`
	AnchorDate   string `json:"anchor_date"`
	Window       string `json:"window"`
	DenialStatus string `json:"denial_status"`
	Category     string `json:"category,omitempty"`
	DeniedCents  int64  `json:"denied_cents"`
	PayerID      string `json:"payer_id"`
	PayerName    string `json:"payer_name"`
	TaskID       int64  `json:"task_id,omitempty" doc:"The denial's live task, if any."`
	Assignee     string `json:"assignee,omitempty"`
}

// DeadlinePage is one page of deadlines, soonest first.
type DeadlinePage struct {
	Deadlines  []DeadlineItem `json:"deadlines"`
	NextCursor string         `json:"next_cursor,omitempty" doc:"Pass as cursor for the next page; absent on the last page."`
}

// ListDeadlines lists deadlines soonest first, a page at a time.
func (s *Service) ListDeadlines(ctx context.Context, f DeadlineFilter) (*DeadlinePage, error) {
	limit := pageSize(f.Limit, 100, 500)
	arg := dbsqlc.ListDeadlinesParams{
		Statuses: nonNil(f.Statuses), Kinds: nonNil(f.Kinds), Payers: nonNil(f.Payers), MaxRows: int32(limit + 1),
	}
	if !f.DueBefore.IsZero() {
		arg.DueBefore = &f.DueBefore
	}
	if f.Cursor != "" {
		due, id, ok := parseDeadlineCursor(f.Cursor)
		if !ok {
			return nil, errs.Invalidf([]errs.Detail{{Location: "query.cursor", Message: "is not a cursor this API returned", Value: f.Cursor}}, "invalid cursor")
		}
		arg.AfterDue, arg.AfterID = &due, &id
	}
	rows, err := s.queries.ListDeadlines(ctx, arg)
	if err != nil {
		return nil, fmt.Errorf("error listing deadlines: %w", err)
	}
	page := &DeadlinePage{Deadlines: make([]DeadlineItem, 0, min(len(rows), limit))}
	for i, r := range rows {
		if i == limit {
			last := rows[i-1]
			page.NextCursor = last.DueDate.Format(rules.DateLayout) + "." + strconv.FormatInt(last.ID, 10)
			break
		}
		w := rules.Window{Days: int(r.WindowDays), Months: int(r.WindowMonths), Anchor: rules.Anchor(r.Anchor)}
		page.Deadlines = append(page.Deadlines, DeadlineItem{
			ID: r.ID, DenialID: r.DenialID, Kind: r.Kind, DueDate: r.DueDate.Format(rules.DateLayout),
			Status: r.Status, Anchor: r.Anchor, AnchorDate: r.AnchorDate.Format(rules.DateLayout), Window: w.String(),
			DenialStatus: r.DenialStatus, Category: deref(r.Category), DeniedCents: r.DeniedCents,
			PayerID: r.PayerExternalID, PayerName: r.PayerName, TaskID: r.TaskID, Assignee: r.Assignee,
		})
	}
	return page, nil
}

func parseDeadlineCursor(c string) (time.Time, int64, bool) {
	date, idText, ok := strings.Cut(c, ".")
	if !ok {
		return time.Time{}, 0, false
	}
	due, err := rules.ParseDate(date)
	if err != nil {
		return time.Time{}, 0, false
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	return due, id, err == nil && id > 0
}
