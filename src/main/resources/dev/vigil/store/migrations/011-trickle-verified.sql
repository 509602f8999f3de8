-- When each trickle (fim.Trickle, by name) last verified each entry, as a number the trickle counts up: its order,
-- longest since verified first, which it re-verifies between the entries its walk reaches. Kept here rather than in
-- the daemon's memory, where it cost about 135 bytes an entry (issue 16), and so kept across restarts. Entries the
-- trickle finds gone, excluded or outside its areas are deleted by the trickle.
CREATE TABLE trickle_verified (
    trickle   TEXT NOT NULL,
    path      BLOB NOT NULL,
    verified  INTEGER NOT NULL,
    PRIMARY KEY (trickle, path)
) WITHOUT ROWID;
CREATE INDEX trickle_verified_oldest ON trickle_verified(trickle, verified);
