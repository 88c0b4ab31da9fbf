-- When the last permanent bounce of a subscription was counted. As in Mailman 3, a subscription's bounces count at
-- most once a day (one dead mailbox answers every post of a busy day), and a score whose last bounce is older than
-- a week starts again from one (a mailbox that was full last month is not half-way to suspension now).
ALTER TABLE subscriptions ADD COLUMN last_bounce_at BIGINT;
