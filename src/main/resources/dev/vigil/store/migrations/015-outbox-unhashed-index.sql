-- The deliveries stored before lanes (migration 014) that lack their host's hash, which the daemon gives those a
-- lane may still read at every start (Outbox.hashHosts). Without this index that look read every delivery row at
-- every start, a cost that grew with the history kept; with it, only the rows still without a hash, which no
-- delivery stored since has.
CREATE INDEX outbox_delivery_unhashed ON outbox_delivery(status) WHERE host_hash IS NULL;
