-- The outbox's and the changes feed's positions are (tx, seq): seq only orders the rows of one
-- transaction, which one connection writes, so each connection may take its numbers a hundred at
-- a time instead of locking the sequence for every row (docs/performance.md, "Nineteenth
-- session"). Numbers a connection took and did not use are skipped, as a rollback skips them.
alter table webhook_events alter column seq set cache 100;
alter table contact_changes alter column seq set cache 100;
