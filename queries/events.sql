-- name: InsertEvents :copyfrom
INSERT INTO events (denial_id, task_id, actor_user_id, actor, kind, detail)
VALUES ($1, $2, $3, $4, $5, $6);

-- name: EventsOfDenial :many
SELECT * FROM events
WHERE denial_id = @denial_id::bigint
ORDER BY id;
