-- The expiring lots' index leaves out lots that never expire. Its old predicate (remaining > 0)
-- was the open lots' index's too, so a member's open lots could be read by scanning every open
-- lot in expiry order and filtering on the member: on tables analysed while empty both plans cost
-- the same, and a receipt lane's generic plan, kept for the connection's lifetime, took the scan
-- until autovacuum next analysed the table (docs/performance.md, "Seventeenth session"). The
-- expiry job's condition (expires_at <= now) implies the new predicate, so it still uses the index.
drop index point_lots_expiring;
create index point_lots_expiring on point_lots (expires_at)
    where remaining > 0 and expires_at is not null;
