-- name: DenialsBySourceID :many
SELECT id, source_id, status FROM denials
WHERE source_id = ANY(@source_ids::text[]);

-- name: InsertDenials :many
-- Stores newly posted lines, status new. Modifiers and diagnosis codes travel as JSON
-- arrays because unnest cannot take ragged arrays; received dates as text so a line
-- without one can say so.
INSERT INTO denials (source_id, claim_id, payer_id, service_date, procedure_code, modifiers,
                     units, diagnosis_codes, billed_cents, paid_cents, remit_date, received_date,
                     other_procedures)
SELECT u.source_id, u.claim_id, u.payer_id, u.service_date, u.procedure_code,
       ARRAY(SELECT jsonb_array_elements_text(u.modifiers)), u.units,
       ARRAY(SELECT jsonb_array_elements_text(u.diagnosis_codes)), u.billed_cents, u.paid_cents,
       u.remit_date, nullif(u.received_date, '')::date,
       ARRAY(SELECT jsonb_array_elements_text(u.other_procedures))
FROM (
    SELECT unnest(@source_ids::text[]) AS source_id,
        unnest(@claim_ids::bigint[]) AS claim_id,
        unnest(@payer_ids::bigint[]) AS payer_id,
        unnest(@service_dates::date[]) AS service_date,
        unnest(@procedure_codes::text[]) AS procedure_code,
        unnest(@modifiers::jsonb[]) AS modifiers,
        unnest(@units::integer[]) AS units,
        unnest(@diagnosis_codes::jsonb[]) AS diagnosis_codes,
        unnest(@billed_cents::bigint[]) AS billed_cents,
        unnest(@paid_cents::bigint[]) AS paid_cents,
        unnest(@remit_dates::date[]) AS remit_date,
        unnest(@received_dates::text[]) AS received_date,
        unnest(@other_procedures::jsonb[]) AS other_procedures
) AS u
ON CONFLICT (source_id) DO NOTHING
RETURNING id, source_id, status;

-- name: InsertAdjustments :copyfrom
INSERT INTO adjustments (denial_id, position, group_code, reason, amount_cents)
VALUES ($1, $2, $3, $4, $5);

-- name: InsertRemarks :copyfrom
INSERT INTO remarks (denial_id, position, code)
VALUES ($1, $2, $3);

-- name: LockDenials :many
-- Takes denials among ids for (re)triage, in the given states (any when none), locked in id
-- order so concurrent jobs never deadlock; a line another job triaged meanwhile drops out
-- after the lock wait. The payer's row is shared, so a policy change never commits between
-- reading the policy and storing the deadlines it gives. Siblings are the other lines of
-- the same claim and day.
SELECT d.id, d.status, d.service_date, d.procedure_code, d.modifiers, d.units, d.diagnosis_codes,
       d.billed_cents, d.paid_cents, d.remit_date, d.received_date, d.other_procedures,
       d.timely_filing_proof,
       ARRAY(SELECT o.procedure_code FROM denials o
             WHERE o.claim_id = d.claim_id AND o.service_date = d.service_date AND o.id <> d.id)::text[] AS sibling_procedures,
       c.claim_number, c.payer_claim_number, c.provider_taxonomy,
       p.id AS payer_id, p.name AS payer_name, p.kind AS payer_kind, p.policy AS payer_policy
FROM denials d
JOIN claims c ON c.id = d.claim_id
JOIN payers p ON p.id = d.payer_id
WHERE d.id = ANY(@ids::bigint[])
  AND (cardinality(@statuses::text[]) = 0 OR d.status = ANY(@statuses::text[]))
ORDER BY d.id
FOR NO KEY UPDATE OF d FOR SHARE OF p;

-- name: AdjustmentsOfDenials :many
SELECT * FROM adjustments
WHERE denial_id = ANY(@denial_ids::bigint[])
ORDER BY denial_id, position;

-- name: RemarksOfDenials :many
SELECT * FROM remarks
WHERE denial_id = ANY(@denial_ids::bigint[])
ORDER BY denial_id, position;

-- name: RecordDecisions :exec
UPDATE denials d SET
    status        = u.status,
    category      = u.category,
    action        = u.action,
    rule_id       = u.rule_id,
    rationale     = u.rationale,
    reason_group  = nullif(u.reason_group, ''),
    reason_code   = nullif(u.reason_code, ''),
    denied_cents  = u.denied_cents,
    matched_rules = u.matched_rules,
    triaged_at    = now(),
    updated_at    = now()
FROM (
    SELECT unnest(@ids::bigint[]) AS id,
        unnest(@statuses::text[]) AS status,
        unnest(@categories::text[]) AS category,
        unnest(@actions::text[]) AS action,
        unnest(@rule_ids::text[]) AS rule_id,
        unnest(@rationales::text[]) AS rationale,
        unnest(@reason_groups::text[]) AS reason_group,
        unnest(@reason_codes::text[]) AS reason_code,
        unnest(@denied_cents::bigint[]) AS denied_cents,
        unnest(@matched_rules::jsonb[]) AS matched_rules
) AS u
WHERE d.id = u.id;

-- name: DenialByID :one
SELECT d.*, c.claim_number, c.payer_claim_number, c.patient_account, c.member_id,
       c.patient_name, c.provider_npi, c.provider_taxonomy,
       p.external_id AS payer_external_id, p.name AS payer_name, p.kind AS payer_kind
FROM denials d
JOIN claims c ON c.id = d.claim_id
JOIN payers p ON p.id = d.payer_id
WHERE d.id = @id;

-- name: AdjustmentsOfDenial :many
SELECT group_code, reason, amount_cents FROM adjustments
WHERE denial_id = @denial_id
ORDER BY position;

-- name: RemarksOfDenial :many
SELECT code FROM remarks
WHERE denial_id = @denial_id
ORDER BY position;

-- name: ListDenials :many
-- Keyset pagination, newest first: the page after cursor `after` holds smaller ids. An
-- empty filter list matches everything.
SELECT d.id, d.source_id, d.status, d.category, d.action, d.rule_id, d.procedure_code,
       d.service_date, d.remit_date, d.billed_cents, d.denied_cents, d.recovered_cents,
       c.claim_number, p.external_id AS payer_external_id, p.name AS payer_name,
       coalesce((SELECT u.name FROM tasks t JOIN users u ON u.id = t.assignee_id
         WHERE t.denial_id = d.id AND t.status IN ('open', 'in_progress', 'blocked')), '')::text AS assignee
FROM denials d
JOIN claims c ON c.id = d.claim_id
JOIN payers p ON p.id = d.payer_id
WHERE (cardinality(@statuses::text[]) = 0 OR d.status = ANY(@statuses::text[]))
  AND (cardinality(@categories::text[]) = 0 OR d.category = ANY(@categories::text[]))
  AND (cardinality(@payers::text[]) = 0 OR p.external_id = ANY(@payers::text[]))
  AND (sqlc.narg(assignee)::text IS NULL OR EXISTS (
        SELECT 1 FROM tasks t JOIN users u ON u.id = t.assignee_id
        WHERE t.denial_id = d.id AND u.name = sqlc.narg(assignee)::text
          AND t.status IN ('open', 'in_progress', 'blocked')))
  AND (sqlc.narg(remit_from)::date IS NULL OR d.remit_date >= sqlc.narg(remit_from)::date)
  AND (sqlc.narg(remit_to)::date IS NULL OR d.remit_date <= sqlc.narg(remit_to)::date)
  AND (sqlc.narg(service_from)::date IS NULL OR d.service_date >= sqlc.narg(service_from)::date)
  AND (sqlc.narg(service_to)::date IS NULL OR d.service_date <= sqlc.narg(service_to)::date)
  AND (sqlc.narg(after)::bigint IS NULL OR d.id < sqlc.narg(after)::bigint)
ORDER BY d.id DESC
LIMIT @max_rows;

-- name: RecoveryOutcomes :many
-- What became of the resolved denials of these payers, per category: the record the
-- chance of recovery learns from.
SELECT payer_id, category::text AS category,
       count(*) FILTER (WHERE status IN ('recovered', 'partially_recovered'))::integer AS recovered,
       count(*)::integer AS resolved
FROM denials
WHERE payer_id = ANY(@payer_ids::bigint[])
  AND status IN ('recovered', 'partially_recovered', 'written_off', 'billed_patient')
GROUP BY payer_id, category;

-- name: AnyDenial :one
SELECT EXISTS (SELECT 1 FROM denials);

-- name: UpdateDenialFacts :exec
-- Corrects the facts triage reads, ahead of a re-triage.
UPDATE denials SET
    diagnosis_codes     = @diagnosis_codes::text[],
    modifiers           = @modifiers::text[],
    units               = @units,
    timely_filing_proof = sqlc.narg(timely_filing_proof),
    updated_at          = now()
WHERE id = @id;

-- name: UpdateClaimTaxonomy :exec
UPDATE claims SET provider_taxonomy = sqlc.narg(provider_taxonomy), updated_at = now()
WHERE id = (SELECT claim_id FROM denials WHERE denials.id = @denial_id);

