-- name: DenialsOfClaimLines :many
-- The denials of the claim lines a remittance denies, pays or reverses: same payer, the same claim
-- by patient control number or payer claim number, same procedure and date of service.
-- key is the caller's index of the line; the newest denial of a line comes first.
SELECT u.key::integer AS key, d.id, d.status, d.remit_date, d.source_id, d.modifiers
FROM (
    SELECT unnest(@keys::integer[]) AS key,
        unnest(@payer_ids::bigint[]) AS payer_id,
        unnest(@claim_numbers::text[]) AS claim_number,
        unnest(@payer_claim_numbers::text[]) AS payer_claim_number,
        unnest(@procedure_codes::text[]) AS procedure_code,
        unnest(@service_dates::date[]) AS service_date
) AS u
JOIN claims c ON c.payer_id = u.payer_id
    AND (c.claim_number = u.claim_number OR (u.payer_claim_number <> '' AND c.payer_claim_number = u.payer_claim_number))
JOIN denials d ON d.claim_id = c.id AND d.procedure_code = u.procedure_code AND d.service_date = u.service_date
ORDER BY u.key, d.remit_date DESC, d.id DESC;

-- name: RecoveriesBySourceKey :many
SELECT id, source_key, denial_id, remittance_id FROM recoveries
WHERE source_key = ANY(@source_keys::text[]);

-- name: LockRecoverable :many
-- Takes denials for recording recoveries, in id order so concurrent writers never deadlock.
SELECT id, status, denied_cents, recovered_cents, remit_date FROM denials
WHERE id = ANY(@ids::bigint[])
ORDER BY id
FOR NO KEY UPDATE;

-- name: RecoveriesOfDenials :many
SELECT * FROM recoveries WHERE denial_id = ANY(@denial_ids::bigint[]) ORDER BY id;

-- name: InsertRecoveries :many
INSERT INTO recoveries (denial_id, amount_cents, paid_on, reference, source, source_key, remittance_id,
                        claim_position, line_position, reverses_id, prior_status, closed_deadline_ids,
                        closed_task_id, closed_task_status, actor, actor_user_id)
SELECT u.denial_id, u.amount_cents, u.paid_on, nullif(u.reference, ''), u.source, nullif(u.source_key, ''),
       nullif(u.remittance_id, 0), CASE WHEN u.remittance_id = 0 THEN NULL ELSE u.claim_position END,
       CASE WHEN u.remittance_id = 0 THEN NULL ELSE u.line_position END, nullif(u.reverses_id, 0),
       u.prior_status, ARRAY(SELECT jsonb_array_elements_text(u.closed_deadline_ids)::bigint),
       nullif(u.closed_task_id, 0), nullif(u.closed_task_status, ''), @actor, sqlc.narg(actor_user_id)
FROM (
    SELECT unnest(@denial_ids::bigint[]) AS denial_id,
        unnest(@amounts_cents::bigint[]) AS amount_cents,
        unnest(@paid_on::date[]) AS paid_on,
        unnest(@refs::text[]) AS reference,
        unnest(@sources::text[]) AS source,
        unnest(@source_keys::text[]) AS source_key,
        unnest(@remittance_ids::bigint[]) AS remittance_id,
        unnest(@claim_positions::integer[]) AS claim_position,
        unnest(@line_positions::integer[]) AS line_position,
        unnest(@reverses_ids::bigint[]) AS reverses_id,
        unnest(@prior_statuses::text[]) AS prior_status,
        unnest(@closed_deadline_ids::jsonb[]) AS closed_deadline_ids,
        unnest(@closed_task_ids::bigint[]) AS closed_task_id,
        unnest(@closed_task_statuses::text[]) AS closed_task_status
) AS u
RETURNING id;

-- name: SetRecoveredAmounts :exec
UPDATE denials d SET status = u.status, recovered_cents = u.recovered_cents, updated_at = now()
FROM (
    SELECT unnest(@ids::bigint[]) AS id,
        unnest(@statuses::text[]) AS status,
        unnest(@recovered_cents::bigint[]) AS recovered_cents
) AS u
WHERE d.id = u.id;

-- name: CloseOpenDeadlinesOf :many
-- Stops the running clocks of denials whose work is resolved, locking them in the
-- (denial, kind) order every writer of deadlines uses.
UPDATE deadlines d SET status = 'closed', closed_at = now(), updated_at = now()
FROM (SELECT id FROM deadlines WHERE denial_id = ANY(@denial_ids::bigint[]) AND status = 'open'
      ORDER BY denial_id, kind FOR UPDATE) AS l
WHERE d.id = l.id
RETURNING d.id, d.denial_id;

-- name: ReopenDeadlines :exec
-- Restarts clocks a reversed payment had stopped, unless a clock of the same kind has been
-- started on the denial since.
UPDATE deadlines d SET status = 'open', closed_at = NULL, updated_at = now()
WHERE d.id = ANY(@ids::bigint[]) AND d.status = 'closed'
  AND NOT EXISTS (SELECT 1 FROM deadlines o WHERE o.denial_id = d.denial_id AND o.kind = d.kind AND o.status = 'open');

-- name: FinishLiveTasksOf :many
-- Finishes the live task of denials whose work is resolved, saying what it was before;
-- tasks are locked in denial order, as every writer of tasks locks them.
UPDATE tasks t SET status = 'done', blocked_reason = NULL, completed_at = now(), updated_at = now()
FROM (SELECT id, status FROM tasks WHERE denial_id = ANY(@denial_ids::bigint[])
      AND status IN ('open', 'in_progress', 'blocked') ORDER BY denial_id FOR NO KEY UPDATE) AS before
WHERE t.id = before.id
RETURNING t.id, t.denial_id, before.status AS prior_status;

-- name: RestoreTasks :exec
-- Gives back tasks a reversed payment had finished, in the state they were in, unless the
-- denial has live work again.
UPDATE tasks t SET status = u.status, completed_at = NULL, updated_at = now()
FROM (
    SELECT unnest(@ids::bigint[]) AS id,
        unnest(@statuses::text[]) AS status
) AS u
WHERE t.id = u.id AND t.status = 'done'
  AND NOT EXISTS (SELECT 1 FROM tasks o WHERE o.denial_id = t.denial_id AND o.status IN ('open', 'in_progress', 'blocked'));
