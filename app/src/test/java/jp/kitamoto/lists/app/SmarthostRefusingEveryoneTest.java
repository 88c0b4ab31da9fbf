package jp.kitamoto.lists.app;

import jp.kitamoto.lists.domain.Delivery;
import jp.kitamoto.lists.domain.DeliveryState;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.Subscription;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.mail.delivery.DeliveryService;
import jp.kitamoto.lists.testing.HttpSession;
import jp.kitamoto.lists.testing.MovableClock;
import jp.kitamoto.lists.testing.StrictSmarthost;
import jp.kitamoto.lists.testing.TestSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A smarthost that refuses every recipient (a relay restriction gone wrong, or a recipient table that lost its
 * entries) is our problem, not the members': no member's bounce score moves, the copies refused once the breaker sees
 * the pattern are deferred rather than failed and go out when the smarthost is fixed, and a real "user unknown" for
 * one member still counts before and after. Real sockets, real SQLite; the clock moves past the breaker's window.
 */
class SmarthostRefusingEveryoneTest {
    private static final String[] DOMAINS = {"docomo.ne.jp", "ezweb.ne.jp", "i.softbank.jp", "gmail.com",
            "yahoo.co.jp"};
    private static final int MEMBERS = 20;
    private static final String PASSWORD = "smarthost-refusing-password-01";
    /** Past the breaker's five-minute window, so that held refusals are counted or dropped. */
    private static final Duration PAST_THE_WINDOW = Duration.ofMinutes(6);

    @TempDir
    Path dataDir;
    // 10:00 in Japan: the day's count of bounces does not roll over while the test moves the clock by minutes.
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
        System.setProperty("KITAMOTO_ADMIN_INITIAL_PASSWORD", PASSWORD);
        try {
            app = Application.start(TestSettings.forTest(dataDir, sink.port()), false, clock);
        } finally {
            System.clearProperty("KITAMOTO_ADMIN_INITIAL_PASSWORD");
        }
        domain = app.settings().server().domain();
        posts = new BunkaPosts(app, "m0@docomo.ne.jp", "r");
        bunka = app.lists().byLocalPart("bunka").orElseThrow();
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
        sink.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"554 5.7.1 <%s>: Relay access denied",
            // Counted as the member's by its reply alone: only the breaker sees it is everyone's.
            "550 5.1.1 <%s>: Recipient address rejected: User unknown in relay recipient table"})
    void aSmarthostRefusingEveryoneCountsAgainstNoMember(String everyoneRefusedWith) throws Exception {
        Subscription gone = app.members().subscribe(bunka.id(), "gone@docomo.ne.jp", "", SubscriptionState.ACTIVE);
        List<Subscription> members = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            members.add(app.members().subscribe(bunka.id(), "m" + i + "@" + DOMAINS[i % DOMAINS.length], "",
                    SubscriptionState.ACTIVE));
        }

        // A healthy smarthost: the one unknown user counts, once the breaker's window has passed.
        long first = posts.post(1);
        posts.awaitDone(first);
        clock.advance(PAST_THE_WINDOW);
        await().atMost(Duration.ofSeconds(20)).until(() -> score(gone) == 1);

        // The next day the smarthost refuses everyone.
        clock.advance(Duration.ofDays(1));
        sink.refuseEveryone(everyoneRefusedWith);
        long second = posts.post(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> posts.deliveries(second).stream().allMatch(d -> d.attempts() > 0));
        List<Delivery> refused = posts.deliveries(second);
        List<Delivery> deferred = refused.stream().filter(d -> d.state() == DeliveryState.PENDING).toList();
        assertThat(deferred).as("deferred once the breaker opened").hasSizeGreaterThanOrEqualTo(MEMBERS + 1 - 9)
                .allSatisfy(d -> assertThat(d.lastReply()).startsWith(DeliveryService.DEFERRED_BY_BREAKER)
                        .doesNotContain("@"));
        assertThat(refused).filteredOn(d -> d.state() == DeliveryState.FAILED)
                .as("only the refusals before it opened fail").hasSizeLessThan(10);

        // Staff see it on the dashboard (read from the rows, so from any node), without any member's address.
        HttpSession staff = new HttpSession("http://127.0.0.1:" + app.webPort());
        staff.login("admin", PASSWORD);
        String dashboard = staff.get("/staff/dashboard").body();
        assertThat(dashboard).contains("id=\"smarthost-refusing\"", "スマートホストがほとんどのコピーを受け取らない",
                everyoneRefusedWith.substring(everyoneRefusedWith.indexOf(">: ") + 3)).doesNotContain("@docomo.ne.jp");

        // Fixed: the deferred copies go out at their retry, and the breaker closes on those accepted copies. (The
        // unknown user's mailbox takes mail again meanwhile, so that its deferred copy too is simply sent.)
        sink.allow("gone@docomo.ne.jp");
        sink.refuseEveryone(null);
        clock.advance(PAST_THE_WINDOW);
        await().atMost(Duration.ofSeconds(30)).until(() -> posts.deliveries(second).stream()
                .noneMatch(d -> d.state() == DeliveryState.PENDING));
        for (Delivery d : deferred) {
            assertThat(sink.acceptedFor(d.recipient())).as(d.recipient()).isNotEmpty();
        }

        assertThat(staff.get("/staff/dashboard").body()).doesNotContain("smarthost-refusing");

        // The day after, the unknown user is refused again and counts: every refusal held before it was dealt with.
        clock.advance(Duration.ofDays(1));
        sink.refuse("gone@docomo.ne.jp");
        long third = posts.post(3);
        posts.awaitDone(third);
        clock.advance(PAST_THE_WINDOW);
        await().atMost(Duration.ofSeconds(20)).until(() -> score(gone) == 2);
        assertThat(members).allSatisfy(m -> assertThat(score(m)).as(m.token()).isZero());
    }

    private int score(Subscription s) {
        return app.members().byToken(s.token()).orElseThrow().bounceScore();
    }
}
