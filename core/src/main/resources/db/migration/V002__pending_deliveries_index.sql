-- The delivery dispatcher reads pending rows in id order after a cursor. The index of V001 (state, next_attempt_at,
-- id) made that a range scan plus a sort of every due row, on every batch: with 100,000 pending rows, each read
-- sorted all of them to return 2,000. A partial index of the pending rows in id order is walked directly, and stays
-- as small as the queue (sent rows leave it). PostgreSQL and SQLite both support partial indexes.
DROP INDEX deliveries_due;
CREATE INDEX deliveries_pending ON deliveries (id) WHERE state = 'PENDING';
