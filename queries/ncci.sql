-- name: UpsertNCCIEdits :execrows
-- Loads a quarter's procedure-to-procedure edits; a later file's deletion date or modifier
-- indicator replaces an earlier one's.
INSERT INTO ncci_edits (column1, column2, effective_date, deletion_date, modifier_indicator, rationale)
SELECT u.column1, u.column2, u.effective_date, nullif(u.deletion_date, '')::date, u.modifier_indicator, u.rationale
FROM (
    SELECT unnest(@column1::text[]) AS column1,
        unnest(@column2::text[]) AS column2,
        unnest(@effective_dates::date[]) AS effective_date,
        unnest(@deletion_dates::text[]) AS deletion_date,
        unnest(@modifier_indicators::smallint[]) AS modifier_indicator,
        unnest(@rationales::text[]) AS rationale
) AS u
ON CONFLICT (column1, column2, effective_date) DO UPDATE SET
    deletion_date      = excluded.deletion_date,
    modifier_indicator = excluded.modifier_indicator,
    rationale          = excluded.rationale;

-- name: UpsertMUELimits :execrows
INSERT INTO mue_limits (code, units, adjudication_indicator, rationale)
SELECT u.code, u.units, nullif(u.adjudication_indicator, 0), u.rationale
FROM (
    SELECT unnest(@codes::text[]) AS code,
        unnest(@units::integer[]) AS units,
        unnest(@adjudication_indicators::smallint[]) AS adjudication_indicator,
        unnest(@rationales::text[]) AS rationale
) AS u
ON CONFLICT (code) DO UPDATE SET
    units                  = excluded.units,
    adjudication_indicator = excluded.adjudication_indicator,
    rationale              = excluded.rationale,
    updated_at             = now();

-- name: EditsAmong :many
-- The edits between any two of these codes; the caller keeps those in force on the day.
SELECT column1, column2, effective_date, deletion_date, modifier_indicator
FROM ncci_edits
WHERE column1 = ANY(@codes::text[]) AND column2 = ANY(@codes::text[]);

-- name: MUELimits :many
SELECT code, units FROM mue_limits
WHERE code = ANY(@codes::text[]);
