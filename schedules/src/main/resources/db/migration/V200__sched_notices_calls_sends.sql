-- Schedules (issue 4): notices, calls (募集) and one row per scheduled send.
-- Written once for SQLite and PostgreSQL (Flyway placeholders, see V001). Times are epoch millis; the
-- wall-clock rules (Asia/Tokyo) are computed in Java and only their results are stored here.

-- A call for proposals (募集). Its reminders, closing and results notices are rows in sched_notices.
CREATE TABLE sched_calls (
    id               ${id},
    title            ${text}      NOT NULL,            -- 協働事業提案 2027年度
    opens_at         BIGINT       NOT NULL,
    deadline_at      BIGINT       NOT NULL,
    reminder_offsets VARCHAR(64)  NOT NULL,            -- days before the deadline, e.g. 14,7,3,1
    reminder_time    VARCHAR(5)   NOT NULL,            -- HH:mm in Asia/Tokyo
    link             ${text}      NOT NULL,
    state            VARCHAR(16)  NOT NULL,            -- OPEN | CANCELLED
    created_at       BIGINT       NOT NULL,
    updated_at       BIGINT       NOT NULL
);

CREATE TABLE sched_call_lists (
    call_id  BIGINT NOT NULL REFERENCES sched_calls(id),
    list_id  BIGINT NOT NULL REFERENCES lists(id),
    PRIMARY KEY (call_id, list_id)
);

CREATE TABLE sched_notices (
    id               ${id},
    call_id          BIGINT       REFERENCES sched_calls(id),
    kind             VARCHAR(16)  NOT NULL,            -- ONE_OFF | RECURRING | REMINDER | CLOSING | RESULTS | CANCELLATION
    offset_days      INTEGER,                          -- REMINDER: days before the call's deadline
    title            ${text}      NOT NULL,
    subject_template ${text}      NOT NULL,
    body_template    ${text}      NOT NULL,
    event_at         BIGINT,                           -- the {開催日} variable
    deadline_at      BIGINT,                           -- the {締切} variable (calls: the call's deadline)
    link             ${text}      NOT NULL,
    send_at          BIGINT,                           -- ONE_OFF and call notices
    rule             VARCHAR(64),                      -- RECURRING, e.g. monthly-nth:1:MONDAY@09:00
    starts_at        BIGINT,                           -- RECURRING: first possible occurrence
    ends_at          BIGINT,                           -- RECURRING: none after this (NULL: open-ended)
    window_days      VARCHAR(16)  NOT NULL,            -- ANY_DAY | WEEKDAYS
    window_start     VARCHAR(5),                       -- HH:mm, NULL: no window
    window_end       VARCHAR(5),
    holiday_policy   VARCHAR(32)  NOT NULL,            -- SEND | SKIP | SHIFT_NEXT_BUSINESS_DAY
    grace_minutes    INTEGER      NOT NULL,            -- a send later than this after its time is MISSED
    state            VARCHAR(16)  NOT NULL,            -- DRAFT | ACTIVE | PAUSED | CANCELLED | DONE
    created_by       VARCHAR(320) NOT NULL,
    created_at       BIGINT       NOT NULL,
    updated_at       BIGINT       NOT NULL
);
CREATE INDEX sched_notices_by_call ON sched_notices (call_id);

CREATE TABLE sched_notice_lists (
    notice_id BIGINT NOT NULL REFERENCES sched_notices(id),
    list_id   BIGINT NOT NULL REFERENCES lists(id),
    PRIMARY KEY (notice_id, list_id)
);

-- One row per occurrence of a notice: the truth that makes a send happen at most once. Claimed with
-- UPDATE ... WHERE state = 'SCHEDULED' in the same transaction that creates the posts and delivery rows.
CREATE TABLE sched_sends (
    id              ${id},
    notice_id       BIGINT       NOT NULL REFERENCES sched_notices(id),
    nominal_at      BIGINT       NOT NULL,             -- the rule's time, before holiday and window adjustment
    due_at          BIGINT       NOT NULL,             -- when it goes out
    state           VARCHAR(16)  NOT NULL,             -- SCHEDULED | SENDING | SENT | CANCELLED | FAILED | MISSED
    recipients      BIGINT       NOT NULL DEFAULT 0,   -- delivery rows created
    detail          ${text}      NOT NULL,             -- why it was missed, failed or cancelled (Japanese, for staff)
    staff_notified  VARCHAR(16)  NOT NULL DEFAULT 'NO', -- NO | MAILED
    claimed_at      BIGINT,
    finished_at     BIGINT,
    created_at      BIGINT       NOT NULL,
    updated_at      BIGINT       NOT NULL,
    UNIQUE (notice_id, nominal_at)
);
CREATE INDEX sched_sends_by_state_due ON sched_sends (state, due_at);

-- The posts a send created, one per target list: the delivery overview and history follow these.
CREATE TABLE sched_send_posts (
    send_id  BIGINT NOT NULL REFERENCES sched_sends(id),
    list_id  BIGINT NOT NULL REFERENCES lists(id),
    post_id  BIGINT NOT NULL REFERENCES posts(id),
    PRIMARY KEY (send_id, list_id)
);
