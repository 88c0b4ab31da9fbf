package jp.kitamoto.lists.app.digests;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import jp.kitamoto.lists.app.Application;
import jp.kitamoto.lists.domain.DigestCadence;
import jp.kitamoto.lists.domain.JapanTime;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.PostOrigin;
import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.mime.HeaderWords;
import jp.kitamoto.lists.mime.MimeEntity;
import jp.kitamoto.lists.mime.TextBody;
import jp.kitamoto.lists.schedules.digest.DigestService;
import jp.kitamoto.lists.schedules.store.DigestRunMapper;
import jp.kitamoto.lists.service.DigestSettings;
import jp.kitamoto.lists.service.MemberLanguages;
import jp.kitamoto.lists.store.DeliveryMapper;
import jp.kitamoto.lists.store.PostMapper;
import jp.kitamoto.lists.testing.JapaneseLeftovers;
import jp.kitamoto.lists.testing.MovableClock;
import jp.kitamoto.lists.testing.RawSmtpClient;
import jp.kitamoto.lists.testing.SmarthostInbox;
import jp.kitamoto.lists.testing.TestMessages;
import jp.kitamoto.lists.testing.TestSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Digests end to end: the whole server (SMTP intake, distribution, Quartz schedules, delivery workers) on a real
 * SQLite file, posts sent by SMTP, GreenMail as the smarthost, the injected clock moved to the set times. Assertions
 * are on what each member's mailbox received.
 */
class DigestEndToEndTest {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    static final String AUTHOR = "author@example.jp";
    static final String EACH = "each@example.jp";
    static final String DIGEST = "digest@example.jp";
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;
    /** Friday 15 January 2027, 9:00 in Japan. */
    final MovableClock clock = new MovableClock(jst(2027, 1, 15, 9, 0));
    Application app;
    MailingList bunka;
    String domain;

    static Instant jst(int y, int m, int d, int h, int min) {
        return LocalDateTime.of(y, m, d, h, min).atZone(JapanTime.ZONE).toInstant();
    }

    @BeforeEach
    void start() throws Exception {
        app = Application.start(TestSettings.forTest(dataDir, smarthost.getSmtp().getPort()), false, clock);
        domain = app.settings().server().domain();
        bunka = app.lists().byLocalPart("bunka").orElseThrow();
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private void restart() throws Exception {
        app.close();
        app = null;
        app = Application.start(TestSettings.forTest(dataDir, smarthost.getSmtp().getPort()), false, clock);
    }

    /** The member is set to the digest in the database, as the member's page or the staff page would. */
    static void chooseDigest(Application app, long listId, String address) {
        Subscription s = app.members().find(listId, address).orElseThrow();
        app.database().inTransaction(session -> {
            try (Statement st = session.getConnection().createStatement()) {
                return st.executeUpdate("UPDATE subscriptions SET delivery_mode = 'DIGEST' WHERE id = " + s.id());
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private void members() {
        app.members().subscribe(bunka.id(), AUTHOR, "投稿 太郎", SubscriptionState.ACTIVE);
        app.members().subscribe(bunka.id(), EACH, "", SubscriptionState.ACTIVE);
        app.members().subscribe(bunka.id(), DIGEST, "", SubscriptionState.ACTIVE);
        chooseDigest(app, bunka.id(), DIGEST);
    }

    private void post(String subject, String body) throws Exception {
        byte[] message = TestMessages.message("From: =?UTF-8?B?" + java.util.Base64.getEncoder().encodeToString(
                        "投稿 太郎".getBytes(StandardCharsets.UTF_8)) + "?= <" + AUTHOR + ">\nTo: bunka@" + domain
                        + "\nSubject: " + HeaderWords.encode(subject, StandardCharsets.UTF_8)
                        + "\nMessage-ID: <" + java.util.UUID.randomUUID() + "@example.jp>\nMIME-Version: 1.0\n"
                        + "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n",
                body, StandardCharsets.UTF_8);
        try (RawSmtpClient smtp = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
            assertThat(smtp.send(AUTHOR, new String[]{"bunka@" + domain}, message)).startsWith("250");
        }
    }

    private long pending() {
        return app.database().read(s -> s.getMapper(DeliveryMapper.class).countPending());
    }

    private List<DigestRunMapper.DigestRun> runs() {
        return app.schedules().digests().history(bunka.id(), 100);
    }

    static byte[] raw(MimeMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }

    @Test
    void aMemberOnTheDigestGetsOneDigestWithBothPostsAtTheSetTimeAndNoCopyOfEach() throws Exception {
        members();
        new DigestSettings(app.database(), clock).save(bunka.id(), Optional.of(LocalTime.of(18, 0)), Optional.empty());
        post("定例会のお知らせ", "来週の定例会は公民館で開きます。\n");
        clock.set(jst(2027, 1, 15, 13, 0));
        post("会場変更", "会場を第二会議室に変更します。\n");
        await().atMost(WAIT).until(() -> SmarthostInbox.inbox(smarthost, EACH).size() == 2 && pending() == 0);
        assertThat(SmarthostInbox.inbox(smarthost, DIGEST)).as("no copy of each post").isEmpty();

        clock.set(jst(2027, 1, 15, 17, 59));
        assertThat(app.schedules().digests().sweep()).as("a minute early").isZero();
        // Two seconds before the set time: the digest's own Quartz trigger fires it, by the wall clock, at 18:00.
        clock.set(jst(2027, 1, 15, 18, 0).minusSeconds(2));
        app.schedules().digests().replan();
        await().atMost(WAIT).until(() -> !SmarthostInbox.inbox(smarthost, DIGEST).isEmpty() && pending() == 0);
        assertThat(runs()).singleElement().satisfies(r -> {
            assertThat(r.nominalAt()).isEqualTo(jst(2027, 1, 15, 18, 0).toEpochMilli());
            assertThat(r.posts()).isEqualTo(2);
            assertThat(r.recipients()).isEqualTo(1);
        });
        long digestPost = runs().get(0).postId();
        assertThat(app.database().read(s -> s.getMapper(PostMapper.class).findById(digestPost)).orElseThrow())
                .satisfies(p -> {
                    assertThat(p.origin()).isEqualTo(PostOrigin.DIGEST);
                    assertThat(p.receivedAt()).as("made at the set time, not before")
                            .isGreaterThanOrEqualTo(jst(2027, 1, 15, 18, 0).toEpochMilli());
                });
        assertThat(app.schedules().digests().sweep()).as("made once").isZero();

        List<MimeMessage> got = SmarthostInbox.inbox(smarthost, DIGEST);
        assertThat(got).hasSize(1);
        assertThat(SmarthostInbox.inbox(smarthost, EACH)).as("the each-post member gets no digest").hasSize(2);
        MimeMessage digest = got.get(0);
        assertThat(digest.getSubject()).isEqualTo("[bunka] " + bunka.displayName() + " ダイジェスト 令和9年1月15日（金）（2件）");
        assertThat(digest.getContentType()).startsWith("multipart/digest");
        String token = app.members().find(bunka.id(), DIGEST).orElseThrow().token();
        assertThat(digest.getHeader("List-Unsubscribe", null)).as("personal, like every copy").contains(token);
        assertThat(digest.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
        assertThat(digest.getHeader("List-Id", null)).contains("<bunka." + domain + ">");
        assertThat(digest.getHeader("Return-Path", null)).contains("bunka-bounces+" + token + "@");

        MimeEntity parsed = MimeEntity.parse(raw(digest));
        assertThat(parsed.parts()).hasSize(3);
        String toc = TextBody.decode(parsed.parts().get(0));
        assertThat(parsed.parts().get(0).mimeType()).isEqualTo("text/plain");
        assertThat(toc).contains("1. [bunka:00001] 定例会のお知らせ", "2. [bunka:00002] 会場変更", "投稿 太郎",
                "令和9年1月15日（金） 9:00", "令和9年1月15日（金） 13:00");
        for (int i = 1; i <= 2; i++) {
            MimeEntity part = parsed.parts().get(i);
            assertThat(part.mimeType()).isEqualTo("message/rfc822");
            MimeEntity inner = MimeEntity.parse(part.body());
            assertThat(inner.rawValue("List-Unsubscribe")).as("no personal field inside").isEmpty();
            assertThat(inner.rawValue("List-Id")).as("the post as subscribers got it").isPresent();
        }
        assertThat(HeaderWords.decode(MimeEntity.parse(parsed.parts().get(2).body()).rawValue("Subject").orElseThrow()))
                .isEqualTo("[bunka:00002] 会場変更");

        // The next day: no post since, so no digest.
        clock.set(jst(2027, 1, 16, 18, 0));
        assertThat(app.schedules().digests().fire(bunka.id(), DigestCadence.DAILY))
                .isEqualTo(DigestService.Outcome.NO_POSTS);
        assertThat(runs()).hasSize(2);
        assertThat(SmarthostInbox.inbox(smarthost, DIGEST)).hasSize(1);
    }

    @Test
    void noPostsMeansNoDigest() throws Exception {
        members();
        new DigestSettings(app.database(), clock).save(bunka.id(), Optional.of(LocalTime.of(18, 0)), Optional.empty());
        clock.set(jst(2027, 1, 15, 18, 0));
        app.schedules().runDueNow();
        await().atMost(WAIT).until(() -> !runs().isEmpty());
        assertThat(runs()).singleElement().satisfies(r -> {
            assertThat(r.posts()).isZero();
            assertThat(r.postId()).isNull();
        });
        assertThat(pending()).isZero();
        assertThat(smarthost.getReceivedMessages()).isEmpty();
    }

    @Test
    void aRestartAfterTheDigestDoesNotSendItAgainAndADigestMissedWhileDownGoesOutOnceWhenBack() throws Exception {
        members();
        new DigestSettings(app.database(), clock).save(bunka.id(), Optional.of(LocalTime.of(18, 0)), Optional.empty());
        post("一通目", "本文一\n");
        clock.set(jst(2027, 1, 15, 18, 0));
        app.schedules().runDueNow();
        await().atMost(WAIT).until(() -> SmarthostInbox.inbox(smarthost, DIGEST).size() == 1 && pending() == 0);

        clock.set(jst(2027, 1, 15, 18, 5));
        restart();
        assertThat(app.schedules().digests().sweep()).as("after the restart").isZero();
        assertThat(app.schedules().digests().fire(bunka.id(), DigestCadence.DAILY))
                .isEqualTo(DigestService.Outcome.NOT_DUE);
        assertThat(runs()).hasSize(1);

        // A post, then the server is down across two set times (16th and 17th, 18:00): one digest when it is back.
        post("二通目", "本文二\n");
        await().atMost(WAIT).until(() -> SmarthostInbox.inbox(smarthost, EACH).size() == 2 && pending() == 0);
        app.close();
        app = null;
        clock.set(jst(2027, 1, 18, 8, 0));
        app = Application.start(TestSettings.forTest(dataDir, smarthost.getSmtp().getPort()), false, clock);
        // No call here: the sweep Quartz runs at start-up (and the digest's trigger, set to now) makes it.
        await().atMost(WAIT).until(() -> SmarthostInbox.inbox(smarthost, DIGEST).size() == 2 && pending() == 0);
        assertThat(runs()).hasSize(2);
        assertThat(runs().get(0).nominalAt()).as("recorded at the latest missed set time")
                .isEqualTo(jst(2027, 1, 17, 18, 0).toEpochMilli());
        assertThat(runs().get(0).posts()).isEqualTo(1);
        MimeMessage late = SmarthostInbox.inbox(smarthost, DIGEST).get(1);
        assertThat(TextBody.decode(MimeEntity.parse(raw(late)).parts().get(0))).contains("[bunka:00002] 二通目")
                .doesNotContain("一通目");
        assertThat(app.schedules().digests().sweep()).isZero();
        assertThat(SmarthostInbox.inbox(smarthost, DIGEST)).hasSize(2);
    }

    @Test
    void aWeeklyDigestGoesOutOnItsWeekdayOnly() throws Exception {
        members();
        new DigestSettings(app.database(), clock).save(bunka.id(), Optional.empty(),
                Optional.of(new DigestSettings.Weekly(DayOfWeek.WEDNESDAY, LocalTime.of(7, 30))));
        post("週の話題", "今週の話題です。\n");
        await().atMost(WAIT).until(() -> SmarthostInbox.inbox(smarthost, EACH).size() == 1 && pending() == 0);
        // Friday 15th to Tuesday 19th at 7:30: nothing.
        for (int day = 16; day <= 19; day++) {
            clock.set(jst(2027, 1, day, 7, 30));
            assertThat(app.schedules().digests().sweep()).as("1月%d日", day).isZero();
        }
        assertThat(runs()).isEmpty();
        clock.set(jst(2027, 1, 20, 7, 29));
        assertThat(app.schedules().digests().sweep()).isZero();
        clock.set(jst(2027, 1, 20, 7, 30));
        app.schedules().runDueNow();
        await().atMost(WAIT).until(() -> SmarthostInbox.inbox(smarthost, DIGEST).size() == 1 && pending() == 0);
        assertThat(SmarthostInbox.inbox(smarthost, DIGEST).get(0).getSubject())
                .isEqualTo("[bunka] " + bunka.displayName() + " 週間ダイジェスト 令和9年1月20日（水）（1件）");
        clock.set(jst(2027, 1, 21, 7, 30));
        assertThat(app.schedules().digests().sweep()).as("Thursday").isZero();
        assertThat(runs()).hasSize(1);
    }
    @Test
    void eachMemberGetsTheDigestsFixedTextsInTheirOwnLanguageAroundTheSamePosts() throws Exception {
        members();
        String english = "english@example.jp";
        app.members().subscribe(bunka.id(), english, "", SubscriptionState.ACTIVE);
        chooseDigest(app, bunka.id(), english);
        long englishMember = app.members().find(bunka.id(), english).orElseThrow().memberId();
        app.database().inTransaction(s -> {
            MemberLanguages.set(s, englishMember, Locale.ENGLISH);
            return null;
        });
        new DigestSettings(app.database(), clock).save(bunka.id(), Optional.of(LocalTime.of(18, 0)), Optional.empty());
        post("定例会のお知らせ", "来週の定例会は公民館で開きます。\n");
        post("会場変更", "会場を第二会議室に変更します。\n");
        await().atMost(WAIT).until(() -> SmarthostInbox.inbox(smarthost, EACH).size() == 2 && pending() == 0);

        clock.set(jst(2027, 1, 15, 18, 0));
        assertThat(app.schedules().digests().sweep()).isEqualTo(1);
        await().atMost(WAIT).until(() -> !SmarthostInbox.inbox(smarthost, DIGEST).isEmpty()
                && !SmarthostInbox.inbox(smarthost, english).isEmpty() && pending() == 0);
        assertThat(runs()).singleElement().satisfies(r -> assertThat(r.recipients()).isEqualTo(2));
        assertThat(SmarthostInbox.inbox(smarthost, DIGEST)).as("one digest each").hasSize(1);
        assertThat(SmarthostInbox.inbox(smarthost, english)).hasSize(1);
        MimeMessage ja = SmarthostInbox.inbox(smarthost, DIGEST).get(0);
        MimeMessage en = SmarthostInbox.inbox(smarthost, english).get(0);

        // The Japanese member's digest reads as it always did.
        assertThat(ja.getSubject()).isEqualTo("[bunka] " + bunka.displayName() + " ダイジェスト 令和9年1月15日（金）（2件）");
        MimeEntity jaParsed = MimeEntity.parse(raw(ja));
        String jaToc = TextBody.decode(jaParsed.parts().get(0));
        assertThat(jaToc).contains("前回のダイジェストのあとの投稿 2件", "目次", "差出人: 投稿 太郎",
                "日時: 令和9年1月15日（金） 9:00", "投稿は、この目次のあとに1通ずつ付いています。");

        // The English member's: every fixed text in English, the dates without an era.
        assertThat(en.getSubject()).isEqualTo("[bunka] " + bunka.displayName() + " digest 2027/01/15 (Fri) (2 posts)");
        MimeEntity enParsed = MimeEntity.parse(raw(en));
        String enToc = TextBody.decode(enParsed.parts().get(0));
        assertThat(enToc).contains("The 2 posts since the previous digest.", "Contents", "From: 投稿 太郎",
                "Date: 2027/01/15 (Fri) 9:00", "The posts follow this table of contents");
        String token = app.members().find(bunka.id(), english).orElseThrow().token();
        assertThat(en.getHeader("List-Unsubscribe", null)).as("still the member's own").contains(token);
        assertThat(JapaneseLeftovers.in(List.of("English digest\n" + en.getSubject() + "\n" + enToc),
                List.of(bunka.displayName(), "[bunka:00001] 定例会のお知らせ", "[bunka:00002] 会場変更", "投稿 太郎")))
                .as("Japanese left in the English digest's fixed texts").isEmpty();

        // The posts inside are the same bytes in both.
        assertThat(enParsed.parts()).hasSize(3);
        for (int i = 1; i <= 2; i++) {
            assertThat(enParsed.parts().get(i).body()).isEqualTo(jaParsed.parts().get(i).body());
        }
        assertThat(ja.getMessageID()).isNotEqualTo(en.getMessageID());
    }
}
