-- The hash of each delivery's report's host (Outbox.hostHash), by which a channel's lanes share its deliveries:
-- a lane reads those whose hash modulo the number of lanes is its own, so a host's reports stay in one lane, in
-- order. Rows from before are given it, where a lane may still read them (pending or given up), by the daemon
-- when it starts: the hash is Java's, which SQL cannot compute.
ALTER TABLE outbox_delivery ADD COLUMN host_hash INTEGER;
