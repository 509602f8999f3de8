-- Every finding, written before it is reported: what `vigil events` queries.
CREATE TABLE event (
    id        INTEGER PRIMARY KEY,
    time      TEXT NOT NULL,
    source    TEXT NOT NULL,
    kind      TEXT NOT NULL,
    subject   TEXT NOT NULL,
    host      TEXT NOT NULL,
    severity  TEXT NOT NULL,
    finding   TEXT NOT NULL
);
CREATE INDEX event_time ON event(time);
CREATE INDEX event_source_kind ON event(source, kind, time);

-- The deviation from the baseline last reported for each path, so each one is reported once, and a
-- reverted one is noticed.
CREATE TABLE reported (
    path         BLOB PRIMARY KEY,
    fingerprint  TEXT NOT NULL
) WITHOUT ROWID;

-- Each report, written before any channel sees it.
CREATE TABLE outbox_report (
    id       TEXT PRIMARY KEY,
    seq      INTEGER NOT NULL UNIQUE,
    created  TEXT NOT NULL,
    source   TEXT NOT NULL,
    report   TEXT NOT NULL
);

-- One row per report and channel; a channel marks its own delivery.
CREATE TABLE outbox_delivery (
    report_id     TEXT NOT NULL REFERENCES outbox_report(id),
    channel       TEXT NOT NULL,
    status        TEXT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_attempt  TEXT NOT NULL,
    last_error    TEXT,
    delivered     TEXT,
    PRIMARY KEY (report_id, channel)
);
CREATE INDEX outbox_delivery_due ON outbox_delivery(status, channel, next_attempt);
