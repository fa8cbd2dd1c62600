-- A receipt's lines are written only by the receipt's own registration, in the transaction that
-- inserts the receipt, and receipts are never deleted: the foreign key could never fail, yet
-- PostgreSQL checked it for every line with a query and a row lock on the receipt: about a third of
-- what writing a line cost (docs/performance.md, "Twelfth session").
alter table receipt_lines drop constraint receipt_lines_receipt_id_fkey;
