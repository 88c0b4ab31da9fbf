package jp.kitamoto.lists.schedules.web;

import jp.kitamoto.lists.schedules.model.CallState;
import jp.kitamoto.lists.schedules.model.NoticeKind;
import jp.kitamoto.lists.schedules.model.NoticeState;
import jp.kitamoto.lists.schedules.model.SendState;
import jp.kitamoto.lists.schedules.timing.HolidayPolicy;
import jp.kitamoto.lists.schedules.timing.WindowDays;
import jp.kitamoto.lists.text.Texts;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schedules pages name their enums through keys built at run time ({@code "page.sched.kind." + k.name()}), which
 * admin-web's PageTextKeysTest cannot see: every constant needs its text in both languages.
 */
class ScheduleTextKeysTest {
    private static Properties load(String name) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Texts.class.getResourceAsStream("/jp/kitamoto/lists/text/" + name)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void everyEnumShownOnTheSchedulesPagesHasItsTextInBothLanguages() throws IOException {
        Properties ja = load("messages.properties");
        Properties en = load("messages_en.properties");
        Map<String, Enum<?>[]> enums = Map.of("page.sched.kind.", NoticeKind.values(),
                "page.sched.noticeState.", NoticeState.values(), "page.sched.sendState.", SendState.values(),
                "page.sched.callState.", CallState.values(), "page.sched.day.", DayOfWeek.values(),
                "page.sched.holidayPolicy.", HolidayPolicy.values(), "page.sched.windowDays.", WindowDays.values());
        List<String> missing = new ArrayList<>();
        enums.forEach((prefix, constants) -> {
            for (Enum<?> c : constants) {
                if (!ja.containsKey(prefix + c.name()) || !en.containsKey(prefix + c.name())) {
                    missing.add(prefix + c.name());
                }
            }
        });
        assertThat(missing).isEmpty();
        // The Japanese names are the ones the pages showed before (the model's labelJa()).
        for (NoticeKind k : NoticeKind.values()) {
            assertThat(ja.getProperty("page.sched.kind." + k.name())).isEqualTo(k.labelJa());
        }
        for (SendState s : SendState.values()) {
            assertThat(ja.getProperty("page.sched.sendState." + s.name())).isEqualTo(s.labelJa());
        }
        for (NoticeState s : NoticeState.values()) {
            assertThat(ja.getProperty("page.sched.noticeState." + s.name())).isEqualTo(s.labelJa());
        }
        for (HolidayPolicy h : HolidayPolicy.values()) {
            assertThat(ja.getProperty("page.sched.holidayPolicy." + h.name())).isEqualTo(h.labelJa());
        }
        for (WindowDays w : WindowDays.values()) {
            assertThat(ja.getProperty("page.sched.windowDays." + w.name())).isEqualTo(w.labelJa());
        }
        for (CallState s : CallState.values()) {
            assertThat(ja.getProperty("page.sched.callState." + s.name())).isEqualTo(s.labelJa());
        }
    }
}
