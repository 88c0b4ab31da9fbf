-- A member's own choices per subscription (#12): how posts arrive, and a pause while away.
--   delivery_mode: EACH (a copy of every post, the default) | DIGEST (only the list's digests, no copy per post).
--   paused_at:     when the member paused delivery; NULL while delivery runs.
--   resume_at:     when a pause ends by itself (Japan-time date chosen by the member, as epoch millis); NULL for a
--                  pause until resumed by hand. A pause whose resume_at has passed counts as not paused, so no job
--                  has to run on the day for mail to flow again.
-- The state column keeps its meaning (ACTIVE | PENDING | SUSPENDED | UNSUBSCRIBED): a paused member is still a
-- member, reads members-only archives and is counted on the staff pages.
ALTER TABLE subscriptions ADD COLUMN delivery_mode VARCHAR(16) NOT NULL DEFAULT 'EACH';
ALTER TABLE subscriptions ADD COLUMN paused_at BIGINT;
ALTER TABLE subscriptions ADD COLUMN resume_at BIGINT;
