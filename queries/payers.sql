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
