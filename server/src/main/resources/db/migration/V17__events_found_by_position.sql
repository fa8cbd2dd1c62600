-- An event is found by its position in the outbox, (tx, seq), its primary key: deliveries refer to
-- their event by it as well, so the unique index on the event's id goes. That index cost an entry
-- for every event written, nearly nine a receipt (docs/performance.md, "Thirteenth session"). The
-- id stays unique by construction (IdGenerator) and is still what subscribers see; replay and
-- pruning, the only searches by id, take ranges of these time-ordered ids, which a BRIN index
-- serves at almost no cost a row.
alter table webhook_deliveries drop constraint webhook_deliveries_event_id_fkey;
-- Pruning an event checks that no delivery names it: by position now.
drop index webhook_deliveries_event;
create index webhook_deliveries_event_position on webhook_deliveries (event_tx, event_seq);
alter table webhook_deliveries
    add constraint webhook_deliveries_event_position_fkey
    foreign key (event_tx, event_seq) references webhook_events (tx, seq);
alter table webhook_events drop constraint webhook_events_id_key;
create index webhook_events_id_range on webhook_events using brin (id) with (autosummarize = on);
