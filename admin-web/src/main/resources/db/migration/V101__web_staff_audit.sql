-- admin-web: staff accounts, their list assignments, the append-only audit log and double opt-in requests.
-- Written once for SQLite and PostgreSQL (see V001). Times are epoch milliseconds.

CREATE TABLE web_staff (
    id            ${id},
    username      VARCHAR(64)  NOT NULL UNIQUE,
    display_name  ${text}      NOT NULL DEFAULT '',
    password_hash VARCHAR(100) NOT NULL,               -- bcrypt ($2a$, cost 12)
    role          VARCHAR(16)  NOT NULL,               -- ADMIN | OWNER | MODERATOR
    disabled      INTEGER      NOT NULL DEFAULT 0,
    created_at    BIGINT       NOT NULL,
    updated_at    BIGINT       NOT NULL
);

-- Which lists an OWNER or MODERATOR account may manage (ADMIN manages all lists and needs no rows here).
CREATE TABLE web_staff_lists (
    staff_id BIGINT NOT NULL REFERENCES web_staff(id),
    list_id  BIGINT NOT NULL REFERENCES lists(id),
    PRIMARY KEY (staff_id, list_id)
);

-- Who changed what, when, from where. The application only ever INSERTs here (no mapper updates or deletes it).
CREATE TABLE web_audit_log (
    id        ${id},
    at        BIGINT       NOT NULL,
    actor     VARCHAR(64)  NOT NULL,                   -- staff username, or 'public' for member self-service
    client_ip VARCHAR(64)  NOT NULL,
    action    VARCHAR(64)  NOT NULL,                   -- list.create, member.suspend, post.approve, ...
    list_id   BIGINT,
    target    ${text}      NOT NULL,                   -- what was changed: an address, a post id, a setting
    detail    ${text}      NOT NULL
);
CREATE INDEX web_audit_log_by_list ON web_audit_log (list_id, id);

-- Double opt-in: a request to join waits here until its token is confirmed with a POST or it expires. Kept apart
-- from subscriptions so that a pending request never reveals or changes an existing subscription.
CREATE TABLE web_confirmations (
    token        VARCHAR(64)  PRIMARY KEY,
    list_id      BIGINT       NOT NULL REFERENCES lists(id),
    address      VARCHAR(320) NOT NULL,
    display_name ${text}      NOT NULL,
    created_at   BIGINT       NOT NULL,
    expires_at   BIGINT       NOT NULL,
    used_at      BIGINT
);
