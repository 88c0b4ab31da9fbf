package jp.kitamoto.lists.domain;

import java.time.ZoneId;

/** Kitamoto's time zone: schedules, bounce days and every date shown to people are in Japan time. */
public final class JapanTime {
    public static final ZoneId ZONE = ZoneId.of("Asia/Tokyo");

    private JapanTime() {
    }
}
