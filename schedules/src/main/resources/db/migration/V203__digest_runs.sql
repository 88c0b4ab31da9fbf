-- One row per digest the scheduler made (#12): the truth that makes each digest happen at most once and that
-- tells the next one where to start. Inserted (INSERT ... ON CONFLICT DO NOTHING on the unique key: the claim) in
-- the same transaction that creates the digest's post and its delivery rows, so a crash leaves either nothing
-- (the digest is made again after the restart, with the same posts) or all of it (the delivery workers send it).
--   nominal_at:    the set time this digest was for (epoch millis); after downtime several missed set times
--                  become one digest, recorded at the latest of them.
--   from_sequence, to_sequence: it covers the list's posts with from_sequence < sequence <= to_sequence; the next
--                  digest of the same list and cadence starts at to_sequence.
--   posts:         how many posts it held; 0 means nothing was sent (no posts, or nobody chose the digest).
--   post_id:       the digest message (a posts row of origin DIGEST); NULL when nothing was sent.
CREATE TABLE digest_runs (
    id            ${id},
    list_id       BIGINT      NOT NULL REFERENCES lists(id),
    cadence       VARCHAR(16) NOT NULL,              -- DAILY | WEEKLY
    nominal_at    BIGINT      NOT NULL,
    from_sequence BIGINT      NOT NULL,
    to_sequence   BIGINT      NOT NULL,
    posts         INTEGER     NOT NULL,
    post_id       BIGINT      REFERENCES posts(id),
    recipients    INTEGER     NOT NULL,
    created_at    BIGINT      NOT NULL,
    UNIQUE (list_id, cadence, nominal_at)
);
