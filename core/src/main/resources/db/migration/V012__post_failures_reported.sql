-- When the list's owners were told that most copies of this post could not be delivered (FailedCopiesReport in
-- mail-server). Set once, by a conditional UPDATE, so that each post's report goes out once, on one node.
ALTER TABLE posts ADD COLUMN failures_reported_at BIGINT;
