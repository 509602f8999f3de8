-- The accepted state of every monitored entry, keyed by the raw bytes of its path (BLOB order is
-- byte order, which is the order a streaming compare walks both sides in).
CREATE TABLE baseline (
    path      BLOB PRIMARY KEY,
    type      TEXT NOT NULL,
    size      INTEGER,
    mode      INTEGER,
    uid       INTEGER,
    gid       INTEGER,
    inode     INTEGER,
    device    INTEGER,
    links     INTEGER,
    mtime_ns  INTEGER,
    ctime_ns  INTEGER,
    target    BLOB,
    hash      TEXT,
    xattrs    TEXT,
    error     TEXT
) WITHOUT ROWID;

-- One row per scan, baseline or check, for `vigil db stats` and the progress estimate.
CREATE TABLE scan_run (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL,
    area      TEXT NOT NULL,
    started   TEXT NOT NULL,
    finished  TEXT,
    files     INTEGER NOT NULL DEFAULT 0,
    bytes     INTEGER NOT NULL DEFAULT 0,
    errors    INTEGER NOT NULL DEFAULT 0
);

-- Settings that belong to the data, not the config: the hash algorithm the baseline was taken with.
CREATE TABLE setting (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- The roots `vigil baseline` was run on: what a check without paths covers.
CREATE TABLE area (
    path  BLOB PRIMARY KEY
) WITHOUT ROWID;
