-- The outbox's event bodies are written once and read back only as text to be sent: keep them as
-- json (checked, stored as written) rather than jsonb, so the hot path of a receipt (about nine
-- events each) does not pay to decompose every body.
alter table webhook_events alter column data type json using data::json;
