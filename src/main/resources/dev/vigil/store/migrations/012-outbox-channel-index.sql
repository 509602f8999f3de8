-- Each channel's deliveries by status, in the order they were stored (an index keeps the rowid last), and by
-- delivery time: a channel worker's read of its next pending deliveries and the status's once-a-second look at each
-- channel (backlog, given up, last delivery) become index searches. Both read every delivery row of the outbox
-- before, a cost that grew with the history kept (vigil.history.keep) and with a channel's backlog.
CREATE INDEX outbox_delivery_channel ON outbox_delivery(channel, status, delivered);
