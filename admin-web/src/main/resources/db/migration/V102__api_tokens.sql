-- admin-web: API tokens for the REST API (/api/v1, issue #10). Written once for SQLite and PostgreSQL (see V001).
-- Only the SHA-256 of a token is stored (the token itself is shown once, at creation). Times are epoch milliseconds.

CREATE TABLE web_api_tokens (
    id          ${id},
    name        VARCHAR(40)  NOT NULL UNIQUE,          -- the audit log's actor is 'api:<name>', so never reused
    token_hash  VARCHAR(64)  NOT NULL UNIQUE,          -- hex SHA-256 of the token; looked up on every request
    role        VARCHAR(16)  NOT NULL,                 -- ADMIN | OWNER | MODERATOR, as staff accounts
    created_by  VARCHAR(64)  NOT NULL,
    created_at  BIGINT       NOT NULL,
    revoked_at  BIGINT                                 -- set once; a revoked token is refused, and kept for the record
);

-- The lists an OWNER or MODERATOR token may touch (an ADMIN token touches every list and needs no rows here).
CREATE TABLE web_api_token_lists (
    token_id BIGINT NOT NULL REFERENCES web_api_tokens(id),
    list_id  BIGINT NOT NULL REFERENCES lists(id),
    PRIMARY KEY (token_id, list_id)
);
