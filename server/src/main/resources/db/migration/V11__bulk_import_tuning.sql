-- Tuning of the bulk import, from the benchmark (docs/performance.md, "Seventh session").
--
-- A key row's foreign key made every insert probe the contact's primary key and lock the contact
-- row it had just written (a quarter of a key row's cost). Key rows are written and removed only
-- with their contact, in the same transaction: deleting a contact deletes its keys first.
alter table contact_keys drop constraint contact_keys_contact_id_fkey;

-- A batch's outcomes are written once and read back only as text: json (checked, stored as
-- written) costs half of jsonb's decomposition for a batch of 4,000 rows.
alter table bulk_batches alter column rows type json using rows::json;
