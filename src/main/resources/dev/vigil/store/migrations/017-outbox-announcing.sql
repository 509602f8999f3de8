-- Whether a report holds a finding that announces the baseline's new seal (an ACCEPTED, or a full check's own
-- finding of a changed seal): while one waits for the kafka channel, the fleet heartbeat keeps showing the seal it
-- showed before (Heartbeats), as a collector judges a new seal unannounced once its tolerance has passed. The
-- index holds only such reports, few, so the heartbeat's look at them reads none of the rest. A report stored
-- before this column is marked if its text names a seal and a channel still has it to send.
ALTER TABLE outbox_report ADD COLUMN announces_seal INTEGER NOT NULL DEFAULT 0;
UPDATE outbox_report SET announces_seal = 1
    WHERE id IN (SELECT report_id FROM outbox_delivery WHERE status = 'PENDING') AND report LIKE '%"seal":%';
CREATE INDEX outbox_report_announcing ON outbox_report(id) WHERE announces_seal = 1;
