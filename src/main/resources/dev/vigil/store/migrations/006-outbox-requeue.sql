-- When `vigil outbox retry` last queued a given-up delivery again. The retry max age counts from here, or
-- from the report's creation while it is NULL, so a re-queued delivery gets a whole new retry period instead
-- of being given up again at its first failure.
ALTER TABLE outbox_delivery ADD COLUMN requeued TEXT;
