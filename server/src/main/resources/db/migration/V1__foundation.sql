-- API keys: only a SHA-256 hash of each secret is stored.
create table api_keys (
    id          uuid        primary key,
    name        text        not null,
    scopes      text[]      not null,
    key_hash    bytea       not null unique,
    key_prefix  text        not null,
    bootstrap   boolean     not null default false,
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz
);
create unique index api_keys_one_bootstrap on api_keys (bootstrap) where bootstrap;

-- Contact types: the handle is matched case-insensitively.
create table contact_types (
    id                   text        primary key,
    name                 text        not null,
    key_attributes       text[]      not null,
    mandatory_attributes text[]      not null,
    custom_attributes    jsonb       not null default '[]',
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now()
);
create unique index contact_types_lower_id on contact_types (lower(id));

insert into contact_types (id, name, key_attributes, mandatory_attributes)
values ('Member', 'Member', '{email}', '{email}'),
       ('Contact', 'Contact', '{email}', '{email}');

create sequence member_number_seq start with 1000001;

create table contacts (
    id               uuid        primary key,
    contact_type_id  text        not null references contact_types (id),
    member_number    bigint      unique,
    approved         boolean     not null default true,
    first_name       text,
    last_name        text,
    email            text,
    mobile_phone     text,
    ssn_ciphertext   bytea,
    ssn_index        bytea,
    external_id      text,
    street           text,
    zip_code         text,
    city             text,
    care_of          text,
    country          text,
    country_code     text,
    birth_day        date,
    gender           text,
    created_in_store text,
    store            text,
    custom           jsonb       not null default '{}',
    accepts_email    boolean     not null default false,
    accepts_sms      boolean     not null default false,
    accepts_postal   boolean     not null default false,
    source           text,
    created_at       timestamptz not null,
    updated_at       timestamptz not null
);
create index contacts_email on contacts (email);
create index contacts_mobile_phone on contacts (mobile_phone);
create index contacts_ssn_index on contacts (ssn_index);
create index contacts_external_id on contacts (external_id);
create index contacts_type on contacts (contact_type_id);

-- The key attributes of each contact type are unique; the database enforces it here.
-- Personal identity numbers appear as the hex of their blind index, never in plain text.
create table contact_keys (
    contact_type_id text not null,
    attribute       text not null,
    value           text not null,
    contact_id      uuid not null references contacts (id) on delete cascade,
    primary key (contact_type_id, attribute, value)
);
create index contact_keys_contact on contact_keys (contact_id);

create table consent_definitions (
    id         text        primary key,
    name       text        not null,
    metadata   jsonb       not null default '{}',
    created_at timestamptz not null default now()
);

-- A consent goes from not set to true or false and never back: rows are upserted, never deleted
-- except with their contact.
create table contact_consents (
    contact_id uuid        not null references contacts (id) on delete cascade,
    consent_id text        not null references consent_definitions (id),
    value      boolean     not null,
    date       timestamptz not null,
    source     text,
    comment    text,
    primary key (contact_id, consent_id)
);

-- The changes outbox, written in the transaction of each change. tx is the writing transaction's
-- id: a reader only returns rows of transactions older than every running one, so the cursor
-- feed never skips a row that commits late.
create table contact_changes (
    tx          xid8        not null default pg_current_xact_id(),
    seq         bigint      generated always as identity,
    contact_id  uuid        not null,
    change_type text        not null check (change_type in ('Created', 'Updated', 'Deleted')),
    changed_at  timestamptz not null default now(),
    primary key (tx, seq)
);
create index contact_changes_time on contact_changes (change_type, changed_at);

create table bulk_batches (
    id              uuid        primary key,
    operation       text        not null,
    contact_type_id text        not null,
    status          text        not null,
    total           int         not null,
    succeeded       int         not null,
    failed          int         not null,
    rows            jsonb       not null,
    created_at      timestamptz not null,
    completed_at    timestamptz
);

-- Proof of the keys personal data was written with: a node whose keys differ refuses to start.
create table crypto_checks (
    name   text  primary key,
    sample bytea not null
);
