-- Tuning of the bulk import, from the benchmark (docs/performance.md, "Ninth session").
--
-- The foreign key from a contact to its type ran a lookup and a key-share lock of the type's row
-- for every contact inserted: a third of a contact row's cost in a bulk import. Every write of a
-- contact's type takes that same lock once per transaction already (ContactManagement's
-- requireCurrentKeys, which fails when the type is gone), and deleting a type locks its row for
-- update and refuses while contacts of it exist, so the key guarded nothing the lock does not.
alter table contacts drop constraint contacts_contact_type_id_fkey;
