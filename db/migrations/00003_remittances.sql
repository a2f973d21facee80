-- X12 835 remittances: the raw files as received, what each claim and service line in them
-- became, and the recoveries recorded on denials, whether from a later remittance or by hand.

-- +goose Up
create table remittances (
    id            bigint generated always as identity primary key,
    -- The file's SHA-256: the same content again is the same remittance and changes nothing.
    sha256        bytea not null unique check (length(sha256) = 32),
    content       bytea not null check (length(content) > 0),
    filename      text check (filename <> ''),
    actor         text not null check (actor <> ''),
    actor_user_id bigint references users (id),
    -- The transaction sets (ST/SE) of the file: control number, payer, payee, payment.
    transactions  jsonb not null default '[]'::jsonb check (jsonb_typeof(transactions) = 'array'),
    -- Oddities of the file that were accepted, each naming its segment.
    warnings      jsonb not null default '[]'::jsonb check (jsonb_typeof(warnings) = 'array'),
    claims        integer not null check (claims >= 0),
    lines         integer not null check (lines >= 0),
    created_at    timestamptz not null default now()
);

create table remittance_claims (
    remittance_id          bigint not null references remittances (id),
    position               integer not null check (position >= 0),
    transaction_control    text not null,
    payer_id               bigint references payers (id),
    payer_name             text not null,
    remit_date             date,
    patient_control_number text not null,
    payer_claim_number     text not null default '',
    status                 text not null,
    charge_cents           bigint not null,
    paid_cents             bigint not null,
    patient_cents          bigint not null,
    primary key (remittance_id, position)
);

create table remittance_lines (
    remittance_id  bigint not null,
    claim_position integer not null,
    -- The line's place in its claim; a claim with no service lines has one entry at 0
    -- standing for the claim itself (with no procedure).
    position       integer not null check (position >= 0),
    procedure_code text not null default '',
    modifiers      text[] not null default '{}',
    service_date   date,
    control_number text not null default '',
    charge_cents   bigint not null,
    paid_cents     bigint not null,
    adjustments    jsonb not null default '[]'::jsonb check (jsonb_typeof(adjustments) = 'array'),
    remarks        text[] not null default '{}',
    -- What the line became: a denial (new, or one seen before), a recovery on a denial, the
    -- reversal of one, or nothing Reclaim could match, for a person to look at.
    outcome        text not null check (outcome in ('denied', 'duplicate', 'recovered', 'reversed', 'unmatched')),
    detail         text not null default '',
    denial_id      bigint references denials (id),
    primary key (remittance_id, claim_position, position),
    foreign key (remittance_id, claim_position) references remittance_claims (remittance_id, position),
    check ((outcome = 'unmatched') = (denial_id is null))
);

create index remittance_lines_unmatched on remittance_lines (remittance_id, claim_position, position)
    where outcome = 'unmatched';
create index remittance_lines_denial on remittance_lines (denial_id) where denial_id is not null;

create table recoveries (
    id                  bigint generated always as identity primary key,
    denial_id           bigint not null references denials (id),
    -- Positive for a payment; negative for the reversal of one.
    amount_cents        bigint not null check (amount_cents <> 0),
    paid_on             date not null,
    reference           text check (reference <> ''),
    source              text not null check (source in ('remittance', 'manual')),
    -- A payment from a remittance is recorded once however often it arrives: the payer,
    -- the payment trace, the claim, its status and the line identify it.
    source_key          text unique check (source_key <> ''),
    remittance_id       bigint,
    claim_position      integer,
    line_position       integer,
    -- A reversal names the payment it undoes; a payment is reversed at most once.
    reverses_id         bigint unique references recoveries (id),
    -- What the payment closed, so that its reversal can reopen it.
    prior_status        text not null,
    closed_deadline_ids bigint[] not null default '{}',
    closed_task_id      bigint references tasks (id),
    closed_task_status  text,
    actor               text not null check (actor <> ''),
    actor_user_id       bigint references users (id),
    created_at          timestamptz not null default now(),
    foreign key (remittance_id, claim_position, line_position)
        references remittance_lines (remittance_id, claim_position, position),
    check ((source = 'remittance') = (remittance_id is not null)),
    check ((amount_cents < 0) = (reverses_id is not null))
);

create index recoveries_denial on recoveries (denial_id, id);

-- +goose Down
drop table recoveries;
drop table remittance_lines;
drop table remittance_claims;
drop table remittances;
