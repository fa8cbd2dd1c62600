-- Personal promotions: definitions (Engage's multichannel promotions) and the instances assigned
-- to contacts. A definition's status is not stored: Draft while activated_at is null, otherwise
-- Scheduled / Active / Ended by its dates when read.
create table promotions (
    id               uuid        primary key,
    external_id      text        unique,
    name             text        not null,
    start_date       timestamptz not null,
    end_date         timestamptz,
    assigned_unit    text        check (assigned_unit in ('Days', 'Months')),
    assigned_amount  int         check (assigned_amount >= 1),
    heading          text,
    description      text,
    link             text,
    -- [{type, valueType, value, currency, instruction, localValues}], each type at most once
    channels         jsonb       not null default '[]',
    activated_at     timestamptz,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    check (end_date is null or end_date > start_date),
    check ((assigned_unit is null) = (assigned_amount is null))
);

-- One instance per contact and promotion: assigning again returns the same instance. Redeeming
-- sets redeemed_at once, by a conditional update, so racing redemptions have one effect.
create table promotion_assignments (
    id                  uuid        primary key,
    promotion_id        uuid        not null references promotions (id),
    contact_id          uuid        not null,
    assigned_at         timestamptz not null,
    expires_on          timestamptz,
    redeemed_at         timestamptz,
    redeemed_channel    text        check (redeemed_channel in ('POS', 'ECOM', 'OTHER')),
    redeemed_receipt_id uuid,
    -- the Idempotency-Key of the redeeming request, so its retry is answered like the first call
    redemption_key      text,
    unique (contact_id, promotion_id),
    check (redeemed_at is not null or
           (redeemed_channel is null and redeemed_receipt_id is null and redemption_key is null))
);
create index promotion_assignments_promotion on promotion_assignments (promotion_id);
create index promotion_assignments_receipt on promotion_assignments (redeemed_receipt_id)
    where redeemed_receipt_id is not null;
