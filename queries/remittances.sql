-- name: InsertRemittance :one
-- Stores a remittance file once: the same content again inserts nothing and returns no row.
INSERT INTO remittances (sha256, content, filename, actor, actor_user_id, transactions, warnings, claims, lines)
VALUES (@sha256, @content, sqlc.narg(filename), @actor, sqlc.narg(actor_user_id), @transactions, @warnings,
        @claims, @lines)
ON CONFLICT (sha256) DO NOTHING
RETURNING id, created_at;

-- name: RemittanceBySHA256 :one
SELECT id FROM remittances WHERE sha256 = @sha256;

-- name: InsertRemittanceClaims :copyfrom
INSERT INTO remittance_claims (remittance_id, position, transaction_control, payer_id, payer_name, remit_date,
                               patient_control_number, payer_claim_number, status, charge_cents, paid_cents,
                               patient_cents)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12);

-- name: InsertRemittanceLines :copyfrom
INSERT INTO remittance_lines (remittance_id, claim_position, position, procedure_code, modifiers, service_date,
                              control_number, charge_cents, paid_cents, adjustments, remarks, outcome, detail,
                              denial_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14);

-- name: Remittance :one
-- A remittance without its content, with the count of its lines by outcome.
SELECT r.id, r.sha256, r.filename, r.actor, r.transactions, r.warnings, r.claims, r.lines, r.created_at,
       length(r.content)::bigint AS size_bytes,
       count(l.*) FILTER (WHERE l.outcome = 'denied')     AS denied,
       count(l.*) FILTER (WHERE l.outcome = 'duplicate')  AS duplicates,
       count(l.*) FILTER (WHERE l.outcome = 'recovered')  AS recovered,
       count(l.*) FILTER (WHERE l.outcome = 'reversed')   AS reversed,
       count(l.*) FILTER (WHERE l.outcome = 'unmatched')  AS unmatched,
       coalesce(sum(l.paid_cents) FILTER (WHERE l.outcome = 'recovered'), 0)::bigint AS recovered_cents,
       coalesce(sum(-l.paid_cents) FILTER (WHERE l.outcome = 'reversed'), 0)::bigint AS reversed_cents
FROM remittances r
LEFT JOIN remittance_lines l ON l.remittance_id = r.id
WHERE r.id = @id
GROUP BY r.id;

-- name: RemittanceContent :one
SELECT content FROM remittances WHERE id = @id;

-- name: RemittanceClaims :many
-- A page of a remittance's claims in file order, optionally only those with a line of the
-- given outcome.
SELECT c.* FROM remittance_claims c
WHERE c.remittance_id = @remittance_id
  AND c.position > @after
  AND (sqlc.narg(outcome)::text IS NULL OR EXISTS (
      SELECT 1 FROM remittance_lines l
      WHERE l.remittance_id = c.remittance_id AND l.claim_position = c.position AND l.outcome = sqlc.narg(outcome)))
ORDER BY c.position
LIMIT @max_rows;

-- name: RemittanceLinesOfClaims :many
SELECT * FROM remittance_lines
WHERE remittance_id = @remittance_id AND claim_position = ANY(@claim_positions::integer[])
ORDER BY claim_position, position;

-- name: UnmatchedLines :many
SELECT sqlc.embed(l), c.patient_control_number
FROM remittance_lines l
JOIN remittance_claims c ON c.remittance_id = l.remittance_id AND c.position = l.claim_position
WHERE l.remittance_id = @remittance_id AND l.outcome = 'unmatched'
ORDER BY l.claim_position, l.position
LIMIT @max_rows;

-- name: ListRemittances :many
SELECT r.id, r.filename, r.actor, r.claims, r.lines, r.created_at, length(r.content)::bigint AS size_bytes,
       (SELECT count(*) FROM remittance_lines l WHERE l.remittance_id = r.id AND l.outcome = 'unmatched') AS unmatched
FROM remittances r
WHERE sqlc.narg(before_id)::bigint IS NULL OR r.id < sqlc.narg(before_id)
ORDER BY r.id DESC
LIMIT @max_rows;

-- name: LockPayerRemittances :exec
-- Serializes imports touching the same payer until the transaction ends: two files carrying
-- the same payment then never both record it.
SELECT pg_advisory_xact_lock(hashtextextended('reclaim.remittance.payer:' || @payer_external_id::text, 0));
