-- key_columns (V13) has no default once the existing contacts have theirs: a writer that does not
-- know the column (a node still running the code from before V13, during a rolling upgrade) fails
-- loudly instead of writing contacts whose keys no index keeps unique.
alter table contacts alter column key_columns drop default;
