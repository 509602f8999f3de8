-- Whether a report holds an ACCEPTED finding, which a fleet's collector takes as the announcement of the baseline's
-- new seal: while one waits for the kafka channel (or in the event history for its report), the fleet heartbeat
-- keeps showing the seal it showed before (Heartbeats, Outbox.announcementWaiting), as a collector judges a new seal
-- unannounced once its tolerance has passed. The index holds only such reports, few, so the heartbeat's look at
-- them reads none of the rest. A report stored before this column is marked if it holds an ACCEPTED and a channel
-- still has it to send.
ALTER TABLE outbox_report ADD COLUMN announces_seal INTEGER NOT NULL DEFAULT 0;
UPDATE outbox_report SET announces_seal = 1
    WHERE id IN (SELECT report_id FROM outbox_delivery WHERE status = 'PENDING') AND report LIKE '%"kind":"ACCEPTED"%';
CREATE INDEX outbox_report_announcing ON outbox_report(id) WHERE announces_seal = 1;
-- The ACCEPTED findings still handed over or pooled, for the same look: a burst can pool a million findings, and the
-- heartbeat looks every minute.
CREATE INDEX event_waiting_accepted ON event(id) WHERE pooled IN (1, 2) AND kind = 'ACCEPTED';
