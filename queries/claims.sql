-- name: UpsertClaims :many
-- Records the claims of newly posted lines. A claim seen before keeps what it knew unless
-- the new line says more (a payer claim number, a taxonomy that was missing).
INSERT INTO claims (payer_id, claim_number, payer_claim_number, patient_account, member_id,
                    patient_name, provider_npi, provider_taxonomy)
SELECT u.payer_id, u.claim_number, nullif(u.payer_claim_number, ''), nullif(u.patient_account, ''),
       nullif(u.member_id, ''), nullif(u.patient_name, ''), nullif(u.provider_npi, ''),
       nullif(u.provider_taxonomy, '')
FROM (
    SELECT unnest(@payer_ids::bigint[]) AS payer_id,
        unnest(@claim_numbers::text[]) AS claim_number,
        unnest(@payer_claim_numbers::text[]) AS payer_claim_number,
        unnest(@patient_accounts::text[]) AS patient_account,
        unnest(@member_ids::text[]) AS member_id,
        unnest(@patient_names::text[]) AS patient_name,
        unnest(@provider_npis::text[]) AS provider_npi,
        unnest(@provider_taxonomies::text[]) AS provider_taxonomy
) AS u
ON CONFLICT (payer_id, claim_number) DO UPDATE SET
    payer_claim_number = coalesce(excluded.payer_claim_number, claims.payer_claim_number),
    patient_account    = coalesce(excluded.patient_account, claims.patient_account),
    member_id          = coalesce(excluded.member_id, claims.member_id),
    patient_name       = coalesce(excluded.patient_name, claims.patient_name),
    provider_npi       = coalesce(excluded.provider_npi, claims.provider_npi),
    provider_taxonomy  = coalesce(excluded.provider_taxonomy, claims.provider_taxonomy),
    updated_at         = now()
RETURNING id, payer_id, claim_number;
