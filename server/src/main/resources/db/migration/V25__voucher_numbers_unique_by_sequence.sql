-- A voucher's number comes from voucher_number_seq, the only place numbers are made
-- (VoucherNumbers: blocks of the one sequence, for every node), so it is unique by construction,
-- as the events' ids are (V17). The unique index cost an entry for every voucher issued, six a
-- typical receipt. A receipt redeems a voucher by its number and its member's id, which the
-- member's index on vouchers finds (ReceiptPlansIntegrationTests).
alter table vouchers drop constraint vouchers_check_number_key;
