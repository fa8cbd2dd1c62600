-- A lot is written only by the statement that inserts its movement, from that insert's returned
-- id, and movements are never deleted: the foreign key could never fail, yet PostgreSQL checked it
-- for every lot with a query and a lock on the movement just written, a write-ahead log record of
-- its own (as receipt lines' was, V16; docs/performance.md, "Eighteenth session").
alter table point_lots drop constraint point_lots_movement_id_fkey;
