package jp.kitamoto.lists.web;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.OutputCharset;
import jp.kitamoto.lists.domain.SignedFooter;
import jp.kitamoto.lists.mime.HeaderWords;
import jp.kitamoto.lists.mime.MimeEntity;
import jp.kitamoto.lists.mime.TextBody;
import jp.kitamoto.lists.testing.HttpSession;
import jp.kitamoto.lists.testing.SmarthostInbox;
import jp.kitamoto.lists.testing.TestMessages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 5 on the staff pages: a list's output charset and signed-mail footer are chosen in its settings, and the
 * mail the web side writes for that list (the subscription confirmation) follows the charset, also to a docomo
 * address with {@code ..}.
 */
class ListMailSettingsTest {
    private static final String DOCOMO = "taro..yamada.@docomo.ne.jp";
    /** RFC 5321 has no room for ".." in a bare local part, so the RCPT TO quotes it; GreenMail files it so. */
    private static final String DOCOMO_ON_THE_WIRE = "\"taro..yamada.\"@docomo.ne.jp";

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
    void staffChooseIso2022jpAndTheConfirmationMailIsWrittenInIt() throws Exception {
        http.login("admin", WebTestServer.ADMIN_PASSWORD);
        MailingList bunka = server.lists.byLocalPart("bunka").orElseThrow();
        HttpResponse<String> page = http.get("/staff/lists/" + bunka.id());
        assertThat(page.body()).contains("配信する文字コード").contains("ISO-2022-JP にそろえる（古い携帯電話向け）")
                .contains("署名の外に別のパートとして付ける");

        Map<String, String> form = new HashMap<>();
        form.put("displayName", bunka.displayName());
        form.put("description", bunka.description());
        form.put("category", bunka.category().name());
        form.put("kind", bunka.kind().name());
        form.put("policy", bunka.policy().name());
        form.put("archive", bunka.archiveVisibility().name());
        form.put("subjectTag", bunka.subjectTag());
        form.put("footer", bunka.footer());
        form.put("output", "ISO_2022_JP");
        form.put("signedFooter", "SEPARATE_PART");
        form.put("fromRewrite", "DMARC");
        HttpResponse<String> saved = http.post("/staff/lists/" + bunka.id(), form, true);
        assertThat(saved.statusCode()).isIn(200, 302, 303);
        MailingList changed = server.lists.byId(bunka.id()).orElseThrow();
        assertThat(changed.outputCharset()).isEqualTo(OutputCharset.ISO_2022_JP);
        assertThat(changed.signedFooter()).isEqualTo(SignedFooter.SEPARATE_PART);
        assertThat(changed.fromRewrite()).isEqualTo(jp.kitamoto.lists.domain.FromRewrite.DMARC);
        assertThat(http.get("/staff/lists/" + bunka.id()).body()).as("the page shows the choice")
                .contains("name=\"fromRewrite\"").containsPattern("value=\"DMARC\"\\s+selected");

        form.put("output", "SHIFT_JIS");
        HttpResponse<String> refused = http.post("/staff/lists/" + bunka.id(), form, true);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("選択肢から選んでください");
        assertThat(server.lists.byId(bunka.id()).orElseThrow().outputCharset()).isEqualTo(OutputCharset.ISO_2022_JP);

        HttpSession member = new HttpSession(server.base());
        member.get("/lists/bunka");
        assertThat(member.post("/lists/bunka/subscribe", Map.of("address", DOCOMO, "name", "山田 太郎"), true)
                .statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> !SmarthostInbox.inbox(smarthost, DOCOMO_ON_THE_WIRE).isEmpty());
        MimeMessage received = SmarthostInbox.inbox(smarthost, DOCOMO_ON_THE_WIRE).get(0);
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        received.writeTo(raw);
        MimeEntity mail = MimeEntity.parse(raw.toByteArray());

        assertThat(TestMessages.isSevenBit(raw.toByteArray())).isTrue();
        assertThat(mail.charset().orElseThrow()).isEqualToIgnoringCase("ISO-2022-JP");
        assertThat(mail.rawValue("Subject").orElseThrow()).contains("=?ISO-2022-JP?B?");
        assertThat(HeaderWords.decode(mail.rawValue("Subject").orElseThrow())).contains("【登録確認】");
        assertThat(TextBody.decode(mail)).contains("/confirm/").doesNotContain("\uFFFD");
    }
}
