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
