-- A digest of the request each Idempotency-Key was first used for (method,
-- path and body), so that the same key with another body is refused instead
-- of answered with the first request's answer. NULL for keys stored before:
-- those are compared by method and path only, as they were.
ALTER TABLE idempotency ADD COLUMN fingerprint TEXT;
