create table stores (
    external_id text        primary key,
    name        text        not null,
    type        text,
    active      boolean     not null default true,
    details     jsonb       not null default '{}',
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);

-- The programme: one row, replaced as a whole; receipts read it in their own transaction.
create table loyalty_program (
    id         int         primary key default 1 check (id = 1),
    program    jsonb       not null,
    updated_at timestamptz not null default now()
);

create table receipts (
    id                uuid        primary key,
    unique_receipt_id text        not null unique,
    contact_id        uuid,
    match_key_type    text        not null,
    match_key         text        not null,
    contact_type_id   text,
    receipt_number    text        not null,
    created_date      timestamptz not null,
    store_external_id text        not null,
    currency          text        not null,
    exchange_rate     numeric     not null,
    total_gross_price numeric     not null,
    group_amount      numeric     not null default 0,
    points            bigint      not null default 0,
    -- What the receipt's purchases earned and cost, and what later returns took back of them:
    -- levels count the net at the purchase date.
    earned_points     bigint      not null default 0,
    purchase_amount   numeric     not null default 0,
    points_returned   bigint      not null default 0,
    amount_returned   numeric     not null default 0,
    payload           jsonb       not null,
    status            text        not null check (status in ('Processed', 'Unmatched')),
    received_at       timestamptz not null,
    processed_at      timestamptz,
    -- when the attach-unmatched job last tried to find this receipt's contact
    retried_at        timestamptz
);
create index receipts_contact on receipts (contact_id, created_date);
create index receipts_unmatched on receipts (match_key_type, match_key) where contact_id is null;
create index receipts_retry on receipts (retried_at nulls first) where contact_id is null;

create table receipt_lines (
    id                uuid        primary key,
    receipt_id        uuid        not null references receipts (id),
    contact_id        uuid        not null,
    line_index        int         not null,
    type              text        not null,
    sku               text        not null,
    quantity          numeric     not null,
    gross_paid_price  numeric     not null,
    group_amount      numeric     not null,
    points            bigint      not null,
    returned_quantity numeric     not null default 0,
    points_taken_back bigint      not null default 0,
    created_date      timestamptz not null
);
create index receipt_lines_returnable on receipt_lines (contact_id, sku, created_date desc)
    where type = 'PURCHASE';
create index receipt_lines_receipt on receipt_lines (receipt_id);

-- The points ledger: append-only. A balance is the sum of its movements; pending points have
-- valid_from in the future.
create table point_movements (
    id          bigint      generated always as identity primary key,
    contact_id  uuid        not null,
    amount      bigint      not null,
    type        text        not null,
    reason      text        not null,
    receipt_id  uuid,
    voucher_id  uuid,
    source      text,
    valid_from  timestamptz not null,
    expires_at  timestamptz,
    created_at  timestamptz not null
);
create index point_movements_contact on point_movements (contact_id, id);
create index point_movements_receipt on point_movements (receipt_id) where receipt_id is not null;

-- What is left of each earning: derived from the ledger, so points can be spent oldest-expiry
-- first and expired when unspent.
create table point_lots (
    movement_id bigint      primary key references point_movements (id),
    contact_id  uuid        not null,
    remaining   bigint      not null check (remaining >= 0),
    valid_from  timestamptz not null,
    expires_at  timestamptz,
    earned_at   timestamptz not null,
    -- false while pending: when it turns true the member's balance may reach a voucher
    activated   boolean     not null
);
create index point_lots_pending on point_lots (valid_from) where not activated;
create index point_lots_open on point_lots (contact_id) where remaining > 0;
create index point_lots_expiring on point_lots (expires_at) where remaining > 0;

-- One point account per member. total is a cache of the sum of the member's movements; every
-- receipt for the member locks this row, which serialises a member's receipts.
create table point_accounts (
    id            bigint      generated always as identity primary key,
    contact_id    uuid        not null unique,
    total         bigint      not null default 0,
    last_activity timestamptz,
    updated_at    timestamptz not null default now()
);

create sequence voucher_number_seq start with 100000001;

create table vouchers (
    id                  uuid        primary key,
    contact_id          uuid        not null,
    check_number        text        not null unique,
    name                text        not null,
    value               numeric     not null,
    currency            text        not null,
    points              bigint      not null,
    created_at          timestamptz not null,
    expires_on          timestamptz not null,
    redeemed_at         timestamptz,
    redeemed_receipt_id uuid,
    reactivations       int         not null default 0,
    expired_at          timestamptz
);
create index vouchers_contact on vouchers (contact_id, created_at);
create index vouchers_redeemed_on on vouchers (redeemed_receipt_id) where redeemed_receipt_id is not null;
create index vouchers_expiring on vouchers (expires_on) where redeemed_at is null and expired_at is null;

create table member_levels (
    contact_id uuid        primary key,
    tier_id    text        not null,
    value      bigint      not null,
    since      timestamptz not null,
    expires_at timestamptz,
    updated_at timestamptz not null
);
create index member_levels_expiring on member_levels (expires_at) where expires_at is not null;

-- Idempotency-Key of POST /api/v2/point-accounts/transactions, kept 24 hours.
create table idempotency_keys (
    key          text        primary key,
    request_hash bytea       not null,
    status       int         not null,
    response     jsonb       not null,
    created_at   timestamptz not null default now()
);

-- db-scheduler's table (its documented PostgreSQL schema).
create table scheduled_tasks (
    task_name            text                     not null,
    task_instance        text                     not null,
    task_data            bytea,
    execution_time       timestamp with time zone not null,
    picked               boolean                  not null,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures int,
    last_heartbeat       timestamp with time zone,
    version              bigint                   not null,
    priority             smallint,
    primary key (task_name, task_instance)
);
create index execution_time_idx on scheduled_tasks (execution_time);
create index last_heartbeat_idx on scheduled_tasks (last_heartbeat);
create index priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc);
