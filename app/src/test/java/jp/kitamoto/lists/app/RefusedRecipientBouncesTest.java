package jp.kitamoto.lists.app;

import jp.kitamoto.lists.domain.Delivery;
import jp.kitamoto.lists.domain.DeliveryState;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.testing.Dkimpy;
import jp.kitamoto.lists.testing.MovableClock;
import jp.kitamoto.lists.testing.StrictSmarthost;
import jp.kitamoto.lists.testing.TestSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A smarthost that refuses a member's address with 550 at RCPT (Postfix with recipient verification, or a carrier's
 * MX behind a relay that checks) gives us the bounce at once: the delivery fails and the subscription's bounce score
 * counts it, once a day, as for a DSN, once the circuit breaker's window has passed without the smarthost refusing most
 * copies (so the test moves the clock past it). The smarthost here is a raw socket that records exactly what our sender wrote
 * (GreenMail can neither refuse nor keep the final CRLF), so the DKIM check runs on the very bytes on the wire.
 */
class RefusedRecipientBouncesTest {
    @TempDir
    Path dataDir;
    // 10:00 in Japan: moving the clock past the breaker's window does not roll the day over.
    final MovableClock clock = new MovableClock(Instant.parse("2025-06-02T01:00:00Z"));
    StrictSmarthost sink;
    Application app;
    MailingList bunka;
    String domain;
    BunkaPosts posts;

    @BeforeEach
    void start() throws Exception {
        sink = new StrictSmarthost();
        sink.refuse("gone@docomo.ne.jp");
        app = Application.start(TestSettings.forTest(dataDir, sink.port()), false, clock);
        domain = app.settings().server().domain();
        posts = new BunkaPosts(app, "fine@example.jp", "p");
        bunka = app.lists().byLocalPart("bunka").orElseThrow();
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
        sink.close();
    }

    /** Past the breaker's five-minute window: a refusal held until then is counted. */
    private static final Duration PAST_THE_WINDOW = Duration.ofMinutes(6);

    private int score(Subscription s) {
        return app.members().byToken(s.token()).orElseThrow().bounceScore();
    }

    @Test
    void aRefusalAtRcptCountsAsAHardBounceOnceADay() throws Exception {
        Subscription gone = app.members().subscribe(bunka.id(), "gone@docomo.ne.jp", "", SubscriptionState.ACTIVE);
        Subscription fine = app.members().subscribe(bunka.id(), "fine@example.jp", "", SubscriptionState.ACTIVE);

        long first = posts.post(1);
        posts.awaitDone(first);
        Delivery refused = posts.deliveries(first).stream().filter(d -> d.recipient().equals("gone@docomo.ne.jp"))
                .findFirst().orElseThrow();
        assertThat(refused.state()).isEqualTo(DeliveryState.FAILED);
        assertThat(refused.lastReply()).startsWith("550");
        clock.advance(PAST_THE_WINDOW);
        await().atMost(Duration.ofSeconds(10)).until(() -> score(gone) == 1);
        assertThat(score(fine)).isZero();

        // The same day: already counted, as a second DSN would be.
        long second = posts.post(2);
        posts.awaitDone(second);
        assertThat(sink.refusalsOf("gone@docomo.ne.jp")).isEqualTo(2);
        clock.advance(PAST_THE_WINDOW);
        // Held refusals are counted in order, so by the time the third post's counts below, this one was looked at.
        assertThat(score(gone)).isEqualTo(1);

        // The next day counts again.
        clock.advance(Duration.ofDays(1));
        long third = posts.post(3);
        posts.awaitDone(third);
        clock.advance(PAST_THE_WINDOW);
        await().atMost(Duration.ofSeconds(10)).until(() -> score(gone) == 2);
        assertThat(score(fine)).isZero();
    }

    @Test
    void theExactBytesOnTheWireVerify() throws Exception {
        app.members().subscribe(bunka.id(), "fine@example.jp", "", SubscriptionState.ACTIVE);
        posts.awaitDone(posts.post(1));
        assertThat(sink.accepted()).hasSize(1);
        byte[] wire = sink.accepted().get(0).data();
        assertThat(new String(wire, StandardCharsets.ISO_8859_1)).startsWith("DKIM-Signature: ").endsWith("\r\n");
        if (Dkimpy.available()) {
            Dkimpy.Result r = Dkimpy.verify(wire, app.mail().dkim().txtValue());
            assertThat(r.pass()).as(r.log()).isTrue();
        }
    }
}
