-- Digests per list (#12): staff turn on a daily and/or a weekly digest on the list's settings page. A member whose
-- subscription has delivery_mode = 'DIGEST' (V006) then gets one message at the set time with the posts accepted
-- since the previous digest of that cadence, instead of a copy of each post. No row: the list has no digest of
-- that cadence (and while a list has no digest at all, its DIGEST members get each post, see DeliveryMapper.xml).
--   send_time:      HH:mm, Japan time (Asia/Tokyo has no daylight saving time, so the instant is unambiguous).
--   weekday:        WEEKLY only: ISO day of the week, 1 = Monday ... 7 = Sunday; NULL for DAILY.
--   since_sequence: the list's last post number when staff turned the digest on; its first digest starts after it
--                   (so that turning it on does not send the list's whole history). What later digests covered
--                   is recorded by the schedules module (digest_runs, schedules V203).
--   schedule_from:  when the setting was last saved: set times before it are never due (changing 7:00 to 8:00 at
--                   10:00 does not send a second digest at once).
CREATE TABLE list_digests (
    id             ${id},
    list_id        BIGINT      NOT NULL REFERENCES lists(id),
    cadence        VARCHAR(16) NOT NULL,             -- DAILY | WEEKLY
    send_time      VARCHAR(5)  NOT NULL,
    weekday        INTEGER,
    since_sequence BIGINT      NOT NULL,
    schedule_from  BIGINT      NOT NULL,
    updated_at     BIGINT      NOT NULL,
    UNIQUE (list_id, cadence)
);
