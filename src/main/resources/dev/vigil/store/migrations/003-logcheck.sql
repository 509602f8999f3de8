-- Where each followed log file was read up to: its inode and the byte after the last complete line, so a
-- restart neither loses nor repeats a line and a rotation while Vigil was down is noticed.
CREATE TABLE log_offset (
    path      TEXT PRIMARY KEY,
    inode     INTEGER NOT NULL,
    position  INTEGER NOT NULL,
    updated   TEXT NOT NULL
) WITHOUT ROWID;
