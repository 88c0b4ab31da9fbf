-- Test only (PostgreSQL): keeps a migration running for a second, so that a second node starting at the same time
-- has to wait for Flyway's advisory lock, and a third connection can see that lock.
SELECT pg_sleep(1);
CREATE TABLE lock_test_marker (id ${id});
