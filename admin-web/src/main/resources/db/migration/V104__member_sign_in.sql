-- admin-web: a member's own page (/me, issue #12): sign-in links mailed to members, and members' browser sessions.
-- Written once for SQLite and PostgreSQL (see V001). Times are epoch milliseconds.

-- Every request for a sign-in link, member or not, so that requests can be counted per address and per client
-- (throttling) without telling anybody whether an address is a member. Only hashes are kept:
--   address_hash: hex SHA-256 of the address key (a stranger's typed address is not stored in the clear);
--   token_hash:   hex SHA-256 of the mailed token, NULL when the address is no member (no mail was sent). The token
--                 itself exists only in the mail, so a copy of this table cannot sign anybody in.
-- A link works once (used_at) and until expires_at. Rows older than a day are deleted at the next request.
CREATE TABLE web_member_links (
    id           ${id},
    address_hash VARCHAR(64)  NOT NULL,
    token_hash   VARCHAR(64)  UNIQUE,
    member_id    BIGINT       REFERENCES members(id),
    client_ip    VARCHAR(64)  NOT NULL,
    created_at   BIGINT       NOT NULL,
    expires_at   BIGINT       NOT NULL,
    used_at      BIGINT
);
CREATE INDEX web_member_links_by_address ON web_member_links (address_hash, created_at);
CREATE INDEX web_member_links_by_client ON web_member_links (client_ip, created_at);

-- A member signed in on a browser: the cookie KITAMOTO_MEMBER holds a random token, this table its SHA-256. Kept in
-- the database (not in the web server's memory) so that a restart or a second node keeps the member signed in, and
-- apart from the staff session (a staff sign-out never signs a member out, and the other way round).
CREATE TABLE web_member_sessions (
    session_hash VARCHAR(64)  PRIMARY KEY,
    member_id    BIGINT       NOT NULL REFERENCES members(id),
    created_at   BIGINT       NOT NULL,
    expires_at   BIGINT       NOT NULL
);
