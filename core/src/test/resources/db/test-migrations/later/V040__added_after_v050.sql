-- Test only: a lower version that appears after a higher one was applied, as a new core V004 appears after the
-- schedules' V200 (modules number their scripts in ranges).
CREATE TABLE added_after_v050 (
    id   ${id},
    note ${text} NOT NULL
);
