-- The seal the fleet heartbeat last showed (one row), kept so a daemon restarted while an ACCEPTED still waits for
-- the kafka channel goes on showing it (Heartbeats): the collector has not seen the new seal's announcement yet, and
-- judges a new seal that none follows within its tolerance as tampering. Written only when the seal shown changes.
CREATE TABLE heartbeat_seal (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    value     TEXT NOT NULL,
    rows      INTEGER NOT NULL,
    verified  TEXT
);
