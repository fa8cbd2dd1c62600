-- The outbox is read by time only to replay a range and to prune old events, and both now find
-- events through their time-ordered ids (IdGenerator.earliestAt). The index on occurred_at cost an
-- index entry for every event written: nine for a typical receipt.
drop index webhook_events_time;
