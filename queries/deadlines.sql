-- name: InsertDeadlines :copyfrom
INSERT INTO deadlines (denial_id, kind, anchor, anchor_date, window_days, window_months, due_date)
VALUES ($1, $2, $3, $4, $5, $6, $7);

-- name: DeadlinesOfDenial :many
SELECT * FROM deadlines
WHERE denial_id = @denial_id
ORDER BY due_date, kind;
