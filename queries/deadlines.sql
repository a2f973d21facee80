-- name: InsertDeadlines :copyfrom
INSERT INTO deadlines (denial_id, kind, anchor, anchor_date, window_days, window_months, due_date,
                       decision_date)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8);

-- name: DeadlinesOfDenial :many
SELECT * FROM deadlines
WHERE denial_id = @denial_id
ORDER BY due_date, kind;

-- name: OpenDeadlinesOfPayer :many
-- The running clocks of a payer's denials with the dates they count from, locked for a
-- recomputation.
SELECT dl.id, dl.denial_id, dl.kind, dl.anchor, dl.anchor_date, dl.window_days, dl.window_months,
       dl.due_date, dl.decision_date, d.service_date, d.remit_date, d.received_date
FROM deadlines dl
JOIN denials d ON d.id = dl.denial_id
WHERE d.payer_id = @payer_id AND dl.status = 'open'
ORDER BY dl.denial_id, dl.kind
FOR UPDATE OF dl;

-- name: UpdateDeadlines :exec
UPDATE deadlines dl SET
    anchor        = u.anchor,
    anchor_date   = u.anchor_date,
    window_days   = u.window_days,
    window_months = u.window_months,
    due_date      = u.due_date,
    updated_at    = now()
FROM (
    SELECT unnest(@ids::bigint[]) AS id,
        unnest(@anchors::text[]) AS anchor,
        unnest(@anchor_dates::date[]) AS anchor_date,
        unnest(@window_days::integer[]) AS window_days,
        unnest(@window_months::integer[]) AS window_months,
        unnest(@due_dates::date[]) AS due_date
) AS u
WHERE dl.id = u.id AND dl.status = 'open';

-- name: CloseDeadlines :many
UPDATE deadlines SET status = @status, closed_at = now(), updated_at = now()
WHERE id = ANY(@ids::bigint[]) AND status = 'open'
RETURNING id, denial_id, kind, due_date;

-- name: MarkMissedDeadlines :many
-- A clock that ran out before today is missed (the day after its due date). Clocks are
-- locked in (denial, kind) order, as every writer of deadlines locks them.
UPDATE deadlines d SET status = 'missed', closed_at = now(), updated_at = now()
FROM (SELECT id FROM deadlines WHERE status = 'open' AND due_date < @today::date
      ORDER BY denial_id, kind FOR UPDATE) AS l
WHERE d.id = l.id
RETURNING d.id, d.denial_id, d.kind, d.due_date;

-- name: ListDeadlines :many
-- Keyset pagination in due order: the page after (after_due, after_id).
SELECT dl.id, dl.denial_id, dl.kind, dl.due_date, dl.status, dl.anchor, dl.anchor_date,
       dl.window_days, dl.window_months, d.status AS denial_status, d.category, d.denied_cents,
       p.external_id AS payer_external_id, p.name AS payer_name,
       coalesce(u.name, '')::text AS assignee, coalesce(t.id, 0)::bigint AS task_id
FROM deadlines dl
JOIN denials d ON d.id = dl.denial_id
JOIN payers p ON p.id = d.payer_id
LEFT JOIN tasks t ON t.denial_id = d.id AND t.status IN ('open', 'in_progress', 'blocked')
LEFT JOIN users u ON u.id = t.assignee_id
WHERE (sqlc.narg(due_before)::date IS NULL OR dl.due_date < sqlc.narg(due_before)::date)
  AND (cardinality(@statuses::text[]) = 0 OR dl.status = ANY(@statuses::text[]))
  AND (cardinality(@kinds::text[]) = 0 OR dl.kind = ANY(@kinds::text[]))
  AND (cardinality(@payers::text[]) = 0 OR p.external_id = ANY(@payers::text[]))
  AND (sqlc.narg(after_due)::date IS NULL
       OR (dl.due_date, dl.id) > (sqlc.narg(after_due)::date, sqlc.narg(after_id)::bigint))
ORDER BY dl.due_date, dl.id
LIMIT @max_rows;
