package jp.kitamoto.lists.web;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.ListKind;
import jp.kitamoto.lists.domain.ListPolicy;
import jp.kitamoto.lists.domain.PostOrigin;
import jp.kitamoto.lists.domain.PurposeCategory;
import jp.kitamoto.lists.testing.HttpSession;
import jp.kitamoto.lists.web.support.Labels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The archive search pages over HTTP against the real server: posts archived by the real distribution path (which
 * indexes them), the search box on the archive pages, highlighting without markup injection, the archive's own
 * visibility check, pages of hits; and the date of a post that came without a {@code Date:} header.
 */
class ArchiveSearchPagesTest {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dataDir;
    WebTestServer server;
    HttpSession http;

    @BeforeEach
    void start() throws Exception {
        server = new WebTestServer(dataDir, smarthost.getSmtp().getPort());
        http = new HttpSession(server.base());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aTwoCharacterWordIsFoundAndHighlightedAndMarkupInPostOrQueryStaysText() throws Exception {
        long bunka = server.listId("bunka");
        archive(bunka, "<b>防災</b>訓練のお知らせ", "明日は北本駅前で<script>alert(1)</script>防災訓練を行います。\r\n");
        archive(bunka, "別の話題", "図書館の返却日について。\r\n");

        assertThat(http.get("/lists/bunka/archive").body()).as("the search box on the archive's pages")
                .contains("action=\"/lists/bunka/archive/search\"").contains("name=\"q\"");
        HttpResponse<String> r = search("bunka", "防災");
        assertThat(r.statusCode()).isEqualTo(200);
        String hits = hitsOf(r.body());
        assertThat(Pattern.compile("<li>").matcher(hits).results().count()).as("one hit").isEqualTo(1);
        assertThat(hits).contains("&lt;b&gt;<mark>防災</mark>&lt;/b&gt;訓練のお知らせ")
                .contains("北本駅前で&lt;script&gt;alert(1)&lt;/script&gt;<mark>防災</mark>訓練を行います。")
                .doesNotContain("<script").doesNotContain("<b>");

        String evil = "<img src=x onerror=alert(1)>\"'";
        String page = search("bunka", evil).body();
        assertThat(page).as("no tag from the query anywhere on the page").doesNotContain("<img")
                .contains("&lt;img src=x onerror=alert(1)&gt;");
        assertThat(page).as("the query cannot leave the search box's value attribute")
                .contains("value=\"&lt;img src=x onerror=alert(1)>&#34;&#39;\"");
        assertThat(page).contains("id=\"no-hits\"");
    }

    @Test
    void aVisitorsSearchNeverReturnsAMembersOnlyPost() throws Exception {
        long bunka = server.listId("bunka");
        long kaiin = server.lists.create("kaiin", "会員限定の会", "", PurposeCategory.GENERAL, ListKind.COUNCIL,
                ListPolicy.DISCUSSION, ArchiveVisibility.MEMBERS, "kaiin", "", List.of()).id();
        archive(kaiin, "秘密会議の議事録", "会員だけが読める会議の記録です。\r\n");
        archive(bunka, "公開の会議", "だれでも読める会議の記録です。\r\n");

        assertThat(search("kaiin", "秘密").statusCode()).as("a members-only archive cannot be searched by a visitor")
                .isEqualTo(404);
        assertThat(search("kaiin", "会議").body()).doesNotContain("秘密会議");
        assertThat(hitsOf(search("bunka", "会議").body())).contains("公開の").doesNotContain("秘密");
        assertThat(search("bunka", "秘密会議").body()).contains("id=\"no-hits\"");

        http.login("admin", WebTestServer.ADMIN_PASSWORD);
        HttpResponse<String> staff = search("kaiin", "秘密");
        assertThat(staff.statusCode()).as("staff who handle the list search it as they read it").isEqualTo(200);
        assertThat(hitsOf(staff.body())).contains("<mark>秘密</mark>会議の議事録");
    }

    @Test
    void hitsComeNewestFirstInPagesOfTwenty() throws Exception {
        long bunka = server.listId("bunka");
        for (int i = 1; i <= 25; i++) {
            archive(bunka, "お知らせ第" + i + "号", "北本市からのお知らせです。\r\n");
            server.clock.advance(Duration.ofMinutes(1));
        }
        String first = search("bunka", "北本市").body();
        assertThat(Pattern.compile("<li>").matcher(hitsOf(first)).results().count()).isEqualTo(20);
        assertThat(hitsOf(first).indexOf("第25号")).as("newest first").isLessThan(hitsOf(first).indexOf("第24号"));
        assertThat(first).contains("id=\"next-page\"");
        String second = http.get("/lists/bunka/archive/search?q=" + enc("北本市") + "&page=2").body();
        assertThat(Pattern.compile("<li>").matcher(hitsOf(second)).results().count()).isEqualTo(5);
        assertThat(hitsOf(second)).contains("第1号").doesNotContain("第25号");
        assertThat(second).doesNotContain("id=\"next-page\"").contains("rel=\"prev\"");
    }

    @Test
    void aPostWithoutADateHeaderShowsWhenItWasReceivedAndADateHeaderIsShownWithItsEra() throws Exception {
        long bunka = server.listId("bunka");
        long received = server.clock.millis();
        long noDate = archive(bunka, "日付のない投稿", "本文\r\n");
        long dated = archiveRaw(bunka, ("From: a@example.jp\r\nSubject: dated\r\nDate: Mon, 1 Dec 2025 10:00:00 +0900"
                + "\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8));

        String page = http.get("/lists/bunka/archive/posts/" + noDate).body();
        assertThat(dateCell(page)).isEqualTo(Labels.time(received) + "（受信日時。このメールには日付がありませんでした）");
        assertThat(Labels.time(received)).contains("令和");
        assertThat(dateCell(http.get("/lists/bunka/archive/posts/" + dated).body()))
                .isEqualTo("2025/12/01（令和7年12月1日） 10:00");
    }

    private static String dateCell(String page) {
        int at = page.indexOf("id=\"post-date\">");
        assertThat(at).isPositive();
        return page.substring(at + "id=\"post-date\">".length(), page.indexOf("</td>", at));
    }

    private HttpResponse<String> search(String list, String query) throws Exception {
        return http.get("/lists/" + list + "/archive/search?q=" + enc(query));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The list of hits only (the page around it repeats the query in the title and the search box). */
    private static String hitsOf(String page) {
        int start = page.indexOf("<ol id=\"hits\"");
        assertThat(start).as("hits on the page").isPositive();
        return page.substring(start, page.indexOf("</ol>", start));
    }

    /** Archives a UTF-8 post without a Date: header through the real distribution path; returns its number. */
    private long archive(long listId, String subject, String body) {
        return archiveRaw(listId, ("From: =?UTF-8?B?" + b64("会員") + "?= <member@example.jp>\r\nSubject: =?UTF-8?B?"
                + b64(subject) + "?=\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
    }

    private long archiveRaw(long listId, byte[] raw) {
        long postId = server.db.inTransaction(s -> server.mail.distributor().distributeToList(s, listId, raw,
                PostOrigin.SMTP));
        return server.db.read(s -> s.getMapper(jp.kitamoto.lists.store.PostMapper.class).findById(postId))
                .orElseThrow().sequence();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
