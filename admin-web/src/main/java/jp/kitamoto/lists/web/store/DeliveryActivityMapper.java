package jp.kitamoto.lists.web.store;

import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

import java.util.List;

/**
 * Copies sent per hour, for the staff dashboard. A SENT row's {@code updated_at} is when the smarthost accepted it
 * (its last change). The same SQL on SQLite and PostgreSQL: both divide BIGINTs as integers.
 */
public interface DeliveryActivityMapper {
    /** {@code hour} is hours since 1970 (UTC). */
    record HourCount(long hour, long copies) {
    }

    @Select("SELECT updated_at / 3600000 AS hour, COUNT(*) AS copies FROM deliveries"
            + " WHERE state = 'SENT' AND updated_at >= #{since} GROUP BY updated_at / 3600000")
    List<HourCount> sentPerHourSince(@Param("since") long sinceMillis);

    @Select("SELECT COUNT(*) FROM deliveries WHERE state = 'PENDING'")
    long pending();

    /** Copies waiting because the smarthost refused most copies, and the latest such reply (addresses masked). */
    record Deferred(long copies, String reply) {
    }

    /**
     * The prefix is mail-server's {@code DeliveryService.DEFERRED_BY_BREAKER} (admin-web does not depend on the mail
     * side): a copy's last reply starts with it while it waits because of the smarthost, on any node.
     */
    @Select("SELECT COUNT(*) AS copies, MAX(last_reply) AS reply FROM deliveries WHERE state = 'PENDING'"
            + " AND last_reply LIKE 'deferred, the smarthost refuses most copies: %'")
    Deferred deferredBySmarthost();
}
