-- The web view's questions of a long history, answered from indexes (issue 12: with 100,000 findings each read every
-- row). The chart counts findings per hour and source since a time: with source beside time in the index, no row
-- is read. The open deviations ask for the newest finding about each of up to 500 subjects of a source: one seek
-- per subject instead of a scan of all the source's findings. (time, source) serves every query event_time did.
DROP INDEX event_time;
CREATE INDEX event_time_source ON event(time, source);
CREATE INDEX event_source_subject ON event(source, subject);
