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

-- Stamp cards (the storefront's point cards): a purchase of a listed sku or article group fills a
-- slot, a return empties one, a full card assigns its promotion and the member starts a new card.
create table stamp_cards (
    id             uuid        primary key,
    name           text        not null,
    slots          integer     not null check (slots between 1 and 100),
    skus           text[]      not null default '{}',
    article_groups text[]      not null default '{}',
    promotion_id   uuid        not null,
    active         boolean     not null default true,
    created_at     timestamptz not null,
    updated_at     timestamptz not null
);

-- A member's progress on a card: stamps on the current card and cards completed.
create table stamp_card_progress (
    contact_id uuid        not null,
    card_id    uuid        not null references stamp_cards (id),
    stamps     integer     not null default 0,
    completed  integer     not null default 0,
    updated_at timestamptz not null,
    primary key (contact_id, card_id)
);

-- Receipts the stamp-card job has counted, so each counts exactly once.
create table stamp_card_receipts (
    receipt_id   uuid        primary key,
    counted_at   timestamptz not null
);
