-- Several nodes on one PostgreSQL database (#11): a node claims the due rows it is about to send.
--   claimed_by:  the node (server.node-id) that holds the row; NULL when nobody does.
--   lease_until: when the claim lapses (epoch millis). A live node renews its claims well before that and clears
--                them in the transaction that records the outcome; a node that died leaves its claims to lapse, and
--                another node then takes the rows.
-- SQLite (one node) never claims: its dispatcher keeps the rows in flight in memory, as before, and the columns stay
-- NULL there.
--
-- No new index. The claim walks V002's partial index deliveries_pending (id) WHERE state = 'PENDING' in id order,
-- the same path as the single-node read, and filters next_attempt_at and lease_until on the rows it meets; the rows
-- it steps over are the ones other live nodes hold (a batch and a queue each, about 1,500) and retries in back-off,
-- as before. Renewal and release go by primary key (the node knows the ids it holds). An index over claimed_by or
-- lease_until would be written on every claim, renewal and outcome of every copy, for no query that needs it.
ALTER TABLE deliveries ADD COLUMN claimed_by VARCHAR(128);
ALTER TABLE deliveries ADD COLUMN lease_until BIGINT;
