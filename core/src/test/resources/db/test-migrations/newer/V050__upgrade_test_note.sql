-- Test only: a migration newer than every core script, to show that an adopted old database still gets new ones.
ALTER TABLE lists ADD COLUMN upgrade_test_note ${text};
