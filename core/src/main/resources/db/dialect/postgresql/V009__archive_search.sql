-- Archive search, PostgreSQL: the decoded, address-masked text of every archived post (filled by core's ArchiveIndex
-- when a post is archived, and for older posts at start-up), with pg_trgm GIN indexes that answer LIKE/ILIKE '%…%'
-- for any substring of three or more characters (Japanese included, as long as the database's LC_CTYPE is not plain
-- "C", see README). Shorter queries are answered by scanning the list's texts newest first. The SQLite twin of this
-- script is in db/dialect/sqlite (FTS5 trigram).
-- pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it. It goes into the schema public
-- so that it is shared by every schema of the database and is named schema-qualified below.

CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;

CREATE TABLE archive_texts (
    post_id     BIGINT PRIMARY KEY REFERENCES posts(id),
    list_id     BIGINT NOT NULL REFERENCES lists(id),
    received_at BIGINT NOT NULL,
    subject     TEXT   NOT NULL,
    body        TEXT   NOT NULL
);
CREATE INDEX archive_texts_by_list_time ON archive_texts (list_id, received_at);
CREATE INDEX archive_texts_subject_trgm ON archive_texts USING gin (subject public.gin_trgm_ops);
CREATE INDEX archive_texts_body_trgm ON archive_texts USING gin (body public.gin_trgm_ops);
