package jp.kitamoto.lists.web;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Post;
import jp.kitamoto.lists.domain.PostOrigin;
import jp.kitamoto.lists.domain.PostState;
import jp.kitamoto.lists.store.IdHolder;
import jp.kitamoto.lists.store.ListMapper;
import jp.kitamoto.lists.store.MemberMapper;
import jp.kitamoto.lists.store.PostMapper;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.testing.HttpSession;
import jp.kitamoto.lists.web.audit.AuditLog;
import jp.kitamoto.lists.web.csv.ImportPlan;
import jp.kitamoto.lists.web.csv.MemberImport;
import jp.kitamoto.lists.web.store.ImportPlanMapper;
import jp.kitamoto.lists.testing.JapaneseLeftovers;
import jp.kitamoto.lists.testing.SmarthostInbox;
import jp.kitamoto.lists.web.http.ReaderLanguage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The reader's language over HTTP: Accept-Language on a first visit, the switch's cookie after it, English pages
 * that carry no Japanese but the data people typed (list names), and the subscription confirmation mailed in the
 * language of the page it was asked for on.
 */
class LanguageTest {
    /** Kana, kanji and the full-width punctuation of Japanese text: none may be left on an English page. */
    static final Pattern JAPANESE = JapaneseLeftovers.JAPANESE;

    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dataDir;
    WebTestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new WebTestServer(dataDir, smarthost.getSmtp().getPort());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpSession reader(String acceptLanguage) {
        HttpSession http = new HttpSession(server.base());
        http.acceptLanguage = acceptLanguage;
        return http;
    }

    @Test
    void aFirstVisitIsInTheBrowsersLanguageAndJapaneseByDefault() throws Exception {
        assertThat(reader("en-US,en;q=0.9").get("/").body()).contains("<html lang=\"en\">", "Mailing lists");
        assertThat(reader("fr-FR, en;q=0.5, ja;q=0.8").get("/").body()).contains("<html lang=\"ja\">");
        assertThat(reader("fr-FR, de").get("/").body()).contains("<html lang=\"ja\">", "メーリングリスト一覧");
        assertThat(reader(null).get("/").body()).contains("<html lang=\"ja\">");
        assertThat(reader("not a language header ;;;").get("/").body()).contains("<html lang=\"ja\">");
    }

    @Test
    void theSwitchIsRememberedOverTheBrowsersLanguageAndGoesBackToThePage() throws Exception {
        HttpSession http = reader("en");
        String page = http.get("/lists/bunka").body();
        assertThat(page).contains("lang=\"en\"", "href=\"/language?to=ja&amp;back=%2Flists%2Fbunka\"");
        HttpResponse<String> sw = http.get("/language?to=ja&back=%2Flists%2Fbunka");
        assertThat(sw.statusCode()).isEqualTo(302);
        assertThat(sw.headers().firstValue("Location")).hasValue("/lists/bunka");
        assertThat(sw.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c)
                .contains(ReaderLanguage.COOKIE + "=ja", "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age="));
        assertThat(http.get("/lists/bunka").body()).contains("<html lang=\"ja\">", "登録する");
        assertThat(http.get("/help/carrier").body()).contains("<html lang=\"ja\">");
        http.get("/language?to=en&back=/");
        assertThat(http.get("/").body()).contains("<html lang=\"en\">");
        // Never a way out of the site (no open redirect), and an unknown language changes nothing.
        for (String back : List.of("//evil.example/", "https://evil.example/", "/%5Cevil.example", "")) {
            assertThat(http.get("/language?to=ja&back=" + back).headers().firstValue("Location")).hasValue("/");
        }
        http.get("/language?to=fr&back=/");
        assertThat(http.get("/").body()).contains("<html lang=\"ja\">");
    }

    @Test
    void englishPagesCarryNoJapaneseButWhatPeopleTyped() throws Exception {
        long bunka = server.listId("bunka");
        String raw = "From: someone@example.jp\r\nTo: bunka@ml.kitamoto.example\r\nSubject: Meeting notes\r\n"
                + "Date: Mon, 1 Nov 2027 10:00:00 +0900\r\nMessage-ID: <en-1@example.jp>\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\nHello.\r\n";
        long seq = server.db.inTransaction(s -> {
            ListMapper lists = s.getMapper(ListMapper.class);
            long n = lists.reserveSequence(bunka);
            byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
            s.getMapper(PostMapper.class).insertPost(new Post(0, bunka, PostOrigin.SMTP, n, "<en-1@example.jp>",
                    "someone@example.jp", "someone@example.jp", "Meeting notes", bytes, bytes, PostState.ACCEPTED,
                    "", server.clock.millis(), server.clock.millis()), new IdHolder());
            return n;
        });
        String month = YearMonth.from(Instant.ofEpochMilli(server.clock.millis())
                .atZone(jp.kitamoto.lists.domain.JapanTime.ZONE)).toString();
        HttpSession http = reader("en");
        List<String> pages = new ArrayList<>();
        for (String path : List.of("/", "/lists/bunka", "/lists/bunka/unsubscribe", "/help/carrier",
                "/help/carrier?list=bunka", "/lists/bunka/archive", "/lists/bunka/archive/" + month,
                "/lists/bunka/archive/" + month + "?view=thread", "/lists/bunka/archive/posts/" + seq,
                "/confirm/no-such-token", "/u/no-such-token", "/no-such-page", "/staff/login")) {
            HttpResponse<String> r = http.get(path);
            pages.add(path + "\n" + r.body());
        }
        // Staff pages, signed in as the first admin (the audit log holds only sign-ins so far: no typed text).
        HttpSession staff = reader("en");
        staff.login("admin", WebTestServer.ADMIN_PASSWORD);
        for (String path : List.of("/staff", "/staff/lists/" + bunka, "/staff/lists/" + bunka + "/members",
                "/staff/lists/" + bunka + "/import", "/staff/lists/" + bunka + "/held",
                "/staff/lists/" + bunka + "/posts", "/staff/lists/new", "/staff/audit", "/staff/accounts",
                "/staff/password", "/staff/api-tokens")) {
            pages.add(path + "\n" + staff.get(path).body());
        }
        pages.add("staff: wrong password\n" + staff.post("/staff/password",
                Map.of("current", "wrong", "password", "x", "again", "x"), true).body());
        pages.add("subscribe, bad address\n" + http.post("/lists/bunka/subscribe", Map.of("address", "x"), true).body());
        pages.add("subscribe\n" + http.post("/lists/bunka/subscribe", Map.of("address", "en@example.jp"), true).body());
        pages.add("leave\n" + http.post("/lists/bunka/unsubscribe", Map.of("address", "en@example.jp"), true).body());
        pages.add("no CSRF\n" + http.post("/lists/bunka/subscribe", Map.of("address", "x@example.jp"), false).body());
        assertNoJapanese(pages);
    }

    @Test
    void englishMemberPageImportPlanAndArchiveNoteCarryNoJapaneseButWhatPeopleTyped() throws Exception {
        long bunka = server.listId("bunka");
        long bosai = server.listId("bosai-council");
        server.members.subscribe(bunka, "hanako@example.jp", "北本 花子", SubscriptionState.ACTIVE);
        server.members.subscribe(bosai, "hanako@example.jp", "北本 花子", SubscriptionState.ACTIVE);
        server.members.subscribe(bunka, "jiro@example.jp", "", SubscriptionState.ACTIVE);
        server.members.subscribe(bunka, "resting@example.jp", "", SubscriptionState.SUSPENDED);
        List<String> pages = new ArrayList<>();

        // The member's page, signed in by the mailed link, with a list that has no digest (none has one here).
        HttpSession member = reader("en");
        member.get("/me");
        member.post("/me/signin", Map.of("address", "hanako@example.jp"), true);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !SmarthostInbox.inbox(smarthost, "hanako@example.jp").isEmpty());
        Matcher link = Pattern.compile("http\\S+/me/signin/[a-z2-7]+")
                .matcher((String) SmarthostInbox.inbox(smarthost, "hanako@example.jp").get(0).getContent());
        assertThat(link.find()).isTrue();
        String signIn = server.localise(link.group()).substring(server.base().length());
        pages.add("sign-in button\n" + member.get(signIn).body());
        member.post(signIn, Map.of(), true);
        String me = member.get("/me").body();
        assertThat(me).contains("id=\"member-page\"", "id=\"no-digest-bosai-council\"");
        pages.add("/me\n" + me);

        // A CSV import's plan: every kind of row, each with its reason.
        HttpSession staff = reader("en");
        staff.login("admin", WebTestServer.ADMIN_PASSWORD);
        long admin = new jp.kitamoto.lists.web.auth.StaffAccounts(server.db, server.clock).all().stream()
                .filter(u -> u.username().equals("admin")).findFirst().orElseThrow().id();
        String csv = "メールアドレス,氏名\r\nnew@example.jp,新しい人\r\nnot-an-address,誰か\r\nnew@example.jp,重複\r\n"
                + "hanako@example.jp,北本 はなこ\r\n,空\r\nresting@example.jp,\r\njiro@example.jp,\r\n";
        try (MemberImport imports = new MemberImport(server.db, server.clock, server.members,
                new AuditLog(server.db, server.clock))) {
            ImportPlan plan = imports.dryRun(bunka, admin, "members.csv", csv.getBytes(StandardCharsets.UTF_8));
            String page = staff.get("/staff/lists/" + bunka + "/import/" + plan.id()).body();
            assertThat(page).contains("Same address as line 2", "The name changes from \"北本 花子\"",
                    "This does not look like an e-mail address", "The address is empty", "Will be subscribed",
                    "Already subscribed (delivery stays suspended)");
            pages.add("import plan\n" + page);
            // The same plan on a Japanese page reads as it always did.
            HttpSession japanese = reader("ja");
            japanese.login("admin", WebTestServer.ADMIN_PASSWORD);
            assertThat(japanese.get("/staff/lists/" + bunka + "/import/" + plan.id()).body())
                    .contains("2 行目と同じアドレスです", "氏名を「北本 花子」から変更します", "登録済み（配信停止中のまま）");

            // A commit that stopped half-way: the progress page says so in the reader's language; a plan that
            // failed under an older version keeps the sentence it stored.
            ImportPlan failed = imports.dryRun(bunka, admin, "failed.csv", csv.getBytes(StandardCharsets.UTF_8));
            server.db.inTransaction(s -> s.getMapper(ImportPlanMapper.class).finish(failed.id(),
                    ImportPlan.Status.FAILED.name(), ImportPlan.failedAfter(3), server.clock.millis()));
            String stopped = staff.get("/staff/lists/" + bunka + "/import/" + failed.id()).body();
            assertThat(stopped).contains("id=\"import-failed\"", "The import stopped with a problem. 3 row(s)");
            pages.add("import failed\n" + stopped);
            assertThat(japanese.get("/staff/lists/" + bunka + "/import/" + failed.id()).body())
                    .contains("取り込みの途中で問題が発生しました。3 件まで登録済みです。");
            server.db.inTransaction(s -> s.getMapper(ImportPlanMapper.class).finish(failed.id(),
                    ImportPlan.Status.FAILED.name(), "古い版の文", server.clock.millis()));
            assertThat(staff.get("/staff/lists/" + bunka + "/import/" + failed.id()).body()).contains("古い版の文");
        }

        // A file that is not CSV at all (a quote never closed): the upload page's error.
        staff.get("/staff/lists/" + bunka + "/import");
        HttpResponse<String> notCsv = staff.postFile("/staff/lists/" + bunka + "/import", "file", "broken.csv",
                "address,name\r\n\"never closed,x\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(notCsv.statusCode()).isEqualTo(400);
        assertThat(notCsv.body()).contains("This could not be read as a CSV file");
        pages.add("import: not a CSV file\n" + notCsv.body());
        HttpSession japaneseStaff = reader("ja");
        japaneseStaff.login("admin", WebTestServer.ADMIN_PASSWORD);
        japaneseStaff.get("/staff/lists/" + bunka + "/import");
        assertThat(japaneseStaff.postFile("/staff/lists/" + bunka + "/import", "file", "broken.csv",
                "address,name\r\n\"never closed,x\r\n".getBytes(StandardCharsets.UTF_8)).body())
                .contains("CSV ファイルとして読めませんでした");

        // A post too large to show whole: the archive's note.
        StringBuilder raw = new StringBuilder("From: someone@example.jp\r\nTo: bunka@ml.kitamoto.example\r\n"
                + "Subject: Many parts\r\nMessage-ID: <parts-1@example.jp>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"p\"\r\n\r\n");
        for (int i = 0; i < 250; i++) {
            raw.append("--p\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\npart ").append(i).append("\r\n");
        }
        byte[] bytes = raw.append("--p--\r\n").toString().getBytes(StandardCharsets.UTF_8);
        long seq = server.db.inTransaction(s -> {
            long n = s.getMapper(ListMapper.class).reserveSequence(bunka);
            s.getMapper(PostMapper.class).insertPost(new Post(0, bunka, PostOrigin.SMTP, n, "<parts-1@example.jp>",
                    "someone@example.jp", "someone@example.jp", "Many parts", bytes, bytes, PostState.ACCEPTED,
                    "", server.clock.millis(), server.clock.millis()), new IdHolder());
            return n;
        });
        String post = reader("en").get("/lists/bunka/archive/posts/" + seq).body();
        assertThat(post).contains("id=\"limit-note\"", "too large or too complex", "parts beyond the first 200");
        pages.add("archive post with too many parts\n" + post);
        assertThat(reader("ja").get("/lists/bunka/archive/posts/" + seq).body())
                .contains("このメールは大きすぎるか複雑すぎるため、一部を表示していません");

        // A post without a subject, and one that cannot be read at all (stored empty): the subject the pages
        // show for them, in the archive's month list, on the post's page and on the staff post page.
        long untitled = archived(bunka, ("From: someone@example.jp\r\nTo: bunka@ml.kitamoto.example\r\n"
                + "Message-ID: <untitled-1@example.jp>\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nHi.\r\n")
                .getBytes(StandardCharsets.UTF_8))[0];
        long[] broken = archived(bunka, new byte[0]);
        long unreadable = broken[0];
        String month = YearMonth.from(Instant.ofEpochMilli(server.clock.millis())
                .atZone(jp.kitamoto.lists.domain.JapanTime.ZONE)).toString();
        String list = reader("en").get("/lists/bunka/archive/" + month).body();
        assertThat(list).contains("(no subject)");
        pages.add("archive month with untitled posts\n" + list);
        String untitledPage = reader("en").get("/lists/bunka/archive/posts/" + untitled).body();
        assertThat(untitledPage).contains("<title>(no subject)");
        pages.add("untitled post\n" + untitledPage);
        String unreadablePage = reader("en").get("/lists/bunka/archive/posts/" + unreadable).body();
        assertThat(unreadablePage).contains("<title>(unreadable mail)", "This mail is broken");
        pages.add("unreadable post\n" + unreadablePage);
        String staffPost = staff.get("/staff/posts/" + broken[1]).body();
        assertThat(staffPost).contains("(unreadable mail)");
        pages.add("staff: unreadable post\n" + staffPost);
        assertThat(reader("ja").get("/lists/bunka/archive/posts/" + unreadable).body()).contains("（読み取れないメール）");
        assertThat(reader("ja").get("/lists/bunka/archive/" + month).body()).contains("（件名なし）");

        assertNoJapanese(pages, "北本 花子", "新しい人", "誰か", "重複", "北本 はなこ", "空");
    }

    /** An accepted post of the list as the archive holds it: its number and its id. */
    private long[] archived(long listId, byte[] bytes) {
        return server.db.inTransaction(s -> {
            long n = s.getMapper(ListMapper.class).reserveSequence(listId);
            IdHolder id = new IdHolder();
            s.getMapper(PostMapper.class).insertPost(new Post(0, listId, PostOrigin.SMTP, n, "<archived-" + n
                    + "@example.jp>", "someone@example.jp", "someone@example.jp", "", bytes, bytes,
                    PostState.ACCEPTED, "", server.clock.millis(), server.clock.millis()), id);
            return new long[] {n, id.getId()};
        });
    }

    /** Fails naming the page and the words when Japanese is left outside the data people typed. */
    void assertNoJapanese(List<String> pages, String... moreTyped) {
        List<String> typed = new ArrayList<>(List.of(moreTyped));
        for (MailingList l : server.lists.all()) {
            typed.add(l.displayName());
            typed.add(l.description());
        }
        // Staff display names are data too (the first admin's is 管理者, given at bootstrap).
        new jp.kitamoto.lists.web.auth.StaffAccounts(server.db, server.clock).all()
                .forEach(u -> typed.add(u.displayName()));
        assertThat(JapaneseLeftovers.in(pages, typed))
                .as("Japanese left on English pages (a text missing from the catalogue?)").isEmpty();
    }

    @Test
    void aMemberWhoSubscribedFromTheEnglishPageGetsEnglishMailAndIsRecordedAsReadingEnglish() throws Exception {
        HttpSession http = reader("en-GB,en");
        http.get("/lists/bunka");
        http.post("/lists/bunka/subscribe", Map.of("address", "alice@example.jp", "name", "Alice"), true);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !SmarthostInbox.inbox(smarthost, "alice@example.jp").isEmpty());
        MimeMessage mail = SmarthostInbox.inbox(smarthost, "alice@example.jp").get(0);
        String body = (String) mail.getContent();
        assertThat(mail.getSubject()).startsWith("[Please confirm your subscription]");
        assertThat(body).contains("Alice").doesNotContain("登録確認");
        assertThat(JAPANESE.matcher(body.replace(server.lists.byLocalPart("bunka").orElseThrow().displayName(), ""))
                .find()).as(body).isFalse();
        Matcher link = Pattern.compile("http\\S+/confirm/[a-z2-7]+").matcher(body);
        assertThat(link.find()).isTrue();
        String path = server.localise(link.group()).substring(server.base().length());
        http.get(path);
        assertThat(http.post(path, Map.of(), true).body()).contains("You are now subscribed");
        assertThat(language("alice@example.jp")).isEqualTo("en");

        // A Japanese reader's confirmation stays Japanese, and so does their member record.
        HttpSession ja = reader("ja");
        ja.get("/lists/bunka");
        ja.post("/lists/bunka/subscribe", Map.of("address", "hanako@example.jp"), true);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !SmarthostInbox.inbox(smarthost, "hanako@example.jp").isEmpty());
        MimeMessage jaMail = SmarthostInbox.inbox(smarthost, "hanako@example.jp").get(0);
        assertThat(jaMail.getSubject()).contains("登録確認");
        Matcher jaLink = Pattern.compile("http\\S+/confirm/[a-z2-7]+").matcher((String) jaMail.getContent());
        assertThat(jaLink.find()).isTrue();
        String jaPath = server.localise(jaLink.group()).substring(server.base().length());
        ja.get(jaPath);
        ja.post(jaPath, Map.of(), true);
        assertThat(language("hanako@example.jp")).isEqualTo("ja");
    }

    private String language(String address) {
        return server.db.read(s -> s.getMapper(MemberMapper.class).findLanguageByKey(address)).orElseThrow();
    }
}
