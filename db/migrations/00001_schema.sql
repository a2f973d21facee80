-- Reclaim's schema: payers and their policy, claims and their denied lines, the triage
-- decision, deadlines, correction tasks in work queues, users with API keys, and an
-- append-only event log. The database protects the data: every state, category, action and
-- amount is checked here as well as in Go, so no code path can store something impossible.

-- +goose Up
create table payers (
    id          bigint generated always as identity primary key,
    external_id text not null unique check (external_id <> ''),
    name        text not null check (name <> ''),
    kind        text not null check (kind in ('medicare', 'medicare_advantage', 'medicaid', 'commercial', 'other')),
    -- Overrides of the kind's default policy (windows, anchors, corrected claims, receipt
    -- grace); an empty object means the defaults of the kind apply.
    policy      jsonb not null default '{}'::jsonb check (jsonb_typeof(policy) = 'object'),
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);

create table claims (
    id                 bigint generated always as identity primary key,
    payer_id           bigint not null references payers (id),
    -- The billing system's claim id (CLP01, patient control number).
    claim_number       text not null check (claim_number <> ''),
    -- The payer's claim control number (CLP07, ICN); needed for corrected claims.
    payer_claim_number text check (payer_claim_number <> ''),
    patient_account    text,
    member_id          text,
    patient_name       text,
    provider_npi       text check (provider_npi ~ '^[0-9]{10}$'),
    provider_taxonomy  text check (provider_taxonomy ~ '^[0-9A-Z]{9}X$'),
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    unique (payer_id, claim_number)
);

create index claims_payer_claim_number on claims (payer_id, payer_claim_number);

create table denials (
    id              bigint generated always as identity primary key,
    -- The billing system's id for this denied line; the idempotency key of ingest.
    source_id       text not null unique check (source_id <> '' and length(source_id) <= 200),
    claim_id        bigint not null references claims (id),
    payer_id        bigint not null references payers (id),
    service_date    date not null,
    procedure_code  text not null check (procedure_code ~ '^[A-Z0-9]{5}$'),
    modifiers       text[] not null default '{}' check (cardinality(modifiers) <= 4),
    units           integer not null default 1 check (units >= 1),
    diagnosis_codes text[] not null default '{}' check (cardinality(diagnosis_codes) <= 12),
    billed_cents    bigint not null check (billed_cents >= 0),
    paid_cents      bigint not null default 0 check (paid_cents >= 0),
    -- Sum of the denial adjustments (CO, PI and OA beyond contractual), set by triage.
    denied_cents    bigint not null default 0 check (denied_cents >= 0),
    recovered_cents bigint not null default 0 check (recovered_cents >= 0),
    remit_date      date not null,
    received_date   date,
    status          text not null default 'new' check (status in (
        'new', 'open', 'in_progress', 'resubmitted', 'appealed', 'recovered',
        'partially_recovered', 'written_off', 'billed_patient', 'closed')),
    category        text check (category in (
        'medical_necessity', 'non_covered', 'experimental', 'bundling', 'modifier',
        'documentation', 'frequency', 'authorization', 'eligibility',
        'coordination_of_benefits', 'timely_filing', 'duplicate', 'coding',
        'provider_eligibility', 'patient_responsibility', 'contractual', 'other')),
    action          text check (action in (
        'appeal', 'reopening', 'corrected_claim', 'new_claim', 'rebill_other_payer',
        'bill_patient', 'write_off', 'review', 'none')),
    -- The rule that decided, a sentence saying why, and the adjustment read as the reason.
    rule_id         text,
    rationale       text,
    reason_group    text check (reason_group in ('CO', 'PR', 'OA', 'PI')),
    reason_code     text,
    -- Every rule that matched, in precedence order, as the decision recorded it.
    matched_rules   jsonb not null default '[]'::jsonb check (jsonb_typeof(matched_rules) = 'array'),
    triaged_at      timestamptz,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    -- A triaged denial always has its decision; an untriaged one has none.
    check ((status = 'new') = (category is null)),
    check ((category is null) = (action is null)),
    check ((category is null) = (rule_id is null)),
    check ((category is null) = (triaged_at is null))
);

create index denials_status on denials (status, id);
create index denials_payer on denials (payer_id, id);
create index denials_category on denials (category, id);
create index denials_remit_date on denials (remit_date, id);
create index denials_claim on denials (claim_id);
create index denials_outcomes on denials (payer_id, category, status)
    where status in ('recovered', 'partially_recovered', 'written_off', 'billed_patient');

create table adjustments (
    denial_id    bigint not null references denials (id),
    position     smallint not null check (position >= 0),
    group_code   text not null check (group_code in ('CO', 'PR', 'OA', 'PI')),
    reason       text not null check (reason ~ '^[A-Z0-9]{1,5}$'),
    amount_cents bigint not null check (amount_cents >= 0),
    primary key (denial_id, position)
);

create table remarks (
    denial_id bigint not null references denials (id),
    position  smallint not null check (position >= 0),
    code      text not null check (code ~ '^[A-Z0-9]{2,6}$'),
    primary key (denial_id, position)
);

create table deadlines (
    id            bigint generated always as identity primary key,
    denial_id     bigint not null references denials (id),
    kind          text not null check (kind in (
        'appeal_1', 'appeal_2', 'appeal_3', 'appeal_4', 'appeal_5',
        'reopening', 'corrected_claim', 'timely_filing')),
    -- What the window counts from, the date that was, and the window itself, so a specialist
    -- can check the arithmetic.
    anchor        text not null check (anchor in (
        'remit_date', 'receipt', 'service_date', 'decision', 'decision_receipt')),
    anchor_date   date not null,
    window_days   integer not null default 0 check (window_days >= 0),
    window_months integer not null default 0 check (window_months >= 0),
    due_date      date not null check (due_date >= anchor_date),
    status        text not null default 'open' check (status in ('open', 'met', 'missed', 'closed')),
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    closed_at     timestamptz,
    check (window_days > 0 or window_months > 0),
    check ((status = 'open') = (closed_at is null))
);

-- One running clock of each kind per denial; closed, met and missed ones stay as history.
create unique index deadlines_one_open_per_kind on deadlines (denial_id, kind) where status = 'open';
create index deadlines_denial on deadlines (denial_id);
create index deadlines_open_due on deadlines (due_date, id) where status = 'open';

create table users (
    id             bigint generated always as identity primary key,
    name           text not null unique check (name ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$'),
    role           text not null check (role in ('billing', 'specialist', 'manager', 'admin')),
    active         boolean not null default true,
    created_at     timestamptz not null default now(),
    deactivated_at timestamptz,
    check (active = (deactivated_at is null))
);

create table api_keys (
    id           bigint generated always as identity primary key,
    user_id      bigint not null references users (id),
    -- The key's public prefix, enough to name it in a listing or a revocation.
    prefix       text not null unique,
    -- SHA-256 of the whole key; the key itself is shown once and never stored.
    hash         bytea not null unique check (octet_length(hash) = 32),
    created_at   timestamptz not null default now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);

create index api_keys_user on api_keys (user_id);

create table queues (
    id          bigint generated always as identity primary key,
    name        text not null unique check (name ~ '^[a-z][a-z0-9_-]{0,39}$'),
    description text not null default '',
    created_at  timestamptz not null default now()
);

-- Which queue a category's tasks land in; an admin can change the routing.
create table queue_routes (
    category text primary key check (category in (
        'medical_necessity', 'non_covered', 'experimental', 'bundling', 'modifier',
        'documentation', 'frequency', 'authorization', 'eligibility',
        'coordination_of_benefits', 'timely_filing', 'duplicate', 'coding',
        'provider_eligibility', 'patient_responsibility', 'contractual', 'other')),
    queue_id bigint not null references queues (id)
);

create table queue_members (
    queue_id   bigint not null references queues (id),
    user_id    bigint not null references users (id),
    created_at timestamptz not null default now(),
    primary key (queue_id, user_id)
);

create index queue_members_user on queue_members (user_id);

create table tasks (
    id               bigint generated always as identity primary key,
    denial_id        bigint not null references denials (id),
    kind             text not null check (kind in (
        'appeal', 'reopening', 'corrected_claim', 'new_claim', 'rebill_other_payer',
        'bill_patient', 'write_off', 'review')),
    queue_id         bigint not null references queues (id),
    assignee_id      bigint references users (id),
    status           text not null default 'open' check (status in ('open', 'in_progress', 'blocked', 'done', 'cancelled')),
    -- Expected recovery weighted by urgency, in points; the reasons say how it was reached.
    priority         bigint not null default 0 check (priority >= 0),
    priority_reasons jsonb not null default '[]'::jsonb check (jsonb_typeof(priority_reasons) = 'array'),
    due_date         date not null,
    title            text not null check (title <> ''),
    instructions     text not null default '',
    checklist        jsonb not null default '[]'::jsonb check (jsonb_typeof(checklist) = 'array'),
    blocked_reason   text,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    started_at       timestamptz,
    completed_at     timestamptz,
    check ((status = 'blocked') = (blocked_reason is not null)),
    check ((status in ('done', 'cancelled')) = (completed_at is not null))
);

-- One piece of live work per denial: a retried or concurrent triage can never make a second.
create unique index tasks_one_active_per_denial on tasks (denial_id)
    where status in ('open', 'in_progress', 'blocked');
create index tasks_assignee_active on tasks (assignee_id)
    where status in ('open', 'in_progress', 'blocked');
create index tasks_queue_open on tasks (queue_id, priority desc, id)
    where status = 'open';

create table events (
    id            bigint generated always as identity primary key,
    denial_id     bigint references denials (id),
    task_id       bigint references tasks (id),
    actor_user_id bigint references users (id),
    -- Who did it: a user's name, or system:<component> for Reclaim's own jobs.
    actor         text not null check (actor <> ''),
    kind          text not null check (kind ~ '^[a-z][a-z_.]*$'),
    detail        jsonb not null default '{}'::jsonb check (jsonb_typeof(detail) = 'object'),
    created_at    timestamptz not null default now()
);

create index events_denial on events (denial_id, id);
create index events_task on events (task_id, id) where task_id is not null;

-- +goose StatementBegin
create function events_append_only() returns trigger
language plpgsql as $$
begin
    raise exception 'events are append-only: % is not allowed', tg_op;
end;
$$;
-- +goose StatementEnd

create trigger events_append_only
    before update or delete on events
    for each row execute function events_append_only();

insert into queues (name, description) values
    ('clinical', 'Medical necessity, non-covered, experimental and frequency denials'),
    ('coding', 'Coding, modifier and bundling denials'),
    ('documentation', 'Missing or deficient records'),
    ('coverage', 'Eligibility, coordination of benefits, authorization, provider eligibility, timely filing, duplicates'),
    ('review', 'Everything else: a specialist decides');

insert into queue_routes (category, queue_id)
select c.category, q.id
from (values
    ('medical_necessity', 'clinical'), ('non_covered', 'clinical'), ('experimental', 'clinical'),
    ('frequency', 'clinical'), ('coding', 'coding'), ('modifier', 'coding'), ('bundling', 'coding'),
    ('documentation', 'documentation'), ('eligibility', 'coverage'),
    ('coordination_of_benefits', 'coverage'), ('authorization', 'coverage'),
    ('provider_eligibility', 'coverage'), ('timely_filing', 'coverage'), ('duplicate', 'coverage'),
    ('other', 'review'), ('patient_responsibility', 'review'), ('contractual', 'review')
) as c (category, queue)
join queues q on q.name = c.queue;

-- +goose Down
drop table events;
drop function events_append_only;
drop table tasks;
drop table queue_members;
drop table queue_routes;
drop table queues;
drop table api_keys;
drop table users;
drop table deadlines;
drop table remarks;
drop table adjustments;
drop table denials;
drop table claims;
drop table payers;
