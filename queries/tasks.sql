-- name: InsertTasks :many
INSERT INTO tasks (denial_id, kind, queue_id, assignee_id, priority, priority_reasons, due_date,
                   title, instructions, checklist)
SELECT u.denial_id, u.kind, u.queue_id, nullif(u.assignee_id, 0), u.priority, u.priority_reasons,
       u.due_date, u.title, u.instructions, u.checklist
FROM (
    SELECT unnest(@denial_ids::bigint[]) AS denial_id,
        unnest(@kinds::text[]) AS kind,
        unnest(@queue_ids::bigint[]) AS queue_id,
        unnest(@assignee_ids::bigint[]) AS assignee_id,
        unnest(@priorities::bigint[]) AS priority,
        unnest(@priority_reasons::jsonb[]) AS priority_reasons,
        unnest(@due_dates::date[]) AS due_date,
        unnest(@titles::text[]) AS title,
        unnest(@instructions::text[]) AS instructions,
        unnest(@checklists::jsonb[]) AS checklist
) AS u
RETURNING id, denial_id, queue_id, assignee_id;

-- name: TasksOfDenial :many
SELECT sqlc.embed(t), q.name AS queue_name, u.name AS assignee_name
FROM tasks t
JOIN queues q ON q.id = t.queue_id
LEFT JOIN users u ON u.id = t.assignee_id
WHERE t.denial_id = @denial_id
ORDER BY t.id;

-- name: TasksNearDeadline :many
-- Live tasks whose denial has a running clock due by the horizon, with the nearest one:
-- what the sweeper re-ranks, escalates or reopens.
SELECT DISTINCT ON (dl.denial_id)
       t.id, t.denial_id, t.status, t.priority, t.escalated_at, d.denied_cents,
       d.category, d.payer_id, p.kind AS payer_kind, p.policy AS payer_policy,
       dl.kind AS deadline_kind, dl.due_date AS deadline_due
FROM deadlines dl
JOIN tasks t ON t.denial_id = dl.denial_id AND t.status IN ('open', 'in_progress', 'blocked')
JOIN denials d ON d.id = dl.denial_id
JOIN payers p ON p.id = d.payer_id
WHERE dl.status = 'open' AND dl.due_date <= @horizon::date
ORDER BY dl.denial_id, dl.due_date, dl.kind;

-- name: SetTaskPriorities :exec
UPDATE tasks t SET
    priority         = u.priority,
    priority_reasons = u.priority_reasons,
    -- Escalated once when its deadline comes inside the buffer; calm again when a policy
    -- change moves the deadline back out, so that the next approach escalates anew.
    escalated_at     = CASE WHEN u.escalate THEN coalesce(t.escalated_at, now())
                            WHEN u.calm THEN NULL
                            ELSE t.escalated_at END,
    updated_at       = now()
FROM (
    SELECT unnest(@ids::bigint[]) AS id,
        unnest(@priorities::bigint[]) AS priority,
        unnest(@priority_reasons::jsonb[]) AS priority_reasons,
        unnest(@escalate::boolean[]) AS escalate,
        unnest(@calm::boolean[]) AS calm
) AS u
WHERE t.id = u.id;

-- name: ReopenBlockedTasks :many
UPDATE tasks SET status = 'open', blocked_reason = NULL, updated_at = now()
WHERE id = ANY(@ids::bigint[]) AND status = 'blocked'
RETURNING id, denial_id;

-- name: SetTaskDueDates :exec
UPDATE tasks t SET due_date = u.due_date, updated_at = now()
FROM (
    SELECT unnest(@ids::bigint[]) AS id,
        unnest(@due_dates::date[]) AS due_date
) AS u
WHERE t.id = u.id;

-- name: LiveTasksOfDenials :many
SELECT sqlc.embed(t), d.denied_cents, d.category, d.payer_id
FROM tasks t
JOIN denials d ON d.id = t.denial_id
WHERE t.denial_id = ANY(@denial_ids::bigint[]) AND t.status IN ('open', 'in_progress', 'blocked')
ORDER BY t.denial_id
FOR NO KEY UPDATE OF t;

-- name: CancelTask :exec
UPDATE tasks SET status = 'cancelled', blocked_reason = NULL, completed_at = now(), updated_at = now()
WHERE id = @id;

-- name: SetTaskTexts :exec
-- Rewrites what live tasks say, after the facts they quote (a deadline) changed.
UPDATE tasks t SET title = u.title, instructions = u.instructions, checklist = u.checklist, updated_at = now()
FROM (
    SELECT unnest(@ids::bigint[]) AS id,
        unnest(@titles::text[]) AS title,
        unnest(@instructions::text[]) AS instructions,
        unnest(@checklists::jsonb[]) AS checklist
) AS u
WHERE t.id = u.id AND t.status IN ('open', 'in_progress', 'blocked');
