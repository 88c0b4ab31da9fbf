-- Test only: the second statement fails, so the script must be rolled back and start-up stopped with its name.
CREATE TABLE broken_for_test (id ${id});
INSERT INTO no_such_table_for_test (id) VALUES (1);
