-- No statement looks a movement up by its receipt: returns find what a purchase earned through
-- its lines (receipt_lines), and the ledger is read by member or by movement id. The index cost
-- an entry for every earning and every return's take-back, about one a receipt.
drop index point_movements_receipt;
