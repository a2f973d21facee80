-- Indexes for the managers' listings at scale: every deadline soonest first whatever its
-- status (GET /v1/deadlines?status=missed), and the open denials of each payer
-- (GET /v1/payers).

-- +goose Up
create index deadlines_due on deadlines (due_date, id);
create index denials_payer_status on denials (payer_id, status);

-- +goose Down
drop index denials_payer_status;
drop index deadlines_due;
