-- Webhook subscriptions. The signing secret is stored encrypted with the personal-data key ring;
-- it is shown once, when the subscription is created. An empty event_types means every type.
create table webhook_subscriptions (
    id                uuid        primary key,
    url               text        not null,
    event_types       text[]      not null default '{}',
    secret_ciphertext bytea       not null,
    created_at        timestamptz not null
);

-- The events outbox, one row per event, written in the transaction of the change it reports.
-- (tx, seq) is the order of the feed: tx is the writing transaction's id, and a reader only takes
-- rows of transactions older than every running one, so an event that commits late with a lower
-- position is never skipped.
create table webhook_events (
    tx          xid8        not null default pg_current_xact_id(),
    seq         bigint      generated always as identity,
    id          uuid        not null unique,
    type        text        not null,
    contact_id  uuid,
    data        jsonb       not null,
    occurred_at timestamptz not null,
    primary key (tx, seq)
);
create index webhook_events_time on webhook_events (occurred_at);

-- How far the fan-out has read the outbox: one row, locked by the node that fans out.
create table webhook_fanout_cursor (
    id  int    primary key check (id = 1),
    tx  xid8   not null,
    seq bigint not null
);
insert into webhook_fanout_cursor (id, tx, seq) values (1, '0'::xid8, 0);

-- One delivery per subscription and event. A node claims a due delivery by setting a lease; a
-- node that dies lets its lease run out and another node retries. Deliveries of one contact to
-- one subscription go out in (event_tx, event_seq) order: a pending delivery blocks the later
-- ones of its contact until it is delivered or given up.
create table webhook_deliveries (
    subscription_id uuid        not null references webhook_subscriptions (id) on delete cascade,
    event_id        uuid        not null references webhook_events (id),
    event_tx        xid8        not null,
    event_seq       bigint      not null,
    contact_id      uuid,
    status          text        not null default 'pending'
                                check (status in ('pending', 'delivered', 'failed')),
    attempts        int         not null default 0,
    failures        int         not null default 0,
    queued_at       timestamptz not null,
    next_attempt_at timestamptz not null,
    leased_until    timestamptz,
    lease           uuid,
    last_status     int,
    last_error      text,
    finished_at     timestamptz,
    primary key (subscription_id, event_id)
);
create index webhook_deliveries_due on webhook_deliveries (subscription_id, next_attempt_at)
    where status = 'pending';
create index webhook_deliveries_contact_order
    on webhook_deliveries (subscription_id, contact_id, event_tx, event_seq)
    where status = 'pending' and contact_id is not null;
create index webhook_deliveries_event on webhook_deliveries (event_id);
create index webhook_deliveries_finished on webhook_deliveries (finished_at)
    where finished_at is not null;

-- Every attempt of a delivery: when, how long, the HTTP status or the error.
create table webhook_attempts (
    subscription_id uuid        not null,
    event_id        uuid        not null,
    attempt         int         not null,
    attempted_at    timestamptz not null,
    duration_ms     int         not null,
    http_status     int,
    error           text,
    primary key (subscription_id, event_id, attempt),
    foreign key (subscription_id, event_id)
        references webhook_deliveries (subscription_id, event_id) on delete cascade
);
