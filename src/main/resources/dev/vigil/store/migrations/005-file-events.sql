-- Every raw event the file watcher saw (before debouncing and verification), so `vigil events` can answer
-- which process or user touched a path. path and old_path are escaped text (PathBytes.escape), as finding
-- subjects are, so one glob filters both tables; types is comma-framed (",CREATE,CLOSE_WRITE,") so a
-- kind is matched with LIKE '%,KIND,%'. Process columns are NULL when the watcher could not tell.
CREATE TABLE file_event (
    id          INTEGER PRIMARY KEY,
    time        TEXT NOT NULL,
    types       TEXT NOT NULL,
    path        TEXT,
    old_path    TEXT,
    directory   INTEGER NOT NULL,
    pid         INTEGER,
    ppid        INTEGER,
    comm        TEXT,
    exe         TEXT,
    uid         INTEGER,
    user_name   TEXT,
    attributed  INTEGER NOT NULL,
    detail      TEXT
);
CREATE INDEX file_event_time ON file_event(time);
CREATE INDEX file_event_comm ON file_event(comm, time);
CREATE INDEX file_event_pid ON file_event(pid, time);
