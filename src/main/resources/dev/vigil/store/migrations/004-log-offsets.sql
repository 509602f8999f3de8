-- Where the log tail stopped in each followed file, so a restart neither loses nor repeats a line. scope is
-- the log group; device and inode tell the same file from a new one at the same path after a rotation, and the
-- fingerprint (SHA-256 of the first fp_length bytes) tells a truncated and rewritten file, or a reused inode,
-- from the one that was read. offset is the byte after the last complete line read.
CREATE TABLE log_offset (
    scope      TEXT NOT NULL,
    path       TEXT NOT NULL,
    device     INTEGER NOT NULL,
    inode      INTEGER NOT NULL,
    offset     INTEGER NOT NULL,
    fp_length  INTEGER NOT NULL,
    fp         TEXT NOT NULL,
    updated    TEXT NOT NULL,
    PRIMARY KEY (scope, path)
) WITHOUT ROWID;

-- How often each rule of a local rule tree matched, and when last: what `vigil logcheck --unused` reads.
-- A rule is its file's path and its pattern (not its line number, which moves when the file is edited);
-- first_seen is when the daemon first loaded it, so a rule added yesterday is not yet "unused for 30 days".
-- Times are epoch milliseconds, so they compare as numbers.
CREATE TABLE rule_stats (
    file        TEXT NOT NULL,
    pattern     TEXT NOT NULL,
    matches     INTEGER NOT NULL DEFAULT 0,
    first_seen  INTEGER NOT NULL,
    last_match  INTEGER,
    PRIMARY KEY (file, pattern)
) WITHOUT ROWID;
