package jp.kitamoto.lists.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jp.kitamoto.lists.domain.Addresses;
import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.mime.MimeEntity;
import jp.kitamoto.lists.testing.RawSmtpClient;
import jp.kitamoto.lists.testing.SmarthostInbox;
import jp.kitamoto.lists.testing.TestSettings;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 5, end to end: corpus files ({@code src/test/resources/corpus}) are posted by SMTP to the running application,
 * and the public archive pages of list bunka, fetched over HTTP as a visitor sees them, show the Japanese text as the
 * author wrote it.
 *
 * <p>What the archive shows, from its code: a post's page is built from {@code posts.raw}, the message as received
 * (ArchiveRoutes, MessageView), and the month index from {@code posts.subject}, decoded from that same raw Subject at
 * intake. So the subject is shown <em>without</em> the {@code [bunka:00001]} prefix and the body without the footer,
 * both of which only the subscribers' copies get. A public archive masks every address (admin-web README, "Archive
 * visibility"): the From shows only the display name, a bare address becomes {@code t…@…}.
 */
class JapaneseArchiveTest {
    /** A subscriber who is not a sender: their copy arriving at GreenMail means the post was accepted and archived. */
    private static final String READER = "reader@example.jp";

    /** Manifest cases posted here, each with the list's default settings (keep the charset, no signed footer). */
    private static final List<String> CASES = List.of("iso2022jp-plain", "iso2022jp-cp932", "sjis-cp932",
            "utf8-alternative", "mixed-pdf", "long-subject", "hankaku-kana", "emoji", "docomo-dotdot",
            "eucjp-unlabelled");

    /** An address that is not masked: local part, an at sign in any spelling, a dotted domain. */
    private static final Pattern ADDRESS = Pattern.compile(
            "[A-Za-z0-9._%+\\-]+(@|＠|&#64;|&#x40;)[A-Za-z0-9\\-]+(\\.[A-Za-z0-9\\-]+)+");
    /** What a wrong decoding leaves behind: Latin-1 letters (UTF-8 or Shift_JIS read as ISO-8859-1), controls, ESC. */
    private static final Pattern LATIN1_OR_CONTROL = Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\xFF]");
    private static final Pattern HALF_WIDTH_KANA = Pattern.compile("[\\uFF61-\\uFF9F]");

    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dataDir;
    Application app;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        app = Application.start(TestSettings.forTest(dataDir, smarthost.getSmtp().getPort()), false);
    }

    @AfterEach
    void stop() {
        app.close();
    }

    /** One post as the archive must show it. */
    private record Expected(String name, byte[] raw, String envelopeFrom, String subject, String body, String from) {
    }

    @Test
    void publicArchiveShowsTheJapaneseTextOfEachPost() throws Exception {
        MailingList bunka = publicArchive();
        List<Expected> posts = new ArrayList<>();
        for (String c : CASES) {
            posts.add(expected(manifest(c)));
        }
        Set<String> addresses = new LinkedHashSet<>(List.of(READER));
        post(bunka, posts, addresses);

        // The archive's front page links to the month(s); each month page links to the posts by their subject.
        Page front = get("/lists/bunka/archive");
        checkPublicPage(front, addresses);
        List<String> monthLinks = front.doc().select("#months a:not([href*=view])").eachAttr("abs:href");
        assertThat(monthLinks).as("months on the archive's front page").isNotEmpty();
        Map<String, String> linkBySubject = new LinkedHashMap<>();
        for (String month : monthLinks) {
            Page index = get(month);
            checkPublicPage(index, addresses);
            for (Element a : index.doc().select("#posts a")) {
                assertThat(linkBySubject.put(a.text(), a.absUrl("href"))).as("subject %s listed once", a.text()).isNull();
            }
            Page threaded = get(month + "?view=thread");
            checkPublicPage(threaded, addresses);
            assertThat(threaded.doc().select("#posts a").eachText()).as("thread view of %s", month)
                    .containsExactlyInAnyOrderElementsOf(index.doc().select("#posts a").eachText());
        }
        assertThat(linkBySubject.keySet()).as("the month index shows each decoded subject, without the list prefix")
                .containsExactlyInAnyOrderElementsOf(posts.stream().map(Expected::subject).toList());

        for (Expected e : posts) {
            Page page = get(linkBySubject.get(e.subject()));
            checkPublicPage(page, addresses);
            Document doc = page.doc();
            assertThat(doc.selectFirst("main h1").text()).as("%s: heading", e.name()).isEqualTo(e.subject());
            assertThat(doc.title()).as("%s: title", e.name()).isEqualTo(e.subject() + " | 北本市 市民活動メーリングリスト");
            assertThat(doc.getElementById("from").text()).as("%s: From", e.name()).isEqualTo(e.from());
            Element body = doc.getElementById("message-body");
            if (e.name().equals("utf8-alternative")) {
                // The HTML alternative is shown, sanitised; its text is the same as the plain part's.
                assertThat(body.select("p").eachText()).as("HTML paragraphs").containsExactly("皆様", "写真展を開催します。");
            } else {
                Element pre = body.selectFirst("pre.text");
                assertThat(pre).as("%s: text body", e.name()).isNotNull();
                assertThat(pre.wholeText().replace("\r\n", "\n").strip()).as("%s: body text", e.name())
                        .isEqualTo(e.body().strip());
            }
            if (!e.name().equals("hankaku-kana")) {
                assertThat(doc.body().text()).as("%s: no half-width kana from a wrong decoding", e.name())
                        .doesNotContainPattern(HALF_WIDTH_KANA);
            }
            List<Element> parts = doc.select("a[href*=\"/parts/\"]");
            if (e.name().equals("mixed-pdf")) {
                checkPdf(parts);
            } else {
                assertThat(parts).as("%s: no attachments listed", e.name()).isEmpty();
            }
        }

        // The characters issue 5 is about, spelled out (the expectations above come from manifest.json).
        assertThat(get(linkBySubject.get("①㈱髙橋様の件")).doc().getElementById("message-body").text())
                .contains("①議題 ㈱北本商事の髙橋様より").contains("②その他");
        assertThat(get(linkBySubject.get("資料①～③")).doc().getElementById("message-body").text())
                .contains("髙橋です。①から③までご確認ください。");
        assertThat(get(linkBySubject.get("ｶﾗｵｹ大会ｴﾝﾄﾘｰ")).doc().getElementById("message-body").text())
                .contains("ｴﾝﾄﾘｰ受付中です。");
        assertThat(get(linkBySubject.get("お祝い🎉")).doc().getElementById("message-body").text())
                .contains("優勝おめでとうございます🎉🏆");
    }

    @Test
    void htmlMailShowsItsTextButNoScript() throws Exception {
        MailingList bunka = publicArchive();
        String subject = "展示会のご案内（HTML）";
        String html = "<html><head><meta charset=\"utf-8\"><title>内部の題</title><style>p { color: red }</style>"
                + "<script>document.write('頭のスクリプト')</script></head>"
                + "<body><p onclick=\"alert('クリック')\">展示会は①会場で開きます。</p>"
                + "<script type=\"text/javascript\">alert('本文のスクリプト')</script>"
                + "<p><a href=\"javascript:alert('リンク')\">詳しくはこちら</a> ・ "
                + "<a href=\"https://www.city.kitamoto.example/tenji\">市のページ</a></p>"
                + "<img src=\"https://tracker.example/p.gif\" onerror=\"alert('画像')\">"
                + "<p>問い合わせ: tanaka@example.jp</p></body></html>";
        String raw = "From: =?UTF-8?B?" + b64("田中 花子") + "?= <tanaka@example.jp>\r\n"
                + "To: bunka@" + app.settings().server().domain() + "\r\n"
                + "Subject: =?UTF-8?B?" + b64(subject) + "?=\r\n"
                + "Date: Tue, 01 Dec 2026 09:00:00 +0900\r\n"
                + "Message-ID: <script@archive-test.example.jp>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n"
                + "--b\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + b64("展示会は①会場で開きます。\r\n") + "\r\n"
                + "--b\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(html.getBytes(StandardCharsets.UTF_8)) + "\r\n"
                + "--b--\r\n";
        Set<String> addresses = new LinkedHashSet<>(List.of(READER));
        post(bunka, List.of(new Expected("html-script", raw.getBytes(StandardCharsets.US_ASCII), "tanaka@example.jp",
                subject, "", "田中 花子")), addresses);

        Page page = get("/lists/bunka/archive/posts/1");
        checkPublicPage(page, addresses);
        Document doc = page.doc();
        assertThat(doc.selectFirst("main h1").text()).isEqualTo(subject);
        assertThat(doc.getElementById("from").text()).isEqualTo("田中 花子");
        Element body = doc.getElementById("message-body");
        assertThat(body.text()).contains("展示会は①会場で開きます。", "詳しくはこちら", "市のページ", "問い合わせ: t…@…")
                .doesNotContain("スクリプト", "alert", "color", "内部の題");
        assertThat(doc.select("script, style, iframe, object, embed, img")).as("active or remote content").isEmpty();
        assertThat(doc.getAllElements().stream().flatMap(el -> el.attributes().asList().stream())
                .filter(a -> a.getKey().toLowerCase(Locale.ROOT).startsWith("on")).toList()).as("event handlers").isEmpty();
        assertThat(page.html().toLowerCase(Locale.ROOT)).doesNotContain("<script", "javascript:");
        assertThat(body.select("a[href]").eachAttr("href")).containsExactly("https://www.city.kitamoto.example/tenji");
        assertThat(body.select("a[href]").first().attr("rel").split(" "))
                .contains("nofollow", "noopener", "noreferrer");
        assertThat(body.select(".notice").text()).as("the blocked image is mentioned").contains("画像 1 件");
    }

    /** Posts each message by SMTP, the sender subscribed, and waits until the reader has every copy. */
    private void post(MailingList bunka, List<Expected> posts, Set<String> addresses) throws Exception {
        app.members().subscribe(bunka.id(), READER, "", SubscriptionState.ACTIVE);
        String listAddress = bunka.address(app.settings().server().domain());
        for (Expected e : posts) {
            addresses.add(e.envelopeFrom());
            addresses.add(Addresses.extract(MimeEntity.parse(e.raw()).rawValue("From").orElseThrow()).orElseThrow());
            app.members().subscribe(bunka.id(), e.envelopeFrom(), "", SubscriptionState.ACTIVE);
            try (RawSmtpClient smtp = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
                assertThat(smtp.send(e.envelopeFrom(), new String[]{listAddress}, e.raw())).as(e.name())
                        .startsWith("250").contains("accepted");
            }
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> SmarthostInbox.inbox(smarthost, READER).size() == posts.size());
    }

    /** The seed list bunka, its archive made public if the seed ever changes. */
    private MailingList publicArchive() {
        MailingList l = app.lists().byLocalPart("bunka").orElseThrow();
        if (l.archiveVisibility() != ArchiveVisibility.PUBLIC) {
            app.lists().update(new MailingList(l.id(), l.localPart(), l.displayName(), l.description(), l.category(),
                    l.kind(), l.policy(), ArchiveVisibility.PUBLIC, l.subjectTag(), l.footer(), l.outputCharset(),
                    l.signedFooter(), l.fromRewrite(), l.maxMessageBytes(), l.nextSequence(), l.state(), l.createdAt(), l.updatedAt()));
        }
        return app.lists().byLocalPart("bunka").orElseThrow();
    }

    /** The PDF of mixed-pdf.eml is listed under its Japanese name and downloads byte for byte. */
    private void checkPdf(List<Element> parts) throws Exception {
        assertThat(parts).as("one attachment link").hasSize(1);
        Element link = parts.get(0);
        byte[] pdf = JapaneseCorpusTest.bytes("minutes.pdf");
        assertThat(link.text()).isEqualTo("議事録.pdf");
        assertThat(link.parent().text()).contains("application/pdf").contains(pdf.length + " バイト");
        HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(URI.create(link.absUrl("href"))).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                assertThat(t).startsWith("application/octet-stream"));
        assertThat(download.headers().firstValue("Content-Disposition")).hasValueSatisfying(d -> assertThat(d)
                .startsWith("attachment;")
                .contains("filename*=UTF-8''" + URLEncoder.encode("議事録.pdf", StandardCharsets.UTF_8)));
        assertThat(download.body()).as("the attachment downloads byte for byte").isEqualTo(pdf);
    }

    /** Every public archive page: UTF-8, no address of anybody, nothing a wrong decoding leaves behind. */
    private static void checkPublicPage(Page page, Set<String> addresses) {
        String text = page.doc().text();
        assertThat(page.html()).as("%s: markup", page.url()).doesNotContainPattern(ADDRESS);
        for (String a : addresses) {
            assertThat(page.html().toLowerCase(Locale.ROOT)).as("%s: address %s", page.url(), a)
                    .doesNotContain(a.toLowerCase(Locale.ROOT));
        }
        assertThat(text).as("%s: visible text", page.url())
                .doesNotContainPattern(ADDRESS)
                .doesNotContain("\uFFFD")     // undecodable bytes
                .doesNotContain("〓")         // a character the decoder did not know (geta)
                .doesNotContain("=?")         // an encoded word left as it was
                .doesNotContain("$B", "(B", "(J")  // ISO-2022-JP escapes with the ESC lost
                .doesNotContainPattern(LATIN1_OR_CONTROL);
    }

    private record Page(String url, String html, Document doc) {
    }

    private Page get(String pathOrUrl) throws Exception {
        String url = pathOrUrl.startsWith("http") ? pathOrUrl : "http://127.0.0.1:" + app.webPort() + pathOrUrl;
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).as(url).hasValueSatisfying(t ->
                assertThat(t.toLowerCase(Locale.ROOT).replace(" ", "")).startsWith("text/html").contains("charset=utf-8"));
        String html = strictUtf8(r.body(), url);
        return new Page(url, html, Jsoup.parse(html, url));
    }

    private static String strictUtf8(byte[] b, String url) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new AssertionError(url + " is not valid UTF-8", e);
        }
    }

    /** A manifest case, read as the archive must show it: prefix-less subject, body without the footer. */
    private static Expected expected(JsonNode c) throws Exception {
        byte[] raw = JapaneseCorpusTest.bytes(c.get("file").asText());
        String fromField = MimeEntity.parse(raw).rawValue("From").orElseThrow();
        String address = Addresses.extract(fromField).orElseThrow();
        String envelope = c.has("envelopeFrom") ? c.get("envelopeFrom").asText() : address;
        String subject = c.get("subject").asText();
        assertThat(subject).startsWith("[bunka:00001] ");
        int lt = fromField.indexOf('<');
        String shownFrom = lt > 0 ? fromField.substring(0, lt).strip() : address.charAt(0) + "…@…";
        return new Expected(c.get("case").asText(), raw, envelope, subject.substring("[bunka:00001] ".length()),
                c.get("body").asText(), shownFrom);
    }

    private static JsonNode manifest(String name) throws Exception {
        try (InputStream in = JapaneseCorpusTest.resource("manifest.json")) {
            for (JsonNode c : new ObjectMapper().readTree(in)) {
                if (c.get("case").asText().equals(name) && !c.has("outputCharset") && !c.has("signedFooter")) {
                    return c;
                }
            }
        }
        throw new IllegalStateException("no manifest case " + name);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
