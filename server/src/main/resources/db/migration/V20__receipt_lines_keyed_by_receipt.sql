-- A receipt line is its receipt's line at its position: (receipt_id, line_index) is its key. The
-- line's own uuid was read only to find the line again when a return took from it, and cost every
-- line a third index entry besides the one on its receipt (docs/performance.md, "Eighteenth
-- session"). The key's index serves the reads of a receipt's lines, as receipt_lines_receipt did.
alter table receipt_lines drop constraint receipt_lines_pkey;
drop index receipt_lines_receipt;
alter table receipt_lines drop column id;
alter table receipt_lines add primary key (receipt_id, line_index);
