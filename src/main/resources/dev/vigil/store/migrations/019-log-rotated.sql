-- Where the log tail stopped in the files rotated away from each followed path that it was still reading at its
-- last commit (a backlog across a rotation, or a writer that has not yet reopened its log), oldest first (seq), so a
-- restart reads their rest before the file the path now names. Columns as in log_offset; rows replaced per path.
CREATE TABLE log_rotated (
    scope      TEXT NOT NULL,
    path       TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    device     INTEGER NOT NULL,
    inode      INTEGER NOT NULL,
    offset     INTEGER NOT NULL,
    fp_length  INTEGER NOT NULL,
    fp         TEXT NOT NULL,
    updated    TEXT NOT NULL,
    PRIMARY KEY (scope, path, seq)
) WITHOUT ROWID;
