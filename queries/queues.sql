-- name: QueueRoutes :many
SELECT r.category, q.id AS queue_id, q.name AS queue_name
FROM queue_routes r
JOIN queues q ON q.id = r.queue_id;

-- name: LockQueuesForAssignment :exec
-- Serializes assignment per queue until the transaction ends, so two triage jobs never
-- both count a member as least loaded. Queue ids come sorted: no deadlock.
SELECT pg_advisory_xact_lock(8026, q.id::integer)
FROM unnest(@queue_ids::bigint[]) AS q (id)
ORDER BY q.id;

-- name: ActiveMemberLoads :many
-- The active members of the queues with their open work, least loaded first.
SELECT m.queue_id, u.id AS user_id, u.name,
       (SELECT count(*) FROM tasks t
         WHERE t.assignee_id = u.id AND t.status IN ('open', 'in_progress', 'blocked'))::bigint AS open_tasks
FROM queue_members m
JOIN users u ON u.id = m.user_id
WHERE m.queue_id = ANY(@queue_ids::bigint[]) AND u.active
ORDER BY m.queue_id, open_tasks, u.id;

-- name: QueuesByName :many
SELECT * FROM queues
WHERE name = ANY(@names::text[]);

-- name: ClearMemberships :exec
DELETE FROM queue_members WHERE user_id = @user_id;

-- name: AddMemberships :exec
INSERT INTO queue_members (queue_id, user_id)
SELECT unnest(@queue_ids::bigint[]), @user_id
ON CONFLICT DO NOTHING;

-- name: Queues :many
SELECT q.*, coalesce(array_agg(u.name ORDER BY u.name) FILTER (WHERE u.id IS NOT NULL), '{}')::text[] AS members
FROM queues q
LEFT JOIN queue_members m ON m.queue_id = q.id
LEFT JOIN users u ON u.id = m.user_id AND u.active
GROUP BY q.id
ORDER BY q.name;
