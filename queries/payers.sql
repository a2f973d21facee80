-- name: PayersByExternalID :many
SELECT * FROM payers
WHERE external_id = ANY(@external_ids::text[]);

-- name: InsertPayers :many
-- Creates payers seen for the first time; a concurrent batch that created one first wins
-- and the caller reads it back.
INSERT INTO payers (external_id, name, kind)
SELECT u.external_id, u.name, u.kind
FROM (
    SELECT unnest(@external_ids::text[]) AS external_id,
        unnest(@names::text[]) AS name,
        unnest(@kinds::text[]) AS kind
) AS u
ON CONFLICT (external_id) DO NOTHING
RETURNING *;

-- name: PayersByID :many
SELECT * FROM payers
WHERE id = ANY(@ids::bigint[]);

-- name: Payers :many
SELECT p.*,
       (SELECT count(*) FROM denials d
         WHERE d.payer_id = p.id AND d.status IN ('open', 'in_progress', 'resubmitted', 'appealed'))::bigint AS open_denials
FROM payers p
ORDER BY p.name, p.id;

-- name: LockPayer :one
-- Takes a payer to change its policy. NO KEY UPDATE leaves the payer free to be referenced
-- meanwhile (new claims and denials keep coming in) but waits for triage reading its
-- policy, and makes triage wait for the new one.
SELECT * FROM payers
WHERE external_id = @external_id
FOR NO KEY UPDATE;

-- name: SetPayerPolicy :exec
UPDATE payers SET policy = @policy, updated_at = now()
WHERE id = @id;
