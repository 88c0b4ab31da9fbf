package jp.kitamoto.lists.web;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jp.kitamoto.lists.testing.HttpSession;
import jp.kitamoto.lists.testing.SmarthostInbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** /help/carrier over HTTP: what members on docomo, au and SoftBank phones register, and the links that lead there. */
class CarrierHelpPageTest {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dataDir;
    WebTestServer server;
    HttpSession http;
    String domain;

    @BeforeEach
    void start() throws Exception {
        server = new WebTestServer(dataDir, smarthost.getSmtp().getPort());
        http = new HttpSession(server.base());
        domain = server.settings.server().domain();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void thePageNamesTheDomainToRegisterForEachCarrierInJapanese() throws Exception {
        HttpResponse<String> r = http.get("/help/carrier?list=bunka");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).containsIgnoringCase("charset=UTF-8");
        String page = r.body();
        assertThat(page).contains("<strong id=\"list-domain\">" + domain + "</strong>")
                .contains("<strong id=\"list-address\">bunka@" + domain + "</strong>")
                .contains("<h2 id=\"docomo\">docomo（ドコモメール）</h2>", "<h2 id=\"au\">au（auメール）</h2>",
                        "<h2 id=\"softbank\">SoftBank（S!メール・MMS）</h2>")
                .contains("受信リスト設定", "なりすまし規制回避リスト", "受信許可リスト", "救済リスト")
                // The VERP sender lives in the same domain; the page says so instead of listing it twice.
                .contains("配信エラーを受け取るための送信元アドレス")
                .contains("<a href=\"/lists/bunka\">");
    }

    @Test
    void withoutOrWithAnUnknownListThePageStillNamesTheDomain() throws Exception {
        for (String path : new String[]{"/help/carrier", "/help/carrier?list=nosuch", "/help/carrier?list=%3Cscript%3E"}) {
            HttpResponse<String> r = http.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.body()).as(path).contains("<strong id=\"list-domain\">" + domain + "</strong>")
                    .doesNotContain("id=\"list-address\"").doesNotContain("<script>");
        }
    }

    @Test
    void everyListPageAndThePageAfterSubscribingLinkToIt() throws Exception {
        assertThat(http.get("/lists/bunka").body()).contains("<a href=\"/help/carrier?list=bunka\">");
        String sent = http.post("/lists/bunka/subscribe", Map.of("address", "jiro@docomo.ne.jp"), true).body();
        assertThat(sent).contains("<a href=\"/help/carrier?list=bunka\">");
    }

    @Test
    void theConfirmationMailLinksToIt() throws Exception {
        http.get("/lists/bunka");
        http.post("/lists/bunka/subscribe", Map.of("address", "hanako@ezweb.ne.jp"), true);
        await().atMost(Duration.ofSeconds(15)).until(() -> !SmarthostInbox.inbox(smarthost, "hanako@ezweb.ne.jp").isEmpty());
        String body = (String) SmarthostInbox.inbox(smarthost, "hanako@ezweb.ne.jp").get(0).getContent();
        assertThat(body).contains("携帯電話でメールが届かないときの設定: "
                + server.settings.server().publicUrl() + "/help/carrier?list=bunka");
    }
}
