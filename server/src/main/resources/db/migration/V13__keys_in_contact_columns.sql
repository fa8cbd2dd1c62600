-- Keys kept in the contact's own columns (docs/performance.md, "Ninth session").
--
-- A key of e-mail, mobile phone or external id was stored twice: in the contact's column, indexed
-- with the type for lookups, and as a key row whose primary key kept it unique. The key row and
-- its two index entries were the largest part of a bulk import's cost after the contact row.
--
-- Now the column's own index on (column, type) keeps these keys unique. key_columns tells, for
-- each contact, which of its columns are keys of its type (1 e-mail, 2 mobile phone, 4 external
-- id). The index's third part is null for a key, so two contacts of one type with the same key
-- collide (nulls not distinct), and the contact's id otherwise, so shared values that are not
-- keys never do. A type's keys cannot change while it has contacts, so key_columns is written
-- with the contact and when it changes type. Key rows remain for other keys (personal identity
-- numbers, custom attributes).
alter table contacts add column key_columns smallint not null default 0;

update contacts c
set key_columns = (case when 'email' = any(t.key_attributes) then 1 else 0 end)
                | (case when 'mobilePhone' = any(t.key_attributes) then 2 else 0 end)
                | (case when 'externalId' = any(t.key_attributes) then 4 else 0 end)
from contact_types t
where t.id = c.contact_type_id
  and t.key_attributes && '{email,mobilePhone,externalId}';

create unique index contacts_email_key
    on contacts (email, contact_type_id, (case when key_columns & 1 = 0 then id end))
    nulls not distinct where email is not null;
drop index contacts_email_type;

create unique index contacts_mobile_phone_key
    on contacts (mobile_phone, contact_type_id, (case when key_columns & 2 = 0 then id end))
    nulls not distinct where mobile_phone is not null;
drop index contacts_mobile_phone_type;

create unique index contacts_external_id_key
    on contacts (external_id, contact_type_id, (case when key_columns & 4 = 0 then id end))
    nulls not distinct where external_id is not null;
drop index contacts_external_id_type;

delete from contact_keys where attribute in ('email', 'mobilePhone', 'externalId');
