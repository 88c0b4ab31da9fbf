package jp.kitamoto.lists.schedules.notice;

import jp.kitamoto.lists.text.JapaneseDates;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jp.kitamoto.lists.config.SettingsLoader;
import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.JapanTime;
import jp.kitamoto.lists.domain.FromRewrite;
import jp.kitamoto.lists.domain.ListKind;
import jp.kitamoto.lists.domain.ListPolicy;
import jp.kitamoto.lists.domain.ListState;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.OutputCharset;
import jp.kitamoto.lists.domain.PurposeCategory;
import jp.kitamoto.lists.domain.SignedFooter;
import jp.kitamoto.lists.schedules.model.Notice;
import jp.kitamoto.lists.schedules.model.NoticeKind;
import jp.kitamoto.lists.schedules.model.NoticeState;
import jp.kitamoto.lists.schedules.timing.HolidayPolicy;
import jp.kitamoto.lists.schedules.timing.ScheduleService;
import jp.kitamoto.lists.schedules.timing.WindowDays;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class NoticeComposerTest {
    private final Clock clock = Clock.fixed(ScheduleService.instant(LocalDateTime.of(2026, 11, 20, 10, 0)),
            JapanTime.ZONE);
    private final NoticeComposer composer = new NoticeComposer(
            new SettingsLoader().loadFrom(Optional.empty(), Map.of()), clock);
    private final MailingList list = new MailingList(7, "bunka", "教育・文化・生涯学習・スポーツ", "", PurposeCategory.EDUCATION_CULTURE,
            ListKind.PURPOSE, ListPolicy.DISCUSSION, ArchiveVisibility.MEMBERS, "bunka", "", OutputCharset.KEEP,
            SignedFooter.OMIT, FromRewrite.ALWAYS, 0, 1, ListState.OPEN, 0, 0);

    @Test
    void eraDatesAsCityNoticesWriteThem() {
        assertThat(JapaneseDates.date(LocalDate.of(2026, 12, 1))).isEqualTo("令和8年12月1日（火）");
        assertThat(JapaneseDates.date(LocalDate.of(2019, 5, 1))).isEqualTo("令和元年5月1日（水）");
        assertThat(JapaneseDates.dateTime(ScheduleService.instant(LocalDateTime.of(2027, 1, 15, 17, 0))))
                .isEqualTo("令和9年1月15日（金） 17:00");
    }

    @Test
    void templatesFillJapaneseAndEnglishVariablesAndReportUnknownOnes() {
        assertThat(NoticeTemplate.unknownVariables("{リスト名} {list_name} {締め切り}")).containsExactly("{締め切り}");
        Notice n = notice("{氏名}\n{list_name}の皆さま、{開催日}に集まりましょう。締切 {締切}（あと{残り日数}日）{リンク}");
        NoticeComposer.Rendered shared = composer.render(n, list, null, null, clock.instant());
        assertThat(shared.body()).isEqualTo("会員各位\n教育・文化・生涯学習・スポーツの皆さま、令和8年12月1日（火） 13:30に集まりましょう。"
                + "締切 令和8年11月27日（金） 17:00（あと7日）https://www.city.kitamoto.lg.jp/x");
        assertThat(composer.render(n, list, "山田 太郎", null, clock.instant()).body()).startsWith("山田 太郎 様\n");
    }

    @Test
    void messageHasAnRfc2047SubjectAndAUtf8BodyFromTheOwnerToTheList() throws Exception {
        Notice n = notice("{リスト名}の皆さまへ\n市民活動フェアのお知らせです。");
        byte[] bytes = composer.listMessage(list, "owner@city.kitamoto.example",
                composer.render(n, list, null, null, clock.instant()), "notice.1.7");
        String raw = new String(bytes, StandardCharsets.US_ASCII);
        assertThat(raw).contains("Subject: =?UTF-8?");
        assertThat(raw).doesNotContain("市民活動"); // headers and body are 7-bit on the wire
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));
        assertThat(m.getSubject()).isEqualTo("【お知らせ】市民活動フェア 令和8年12月1日（火） 13:30");
        assertThat(((InternetAddress) m.getFrom()[0]).getAddress()).isEqualTo("owner@city.kitamoto.example");
        assertThat(((InternetAddress) m.getAllRecipients()[0]).getAddress()).isEqualTo("bunka@ml.kitamoto.example");
        assertThat(m.getContentType()).containsIgnoringCase("charset=UTF-8");
        assertThat((String) m.getContent()).isEqualTo("教育・文化・生涯学習・スポーツの皆さまへ\n市民活動フェアのお知らせです。");
        assertThat(m.getMessageID()).startsWith("<notice.1.7.").endsWith("@ml.kitamoto.example>");
    }

    private Notice notice(String body) {
        long event = ScheduleService.instant(LocalDateTime.of(2026, 12, 1, 13, 30)).toEpochMilli();
        long deadline = ScheduleService.instant(LocalDateTime.of(2026, 11, 27, 17, 0)).toEpochMilli();
        return new Notice(1, null, NoticeKind.ONE_OFF, null, "フェア", "【お知らせ】市民活動フェア {開催日}", body, event,
                deadline, "https://www.city.kitamoto.lg.jp/x", clock.millis(), null, null, null, WindowDays.ANY_DAY,
                null, null, HolidayPolicy.SEND, 60, NoticeState.ACTIVE, "", 0, 0);
    }
}
