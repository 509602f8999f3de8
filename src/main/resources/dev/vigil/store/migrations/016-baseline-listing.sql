-- The digest of each baselined directory's listing (fim.ListingDigest), under the directory's path with a '/'
-- after it: a quick check passes over the rows of a directory whose listing has the same digest now. Written with
-- the rows by every baseline and accept, and sealed with them; a directory with an entry that has no quick key has
-- none, and neither has one written before this table was: its rows are read one by one, as before.
CREATE TABLE baseline_listing (
    key     BLOB PRIMARY KEY,
    digest  BLOB NOT NULL
) WITHOUT ROWID;
