package jp.kitamoto.lists.app.postfix;

import jp.kitamoto.lists.app.Application;
import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.ListKind;
import jp.kitamoto.lists.domain.ListPolicy;
import jp.kitamoto.lists.domain.ListState;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.PurposeCategory;
import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.testing.Dkimpy;
import jp.kitamoto.lists.testing.PostfixInstance;
import jp.kitamoto.lists.testing.RawSmtpClient;
import jp.kitamoto.lists.testing.StrictSmarthost;
import jp.kitamoto.lists.testing.TestSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole way with a real Postfix on both sides, as in production (docs/deployment.md):
 * <pre>
 *  sender ─► Postfix "mx" (relay_domains, relay_recipient_maps = our socketmap, transport → our intake)
 *         ─► list server ─► Postfix "smarthost" (relayhost → sink; the list domain → back to "mx")
 *         ─► StrictSmarthost (the far side; refuses one address with 550)
 * </pre>
 * The far side's 550 makes the smarthost Postfix write a DSN to the VERP address, which comes back through the MX
 * Postfix and counts as that member's bounce. Unknown list addresses are refused by the MX Postfix at RCPT.
 */
class PostfixEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static StrictSmarthost farSide;
    /** A far side that does not announce 8BITMIME, reached for the domain {@link #OLD_SERVER}. */
    static StrictSmarthost oldFarSide;
    static final String OLD_SERVER = "old-server.example";
    static PostfixInstance mx;
    static PostfixInstance smarthost;
    static Application app;
    static String domain;
    static MailingList bunka;

    @BeforeAll
    static void start() throws Exception {
        PostfixInstance.requireInstalled();
        System.out.println("Postfix " + PostfixInstance.version());
        farSide = new StrictSmarthost();
        oldFarSide = new StrictSmarthost(false);
        int mxPort = PostfixInstance.freePort();
        int smarthostPort = PostfixInstance.freePort();
        app = Application.start(TestSettings.forTest(dir.resolve("server"), smarthostPort, Map.of(
                "KITAMOTO_POSTFIX__RECIPIENT_MAP_ENABLED", "true",
                "KITAMOTO_POSTFIX__RECIPIENT_MAP_PORT", "0")), false);
        domain = app.settings().server().domain();
        bunka = app.lists().byLocalPart("bunka").orElseThrow();
        smarthost = PostfixInstance.start("smarthost", dir, smarthostPort, Map.of(
                "mynetworks", "127.0.0.0/8",
                "relayhost", "[127.0.0.1]:" + farSide.port(),
                // Bounces to our VERP addresses go to our MX, like any mail to the list domain.
                "transport_maps", "inline:{ " + domain + "=smtp:[127.0.0.1]:" + mxPort + ", "
                        + OLD_SERVER + "=smtp:[127.0.0.1]:" + oldFarSide.port() + " }",
                // Copies leave with the bytes we wrote (and signed): no 8bit -> quoted-printable conversion when a
                // receiving server does not announce 8BITMIME.
                "disable_mime_output_conversion", "yes"));
        mx = PostfixInstance.start("mx", dir, mxPort, Map.of(
                "mynetworks", "192.0.2.1/32",
                "relay_domains", domain,
                "relay_recipient_maps", "socketmap:inet:127.0.0.1:" + app.mail().recipientMapPort() + ":recipients",
                "smtpd_relay_restrictions", "reject_unauth_destination",
                "transport_maps", "inline:{ " + domain + "=smtp:[127.0.0.1]:" + app.smtpPort() + " }"));
    }

    @AfterAll
    static void stop() throws Exception {
        // Kept in the test report: what each Postfix did, for a failure that a timeout alone would not explain.
        if (mx != null) {
            System.out.println("===== mx maillog =====\n" + mx.log() + "===== smarthost maillog =====\n" + smarthost.log());
        }
        for (AutoCloseable c : Arrays.asList(mx, smarthost, app, farSide, oldFarSide)) {
            if (c != null) {
                c.close();
            }
        }
    }

    /** Sends through the MX Postfix; returns the reply to the final dot, or the first refusal. */
    private static String sendToMx(String from, String to, byte[] message) throws Exception {
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", mx.port())) {
            return c.send(from, new String[]{to}, message);
        }
    }

    private static byte[] post(String from, String subject, String charset, String cte, byte[] body) {
        byte[] head = ("From: " + from + "\r\nTo: bunka@" + domain + "\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + System.nanoTime() + "@example.jp>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=" + charset + "\r\nContent-Transfer-Encoding: " + cte
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private static List<StrictSmarthost.Copy> copiesFor(String address, String marker) {
        return farSide.acceptedFor(address).stream().filter(c -> c.text().contains(marker)).toList();
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void awaitQueuesEmpty() {
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(mx.queued()).as("mx queue\n" + mx.log()).isZero();
            assertThat(smarthost.queued()).as("smarthost queue\n" + smarthost.log()).isZero();
        });
    }

    @Test
    void aPostThroughPostfixReachesMembersDecoratedAndTheFarSides550CountsAsThatMembersBounce() throws Exception {
        Subscription taro = app.members().subscribe(bunka.id(), "taro@example.jp", "", SubscriptionState.ACTIVE);
        Subscription hanako = app.members().subscribe(bunka.id(), "hanako@example.jp", "", SubscriptionState.ACTIVE);
        Subscription gone = app.members().subscribe(bunka.id(), "gone@example.jp", "", SubscriptionState.ACTIVE);
        farSide.refuse("gone@example.jp");

        assertThat(sendToMx("taro@example.jp", "bunka@" + domain,
                post("taro@example.jp", "e2e-decorated", "us-ascii", "7bit", "hello\r\n".getBytes(StandardCharsets.US_ASCII))))
                .startsWith("250");

        await().atMost(WAIT).until(() -> !copiesFor("hanako@example.jp", "e2e-decorated").isEmpty());
        StrictSmarthost.Copy copy = copiesFor("hanako@example.jp", "e2e-decorated").get(0);
        assertThat(copy.envelopeFrom()).isEqualTo("bunka-bounces+" + hanako.token() + "@" + domain);
        assertThat(copy.text()).contains("Subject: [bunka:").contains("List-Id:")
                .contains("<mailto:bunka-leave+" + hanako.token() + "@" + domain + "?subject=unsubscribe>")
                // Both Postfixes stamped it on the way.
                .contains("by mx.test").contains("by smarthost.test");
        await().atMost(WAIT).until(() -> !copiesFor("taro@example.jp", "e2e-decorated").isEmpty());

        // The far side refused gone@: the smarthost Postfix's DSN went to the VERP address, through the MX.
        await().atMost(WAIT)
                .until(() -> app.members().byToken(gone.token()).orElseThrow().bounceScore() == 1);
        assertThat(app.members().byToken(taro.token()).orElseThrow().bounceScore()).isZero();
        assertThat(smarthost.log()).contains("status=bounced");
        awaitQueuesEmpty();
    }

    @Test
    void iso2022jpAndEightBitUtf8PostsKeepTheirBytesTheWholeWay() throws Exception {
        app.members().subscribe(bunka.id(), "taro@example.jp", "", SubscriptionState.ACTIVE);
        app.members().subscribe(bunka.id(), "jiro@docomo.ne.jp", "", SubscriptionState.ACTIVE);
        app.members().subscribe(bunka.id(), "kei@" + OLD_SERVER, "", SubscriptionState.ACTIVE);
        byte[] jis = "北本市の文化祭①㈱髙橋です。\r\n".getBytes(Charset.forName("x-windows-iso2022jp"));
        byte[] utf8 = "北本市の文化祭①㈱髙橋です。𠮷野家\r\n".getBytes(StandardCharsets.UTF_8);

        assertThat(sendToMx("taro@example.jp", "bunka@" + domain,
                post("taro@example.jp", "e2e-jis", "ISO-2022-JP", "7bit", jis))).startsWith("250");
        assertThat(sendToMx("taro@example.jp", "bunka@" + domain,
                post("taro@example.jp", "e2e-utf8", "UTF-8", "8bit", utf8))).startsWith("250");

        await().atMost(WAIT)
                .until(() -> !copiesFor("jiro@docomo.ne.jp", "e2e-jis").isEmpty()
                        && !copiesFor("jiro@docomo.ne.jp", "e2e-utf8").isEmpty());
        byte[] jisCopy = copiesFor("jiro@docomo.ne.jp", "e2e-jis").get(0).data();
        byte[] utf8Copy = copiesFor("jiro@docomo.ne.jp", "e2e-utf8").get(0).data();
        assertThat(contains(jisCopy, jis)).as(new String(jisCopy, StandardCharsets.ISO_8859_1)).isTrue();
        assertThat(contains(utf8Copy, utf8)).as(new String(utf8Copy, StandardCharsets.UTF_8)).isTrue();
        assertThat(new String(utf8Copy, StandardCharsets.ISO_8859_1)).doesNotContainIgnoringCase("quoted-printable");
        // A server that does not announce 8BITMIME still gets the bytes as written: disable_mime_output_conversion
        // (without it Postfix would re-encode the body as quoted-printable and break its DKIM signature).
        await().atMost(WAIT).until(() -> oldFarSide.accepted().stream().anyMatch(c -> c.text().contains("e2e-utf8")));
        byte[] oldCopy = oldFarSide.accepted().stream().filter(c -> c.text().contains("e2e-utf8")).findFirst()
                .orElseThrow().data();
        assertThat(contains(oldCopy, utf8)).as(new String(oldCopy, StandardCharsets.UTF_8)).isTrue();
        assertThat(new String(oldCopy, StandardCharsets.ISO_8859_1)).doesNotContainIgnoringCase("quoted-printable");
        if (Dkimpy.available()) {
            // The signature the server made still verifies after both Postfixes (they only add Received: on top).
            Dkimpy.Result verified = Dkimpy.verify(oldCopy, app.mail().dkim().txtValue());
            assertThat(verified.pass()).as(verified.log()).isTrue();
        }
        awaitQueuesEmpty();
    }

    @Test
    void theMxRefusesUnknownAddressesAtRcptAndWritesNoBounce() throws Exception {
        Subscription taro = app.members().subscribe(bunka.id(), "taro@example.jp", "", SubscriptionState.ACTIVE);
        int copiesBefore = farSide.accepted().size();
        byte[] mail = post("victim@example.com", "e2e-unknown", "us-ascii", "7bit", "x\r\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(sendToMx("victim@example.com", "nosuchlist@" + domain, mail)).startsWith("550 5.1.1");
        assertThat(sendToMx("victim@example.com", "bunka-nosuch@" + domain, mail)).startsWith("550 5.1.1");
        assertThat(sendToMx("victim@example.com", "bunka-leave+" + "a".repeat(29) + "@" + domain, mail))
                .startsWith("550 5.1.1");
        assertThat(sendToMx("victim@example.com", "someone@elsewhere.example", mail)).startsWith("554 5.7.1");
        // The known addresses pass the same table.
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", mx.port())) {
            c.command("EHLO client.example.jp");
            c.command("MAIL FROM:<victim@example.com>");
            for (String ok : List.of("bunka@", "bunka-request@", "bunka-owner@", "bunka-leave@",
                    "bunka-leave+" + taro.token() + "@", "bunka-bounces+" + taro.token() + "@")) {
                assertThat(c.command("RCPT TO:<" + ok + domain + ">")).as(ok).startsWith("250");
            }
            c.command("RSET");
        }
        assertThat(mx.log()).contains("Recipient address rejected: User unknown in relay recipient table");
        // Nothing was queued, so nothing can bounce to the (possibly forged) sender.
        awaitQueuesEmpty();
        assertThat(farSide.accepted()).hasSize(copiesBefore);
        assertThat(farSide.acceptedFor("victim@example.com")).isEmpty();
    }

    @Test
    void postmapAsksTheServersTableAsTheDeploymentGuideShows() throws Exception {
        String table = "socketmap:inet:127.0.0.1:" + app.mail().recipientMapPort() + ":recipients";
        assertThat(mx.query(table, "bunka@" + domain)).isEqualTo("ours");
        assertThat(mx.query(table, "BUNKA-Request@" + domain.toUpperCase(java.util.Locale.ROOT))).isEqualTo("ours");
        assertThat(mx.query(table, "nosuch@" + domain)).isEmpty();
        assertThat(mx.query(table, "@" + domain)).isEmpty();
    }

    @Test
    void aListCreatedOrClosedWhileRunningIsKnownToTheMxAtOnce() throws Exception {
        String name = "kankyo" + System.nanoTime() % 100000;
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", mx.port())) {
            c.command("EHLO client.example.jp");
            c.command("MAIL FROM:<taro@example.jp>");
            assertThat(c.command("RCPT TO:<" + name + "@" + domain + ">")).startsWith("550 5.1.1");
            app.lists().create(name, "環境", "", PurposeCategory.values()[0], ListKind.values()[0],
                    ListPolicy.values()[0], ArchiveVisibility.values()[0], name, "", List.of("owner@example.jp"));
            // No file to rewrite, no reload: Postfix asks us at each RCPT.
            assertThat(c.command("RCPT TO:<" + name + "@" + domain + ">")).startsWith("250");
            MailingList l = app.lists().byLocalPart(name).orElseThrow();
            app.lists().update(new MailingList(l.id(), l.localPart(), l.displayName(), l.description(), l.category(),
                    l.kind(), l.policy(), l.archiveVisibility(), l.subjectTag(), l.footer(), l.outputCharset(),
                    l.signedFooter(), l.fromRewrite(), l.maxMessageBytes(), l.nextSequence(), ListState.CLOSED, l.createdAt(),
                    l.updatedAt()));
            // A closed list takes no posts; its owners can still be written to.
            assertThat(c.command("RCPT TO:<" + name + "@" + domain + ">")).startsWith("550 5.1.1");
            assertThat(c.command("RCPT TO:<" + name + "-owner@" + domain + ">")).startsWith("250");
            c.command("RSET");
        }
    }
}
