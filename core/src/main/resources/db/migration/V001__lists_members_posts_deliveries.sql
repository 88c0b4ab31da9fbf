-- Schema version 1: lists, members, subscriptions, posts, deliveries, inbound commands.
-- Written once for SQLite and PostgreSQL: the Flyway placeholders id, blob and text (written with a dollar sign and
-- braces) are filled in per database from jp.kitamoto.lists.store.Dialect by Migrations.
-- Times are epoch milliseconds (BIGINT), which both databases compare and index the same way.

CREATE TABLE lists (
    id                 ${id},
    local_part         VARCHAR(64)  NOT NULL UNIQUE,   -- ASCII: bunka, fukushi, ...
    display_name       ${text}      NOT NULL,          -- Japanese: 教育・文化・生涯学習・スポーツ
    description        ${text}      NOT NULL,
    category           VARCHAR(32)  NOT NULL,          -- EDUCATION_CULTURE | WELFARE | INDUSTRY_WORK | SAFETY_COMMUNITY | GENERAL
    kind               VARCHAR(16)  NOT NULL,          -- PURPOSE | COUNCIL | ANNOUNCE
    policy             VARCHAR(16)  NOT NULL,          -- DISCUSSION | ANNOUNCE | MODERATED
    archive_visibility VARCHAR(16)  NOT NULL,          -- PUBLIC | MEMBERS | CLOSED
    subject_tag        VARCHAR(32)  NOT NULL,          -- rendered as [tag:00042]
    footer             ${text}      NOT NULL,
    output_charset     VARCHAR(16)  NOT NULL DEFAULT 'KEEP',
    signed_footer      VARCHAR(16)  NOT NULL DEFAULT 'OMIT', -- OMIT | SEPARATE_PART
    max_message_bytes  BIGINT       NOT NULL DEFAULT 0, -- 0: the server-wide limit
    next_sequence      BIGINT       NOT NULL DEFAULT 1,
    state              VARCHAR(16)  NOT NULL DEFAULT 'OPEN', -- OPEN | CLOSED
    created_at         BIGINT       NOT NULL,
    updated_at         BIGINT       NOT NULL
);

-- People who own or moderate a list, by address (owners may post to announce-only lists).
CREATE TABLE list_owners (
    id         ${id},
    list_id    BIGINT      NOT NULL REFERENCES lists(id),
    address    VARCHAR(320) NOT NULL,
    role       VARCHAR(16) NOT NULL,                   -- OWNER | MODERATOR
    UNIQUE (list_id, address, role)
);

CREATE TABLE members (
    id           ${id},
    address      VARCHAR(320) NOT NULL,                -- as given, e.g. taro..yamada.@docomo.ne.jp
    address_key  VARCHAR(320) NOT NULL UNIQUE,         -- canonical form for look-ups: domain lower-cased
    display_name ${text}      NOT NULL DEFAULT '',
    created_at   BIGINT       NOT NULL
);

CREATE TABLE subscriptions (
    id           ${id},
    list_id      BIGINT      NOT NULL REFERENCES lists(id),
    member_id    BIGINT      NOT NULL REFERENCES members(id),
    state        VARCHAR(16) NOT NULL,                 -- ACTIVE | PENDING | SUSPENDED | UNSUBSCRIBED
    token        VARCHAR(64) NOT NULL UNIQUE,          -- unguessable; in the one-click URL and the VERP sender
    bounce_score INTEGER     NOT NULL DEFAULT 0,
    created_at   BIGINT      NOT NULL,
    updated_at   BIGINT      NOT NULL,
    UNIQUE (list_id, member_id)
);
CREATE INDEX subscriptions_by_list_state ON subscriptions (list_id, state);

-- Every message we accepted with a 250, kept whole whatever happened to it.
CREATE TABLE posts (
    id            ${id},
    list_id       BIGINT       NOT NULL REFERENCES lists(id),
    origin        VARCHAR(16)  NOT NULL,               -- SMTP | NOTICE | OWNER_FORWARD | SYSTEM
    sequence      BIGINT,                              -- per-list number, set when distributed
    message_id    ${text},
    envelope_from VARCHAR(320) NOT NULL,
    sender        VARCHAR(320),                        -- the From: address
    subject       ${text},                             -- decoded, for display
    raw           ${blob}      NOT NULL,               -- the message exactly as received
    prepared      ${blob},                             -- the decorated copy shared by every recipient
    state         VARCHAR(16)  NOT NULL,               -- ACCEPTED | HELD | DISCARDED | REJECTED (enum names)
    reasons       ${text}      NOT NULL,               -- the rules that hit, one per line
    received_at   BIGINT       NOT NULL,
    decided_at    BIGINT
);
CREATE INDEX posts_by_list_state ON posts (list_id, state);

-- One row per recipient of a post: the state of that copy is the truth the delivery workers follow.
CREATE TABLE deliveries (
    id              ${id},
    post_id         BIGINT       NOT NULL REFERENCES posts(id),
    recipient       VARCHAR(320) NOT NULL,
    token           VARCHAR(64)  NOT NULL,             -- the subscription token at the time of expansion
    state           VARCHAR(16)  NOT NULL,             -- PENDING | SENT | FAILED
    attempts        INTEGER      NOT NULL DEFAULT 0,
    next_attempt_at BIGINT       NOT NULL,
    last_reply      ${text},
    created_at      BIGINT       NOT NULL,
    updated_at      BIGINT       NOT NULL,
    UNIQUE (post_id, recipient)
);
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at, id);

-- Mail to -request, -join, -leave, -owner and -bounces+token addresses, kept until handled.
CREATE TABLE inbound_commands (
    id            ${id},
    list_id       BIGINT       NOT NULL REFERENCES lists(id),
    command       VARCHAR(16)  NOT NULL,               -- REQUEST | JOIN | LEAVE | OWNER | BOUNCES
    token         VARCHAR(64),
    envelope_from VARCHAR(320) NOT NULL,
    raw           ${blob}      NOT NULL,
    state         VARCHAR(16)  NOT NULL,               -- RECEIVED | DONE | FAILED
    result        ${text},
    received_at   BIGINT       NOT NULL,
    processed_at  BIGINT
);
CREATE INDEX inbound_commands_by_state ON inbound_commands (state, id);
