-- Storefront GraphQL and the headless Loyalty API.

-- The storefront (storefront scope) or shop (loyalty scope) a key acts for; null: the default one.
alter table api_keys add column binding text;

-- Storefronts: how a shopper's key is matched, which countries may activate, required fields.
-- An empty countries array accepts every country.
create table storefronts (
    id              text        primary key,
    lookup_key      text        not null check (lookup_key in ('email', 'phone', 'pid')),
    countries       text[]      not null default '{}',
    required_fields text[]      not null default '{}',
    updated_at      timestamptz not null default now()
);
insert into storefronts (id, lookup_key, countries, required_fields)
values ('default', 'email', '{}', '{firstName,lastName,email}');

-- A contact's account in a storefront. Keyed by contact first, so it distributes with contacts.
-- password_version grows with every password set: it invalidates e-mailed password tokens and
-- the full logins issued before.
create table storefront_accounts (
    contact_id       uuid        not null,
    storefront_id    text        not null references storefronts (id),
    password_hash    text,
    password_version integer     not null default 0,
    activated_at     timestamptz not null,
    activated_by     text        not null,
    password_set_at  timestamptz,
    primary key (contact_id, storefront_id)
);

-- Shops of the Loyalty API: the currencies vouchers must be priced in and the discount codes the
-- shop has for ECOM EXTERNALOFFER promotions.
create table loyalty_shops (
    id             text        primary key,
    currencies     text[]      not null default '{}',
    discount_codes text[]      not null default '{}',
    updated_at     timestamptz not null default now()
);
