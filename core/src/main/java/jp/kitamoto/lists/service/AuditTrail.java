package jp.kitamoto.lists.service;

import org.apache.ibatis.session.SqlSession;

/**
 * Where a change made by somebody who is not staff (a member unsubscribing by mail) is recorded for staff to see,
 * inside the transaction of the change. admin-web's audit log implements it; the mail server only knows this port,
 * so it needs neither the web module nor its tables.
 */
@FunctionalInterface
public interface AuditTrail {
    /** Records nothing: for servers started without the web (tools, some tests). */
    AuditTrail NONE = (session, actor, clientIp, action, listId, target, detail) -> { };

    void record(SqlSession session, String actor, String clientIp, String action, Long listId, String target,
                String detail);
}
