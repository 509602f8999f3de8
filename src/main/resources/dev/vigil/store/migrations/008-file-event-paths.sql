-- A finding is attributed from the raw events of its path (by whichever check found it), so those are looked
-- up by path, and by old path for the source of a rename.
CREATE INDEX file_event_path ON file_event(path, time);
CREATE INDEX file_event_old_path ON file_event(old_path, time);
