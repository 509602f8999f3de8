-- Where each followed log file was read up to: its inode and the byte after the last complete line, so a
-- restart neither loses nor repeats a line and a rotation while Vigil was down is noticed.
CREATE TABLE log_offset (
    path      TEXT PRIMARY KEY,
    inode     INTEGER NOT NULL,
    position  INTEGER NOT NULL,
    updated   TEXT NOT NULL
) WITHOUT ROWID;

-- How often each logcheck rule matched and when last, for `vigil logcheck --unused DAYS`. A rule is its file
-- and its pattern text (not its line number, which moves when the file is edited).
CREATE TABLE rule_stat (
    path        TEXT NOT NULL,
    pattern     TEXT NOT NULL,
    matches     INTEGER NOT NULL,
    last_match  TEXT NOT NULL,
    PRIMARY KEY (path, pattern)
) WITHOUT ROWID;
