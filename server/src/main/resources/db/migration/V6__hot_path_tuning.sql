-- Tuning of the hot paths (receipts, lookups, bulk imports), from the benchmark (docs/performance.md).
--
-- A receipt's key is looked up together with the contact type. With one index per column the
-- planner may combine the key's index with the type's (every member) when statistics are missing,
-- as right after a bulk import; an index on key and type is chosen either way.
--
-- Optional keys (phone, personal number, external id) are indexed only where present: most
-- contacts lack some of them, and a bulk import then writes fewer index entries. The type's own
-- index goes: two or three types make it useless for finding rows, and counting a type reads the
-- table either way.
create index contacts_email_type on contacts (email, contact_type_id) where email is not null;
drop index contacts_email;
create index contacts_mobile_phone_type on contacts (mobile_phone, contact_type_id)
    where mobile_phone is not null;
drop index contacts_mobile_phone;
create index contacts_external_id_type on contacts (external_id, contact_type_id)
    where external_id is not null;
drop index contacts_external_id;
create index contacts_ssn_index_type on contacts (ssn_index, contact_type_id)
    where ssn_index is not null;
drop index contacts_ssn_index;
drop index contacts_type;

-- A receipt's raw body is kept as sent and only ever read back whole: json (checked text) costs
-- less to write than jsonb's binary form.
alter table receipts alter column payload type json using payload::text::json;
