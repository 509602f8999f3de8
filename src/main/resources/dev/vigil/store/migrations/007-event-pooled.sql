-- Whether a finding still waits in its source's report pool (1) or a report stored in the outbox has taken it
-- (0, set in the transaction that stores the report). The pool lives in the daemon's memory; what a crash
-- leaves pooled is pooled again at the next start. Findings recorded before this column count as taken: a stop
-- put whatever was pooled into the outbox.
ALTER TABLE event ADD COLUMN pooled INTEGER NOT NULL DEFAULT 0;
CREATE INDEX event_pooled ON event(id) WHERE pooled = 1;
