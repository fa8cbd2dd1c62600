-- A receipt's key is looked up together with the contact type. With one index per column the
-- planner may combine the key's index with the type's (every member) when statistics are missing,
-- as right after a bulk import; an index on key and type is chosen either way.
create index contacts_email_type on contacts (email, contact_type_id);
drop index contacts_email;
create index contacts_mobile_phone_type on contacts (mobile_phone, contact_type_id);
drop index contacts_mobile_phone;
create index contacts_external_id_type on contacts (external_id, contact_type_id);
drop index contacts_external_id;
create index contacts_ssn_index_type on contacts (ssn_index, contact_type_id);
drop index contacts_ssn_index;
