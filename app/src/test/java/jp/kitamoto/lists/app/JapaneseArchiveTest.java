package jp.kitamoto.lists.app;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jp.kitamoto.lists.domain.Addresses;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.mime.MimeEntity;
import jp.kitamoto.lists.testing.RawSmtpClient;
import jp.kitamoto.lists.testing.TestSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5: the public archive shows the corpus posts' Japanese text as the author wrote it: decoded subjects and
 * bodies (①, ㈱, 髙, half-width kana, emoji), the HTML part's text, the PDF attachment, and no sender's address.
 */
class JapaneseArchiveTest {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    /** Corpus file, then text the archive page of that post must show (subject first). */
    private static final Map<String, List<String>> SHOWN = new LinkedHashMap<>();

    static {
        SHOWN.put("iso2022jp-cp932.eml", List.of("①㈱髙橋様の件", "①議題 ㈱北本商事の髙橋様より", "②その他"));
        SHOWN.put("sjis-cp932.eml", List.of("資料①～③", "髙橋です。①から③までご確認ください。"));
        SHOWN.put("utf8-alternative.eml", List.of("写真展のご案内", "写真展を開催します。"));
        SHOWN.put("long-subject.eml", List.of(
                "北本市文化協会令和八年度第三回定例会議事次第および配布資料一覧ならびに次回開催日程調整についてのお知らせと出欠確認のお願い",
                "詳細は本文の通りです。"));
        SHOWN.put("hankaku-kana.eml", List.of("ｶﾗｵｹ大会ｴﾝﾄﾘｰ", "ｴﾝﾄﾘｰ受付中です。"));
        SHOWN.put("emoji.eml", List.of("お祝い🎉", "優勝おめでとうございます🎉🏆"));
        SHOWN.put("mixed-pdf.eml", List.of("議事録", "議事録を添付します。", "議事録.pdf"));
        SHOWN.put("eucjp-unlabelled.eml", List.of("旧いメールソフトから", "来週の土曜日に公民館で開きます。"));
    }

    @TempDir
    Path dataDir;
    Application app;
    HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        app = Application.start(TestSettings.forTest(dataDir, smarthost.getSmtp().getPort()), false);
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.webPort() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void publicArchiveShowsTheJapaneseTextOfEachPost() throws Exception {
        MailingList bunka = app.lists().byLocalPart("bunka").orElseThrow();
        assertThat(bunka.archiveVisibility().name()).as("seed list bunka has a public archive").isEqualTo("PUBLIC");
        String listAddress = bunka.address(app.settings().server().domain());
        List<String> senders = new java.util.ArrayList<>();
        for (String file : SHOWN.keySet()) {
            byte[] raw = JapaneseCorpusTest.bytes(file);
            String sender = Addresses.extract(MimeEntity.parse(raw).rawValue("From").orElseThrow()).orElseThrow();
            senders.add(sender);
            if (app.members().find(bunka.id(), sender).isEmpty()) {
                app.members().subscribe(bunka.id(), sender, "", SubscriptionState.ACTIVE);
            }
            try (RawSmtpClient smtp = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
                assertThat(smtp.send(sender, new String[]{listAddress}, raw)).as(file).startsWith("250");
            }
        }

        int seq = 0;
        for (Map.Entry<String, List<String>> e : SHOWN.entrySet()) {
            seq++;
            HttpResponse<String> page = get("/lists/bunka/archive/posts/" + seq);
            assertThat(page.statusCode()).as(e.getKey()).isEqualTo(200);
            String html = page.body();
            assertThat(html).as(e.getKey()).doesNotContain("\uFFFD").doesNotContain("=?");
            assertThat(html).as(e.getKey() + ": the subject is the page title")
                    .contains("<title>" + e.getValue().get(0));
            for (String text : e.getValue()) {
                assertThat(html).as(e.getKey()).contains(text);
            }
            for (String sender : senders) {
                assertThat(html).as("no address on the public page").doesNotContain(sender);
            }
        }

        String month = LocalDate.now(ZoneId.of("Asia/Tokyo")).toString().substring(0, 7);
        String index = get("/lists/bunka/archive/" + month).body();
        for (List<String> shown : SHOWN.values()) {
            assertThat(index).as("month index lists the subject").contains(shown.get(0));
        }

        int pdfPost = List.copyOf(SHOWN.keySet()).indexOf("mixed-pdf.eml") + 1;
        HttpResponse<byte[]> pdf = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.webPort()
                + "/lists/bunka/archive/posts/" + pdfPost + "/parts/0")).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.body()).as("the attachment downloads byte for byte").isEqualTo(JapaneseCorpusTest.bytes("minutes.pdf"));
    }
}
