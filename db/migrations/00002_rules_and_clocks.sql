-- Facts the 97026 rule pack reads beyond the line itself, NCCI edits and MUE limits loaded
-- from CMS's quarterly files, and what the clock sweeper keeps on tasks.

-- +goose Up
-- Other procedures billed on the same claim and date of service, as the billing system
-- or the remittance said; bundling edits are checked against them.
alter table denials add column other_procedures text[] not null default '{}'
    check (cardinality(other_procedures) <= 50);
-- A reference to the proof of timely filing, once a specialist records one: with it, a
-- late-filing denial is worth a reopening.
alter table denials add column timely_filing_proof text check (timely_filing_proof <> '');

-- When the sweeper found the task's deadline inside its buffer and raised it.
alter table tasks add column escalated_at timestamptz;

-- The decision an appeal level's clock counts from (levels 2 to 5), kept so a policy
-- change can recompute the clock.
alter table deadlines add column decision_date date;

-- NCCI procedure-to-procedure edits (practitioner), as CMS publishes them each quarter.
create table ncci_edits (
    column1            text not null check (column1 ~ '^[A-Z0-9]{5}$'),
    column2            text not null check (column2 ~ '^[A-Z0-9]{5}$'),
    effective_date     date not null,
    deletion_date      date check (deletion_date is null or deletion_date >= effective_date),
    -- 0: the pair can never be billed together; 1: a bypass modifier may apply;
    -- 9: the edit does not apply.
    modifier_indicator smallint not null check (modifier_indicator in (0, 1, 9)),
    rationale          text not null default '',
    primary key (column1, column2, effective_date)
);

create index ncci_edits_column2 on ncci_edits (column2, column1);

-- Medically unlikely edits: the units of a code payable per day of service.
create table mue_limits (
    code                   text primary key check (code ~ '^[A-Z0-9]{5}$'),
    units                  integer not null check (units >= 0),
    adjudication_indicator smallint check (adjudication_indicator in (1, 2, 3)),
    rationale              text not null default '',
    updated_at             timestamptz not null default now()
);

-- +goose Down
drop table mue_limits;
drop table ncci_edits;
alter table deadlines drop column decision_date;
alter table tasks drop column escalated_at;
alter table denials drop column timely_filing_proof;
alter table denials drop column other_procedures;
