-- The seal of the baseline (fim.Seal): one row, written in the same transaction as every write to the
-- baseline, so it is the seal of the rows Vigil wrote. `generation` counts those writes, so a full check can
-- tell whether one came while it read; `verified` is when a full check last found the rows to have this seal.
-- Absent until first needed: it is then computed from the rows there are.
CREATE TABLE baseline_seal (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    lanes       BLOB NOT NULL,
    rows        INTEGER NOT NULL,
    generation  INTEGER NOT NULL,
    changed     TEXT NOT NULL,
    verified    TEXT
);

-- A finding made outside the daemon (`vigil accept`, `vigil baseline`) is recorded with pooled = 2, handed
-- over: the daemon takes it into its pools (pooled = 1) within a second, or when it next starts.
CREATE INDEX event_handed_over ON event(id) WHERE pooled = 2;
