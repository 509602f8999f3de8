-- What the PID checks last saw per PID file or required command, so that after a restart of Vigil a
-- check compares with the processes seen before instead of taking every service as new or restarted.
-- scope is the name of the set of checks (one per pidcheck endpoint); problem is the kind last reported
-- and not yet RECOVERED; the process columns describe the last process seen running.
CREATE TABLE pid_state (
    scope        TEXT NOT NULL,
    subject      TEXT NOT NULL,
    problem      TEXT,
    problem_key  TEXT,
    boot_id      TEXT NOT NULL,
    pid          INTEGER,
    command      TEXT,
    start_ticks  INTEGER,
    started      TEXT,
    exe          TEXT,
    uid          INTEGER,
    user_name    TEXT,
    updated      TEXT NOT NULL,
    PRIMARY KEY (scope, subject)
) WITHOUT ROWID;
