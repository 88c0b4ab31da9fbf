-- admin-web (issue 11): what the web tier kept in one process's memory, moved to the database so that several
-- nodes behind an HTTP load balancer share it (no sticky sessions). Written once for SQLite and PostgreSQL (see
-- V001); both databases use these tables. Times are epoch milliseconds unless said otherwise.

-- Staff sessions (who is signed in, the CSRF token, a flash message), written by Jetty's own JDBCSessionDataStore
-- (AdminWeb's SharedSessions names these columns for it; its defaults are camelCase). Jetty serialises the
-- session's attributes (a Long and a few Strings) into attributes. The key is Jetty's: id, context, virtual host.
CREATE TABLE web_sessions (
    session_id       VARCHAR(120) NOT NULL,
    context_path     VARCHAR(60)  NOT NULL,
    virtual_host     VARCHAR(60)  NOT NULL,
    last_node        VARCHAR(60),                      -- Jetty's worker name of the node that last saved it
    access_time      BIGINT,
    last_access_time BIGINT,
    create_time      BIGINT,
    cookie_time      BIGINT,
    last_saved_time  BIGINT,
    expiry_time      BIGINT,                           -- Jetty's scavenger on any node deletes expired sessions
    max_interval     BIGINT,                           -- seconds
    attributes       ${blob},
    PRIMARY KEY (session_id, context_path, virtual_host)
);
CREATE INDEX web_sessions_expiry ON web_sessions (expiry_time);
CREATE INDEX web_sessions_session ON web_sessions (session_id, context_path);

-- Failed sign-ins per user name ('u:<name>') and per client address ('ip:<address>'), for LoginThrottle. The lock
-- is computed from failures and last_failure_at, so one atomic upsert per failure is all a node writes.
CREATE TABLE web_login_failures (
    throttle_key    VARCHAR(300) NOT NULL PRIMARY KEY,
    failures        INTEGER      NOT NULL,
    last_failure_at BIGINT       NOT NULL
);
CREATE INDEX web_login_failures_age ON web_login_failures (last_failure_at);

-- A CSV import's dry run, its commit and its progress (MemberImport): the plan shown to the staff member is the
-- plan applied, on whichever node the commit arrives. status: DRY_RUN | RUNNING | DONE | FAILED.
CREATE TABLE web_import_plans (
    id          VARCHAR(64)  NOT NULL PRIMARY KEY,     -- random, unguessable; in the page's URL
    list_id     BIGINT       NOT NULL REFERENCES lists(id),
    staff_id    BIGINT       NOT NULL,
    file_name   ${text}      NOT NULL,
    charset     VARCHAR(32)  NOT NULL,
    status      VARCHAR(16)  NOT NULL,
    done        INTEGER      NOT NULL,                 -- rows applied so far (progress)
    to_apply    INTEGER      NOT NULL,                 -- rows the commit writes (additions and changes)
    failure     ${text}      NOT NULL,
    created_at  BIGINT       NOT NULL,
    updated_at  BIGINT       NOT NULL                  -- last progress; a RUNNING plan that stops moving was cut off
);
CREATE INDEX web_import_plans_age ON web_import_plans (created_at);

CREATE TABLE web_import_rows (
    plan_id  VARCHAR(64)  NOT NULL REFERENCES web_import_plans(id),
    line     BIGINT       NOT NULL,                    -- the row's number in the file, as Excel shows it
    address  ${text}      NOT NULL,
    name     ${text}      NOT NULL,
    action   VARCHAR(16)  NOT NULL,                    -- ADD | CHANGE | UNCHANGED | REFUSE
    reason   ${text}      NOT NULL,
    PRIMARY KEY (plan_id, line)
);
