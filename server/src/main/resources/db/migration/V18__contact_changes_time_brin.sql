-- The change records' time is searched only by Engage's window query (ids changed between two
-- times), and rows are written in time order: a BRIN index serves the window at almost no cost a
-- row, as it does for the events' ids (V17). The btree on (change_type, changed_at) cost an entry
-- for every change recorded, among thousands that share one type and one time in a bulk import:
-- a quarter of the change record's cost (docs/performance.md, "Fifteenth session").
drop index contact_changes_time;
create index contact_changes_time on contact_changes using brin (changed_at)
    with (autosummarize = on);
