-- Archive search, SQLite: the decoded, address-masked text of every archived post (filled by core's ArchiveIndex
-- when a post is archived, and for older posts at start-up), and an FTS5 index over it with the trigram tokenizer,
-- which matches any substring of three or more characters: Japanese has no spaces between words, so a word index
-- would not work. Shorter words (北本, 防災) are answered through the index's trigram list, or by LIKE over
-- archive_texts newest first when too many trigrams begin with them (see ArchiveSearch). This script has a PostgreSQL twin in db/dialect/postgresql: the two databases index text
-- in entirely different ways, so this one migration is written per database (Migrations adds the folder of the
-- database in use).

CREATE TABLE archive_texts (
    post_id     INTEGER PRIMARY KEY REFERENCES posts(id),
    list_id     BIGINT  NOT NULL REFERENCES lists(id),
    received_at BIGINT  NOT NULL,
    subject     TEXT    NOT NULL,
    body        TEXT    NOT NULL
);
CREATE INDEX archive_texts_by_list_time ON archive_texts (list_id, received_at);

-- External content: the text is stored once (in archive_texts); the index keeps only the trigrams.
CREATE VIRTUAL TABLE archive_search USING fts5(subject, body, content='archive_texts', content_rowid='post_id',
    tokenize='trigram');

-- The index's distinct trigrams: a 1- or 2-character word is looked up as the trigrams that begin with it (a range
-- of this table), which finds a rare short word without reading every post (see ArchiveSearch). Every stored text
-- ends with two line breaks, so a word at the very end of a subject or body also begins a trigram.
CREATE VIRTUAL TABLE archive_search_vocab USING fts5vocab(archive_search, 'row');

-- The FTS5 documentation's way to keep an external-content index in step with its table (one line each: a trigger
-- body holds semicolons).
CREATE TRIGGER archive_texts_indexed AFTER INSERT ON archive_texts BEGIN INSERT INTO archive_search (rowid, subject, body) VALUES (new.post_id, new.subject, new.body); END;
CREATE TRIGGER archive_texts_unindexed AFTER DELETE ON archive_texts BEGIN INSERT INTO archive_search (archive_search, rowid, subject, body) VALUES ('delete', old.post_id, old.subject, old.body); END;
