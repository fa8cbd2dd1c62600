-- A contact's row says whether it has any consents, so that reading a contact (every key lookup)
-- skips the consents subquery for the many contacts without one. Consents are only ever added or
-- changed, never removed, so the flag is written with the contact and stays true.
alter table contacts add column has_consents boolean not null default false;

update contacts c set has_consents = true
where exists (select 1 from contact_consents cc where cc.contact_id = c.id);

alter table contacts alter column has_consents drop default;
