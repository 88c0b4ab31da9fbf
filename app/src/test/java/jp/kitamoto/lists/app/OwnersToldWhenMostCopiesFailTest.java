package jp.kitamoto.lists.app;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jp.kitamoto.lists.domain.DeliveryState;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.mail.posting.DistributionService;
import jp.kitamoto.lists.mail.posting.FailedCopiesReport;
import jp.kitamoto.lists.testing.HttpSession;
import jp.kitamoto.lists.testing.MovableClock;
import jp.kitamoto.lists.testing.StrictSmarthost;
import jp.kitamoto.lists.testing.TestDatabases;
import jp.kitamoto.lists.testing.TestSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When most copies of a post fail for good (here: the smarthost refuses four of five members with 550 at RCPT), the
 * list's owners get one report: how many, the most common replies, and the post's delivery page. A post where only a
 * few copies fail gets none (each of those is a member's bounce, counted as such).
 */
class OwnersToldWhenMostCopiesFailTest {
    private static final String OWNER = "kyodo@city.kitamoto.example"; // bunka's owner in config/seed-lists.yml
    private static final String PASSWORD = "failed-copies-password-01";

    @TempDir
    Path dataDir;
    final MovableClock clock = new MovableClock();
    StrictSmarthost sink;
    Application app;
    MailingList bunka;
    String domain;
    BunkaPosts posts;

    @BeforeEach
    void start() throws Exception {
        sink = new StrictSmarthost();
        System.setProperty("KITAMOTO_ADMIN_INITIAL_PASSWORD", PASSWORD);
        try {
            app = Application.start(TestSettings.forTest(dataDir, sink.port()), false, clock);
        } finally {
            System.clearProperty("KITAMOTO_ADMIN_INITIAL_PASSWORD");
        }
        domain = app.settings().server().domain();
        posts = new BunkaPosts(app, "fine@example.jp", "f");
        bunka = app.lists().byLocalPart("bunka").orElseThrow();
        assertThat(app.lists().owners(bunka.id())).extracting(o -> o.address()).contains(OWNER);
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
        sink.close();
    }

    @Test
    void mostCopiesRefusedTellsTheOwnersOnceAFewRefusedDoNot() throws Exception {
        for (int i = 1; i <= 4; i++) {
            app.members().subscribe(bunka.id(), "gone" + i + "@docomo.ne.jp", "", SubscriptionState.ACTIVE);
        }
        app.members().subscribe(bunka.id(), "fine@example.jp", "", SubscriptionState.ACTIVE);

        // Two of five refused: members' bounces, not the list's problem.
        sink.refuse("gone1@docomo.ne.jp");
        sink.refuse("gone2@docomo.ne.jp");
        long few = posts.post(1);
        posts.awaitDone(few);

        // Four of five refused: the owners are told.
        sink.refuse("gone3@docomo.ne.jp");
        sink.refuse("gone4@docomo.ne.jp");
        long most = posts.post(2);
        posts.awaitDone(most);

        await().atMost(Duration.ofSeconds(20)).until(() -> !sink.acceptedFor(OWNER).isEmpty());
        // The refusals are looked at in order on one thread: the first post's look came before the second's report.
        List<StrictSmarthost.Copy> reports = sink.acceptedFor(OWNER);
        assertThat(reports).hasSize(1);
        MimeMessage report = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(reports.get(0).data()));
        assertThat(report.getSubject()).contains("投稿の多くが届きませんでした").contains("（" + most + "）");
        String body = report.getContent().toString();
        // Told when "most" is first reached: the four refusals may be recorded in one group or in two (3, then 1).
        assertThat(body).containsPattern("5 通のうち [34] 通をこれまでに届けられませんでした").contains("550")
                .contains("/staff/posts/" + most + "/deliveries");

        // Another look at the same post (more of its copies failing later, another node) does not tell them again;
        // the next post that fails the same way does.
        new FailedCopiesReport(app.database(), domain, app.settings().server().publicUrl(),
                (DistributionService) app.mail().distributor(), clock).copiesFailed(most);
        long third = posts.post(3);
        posts.awaitDone(third);
        await().atMost(Duration.ofSeconds(20)).until(() -> sink.acceptedFor(OWNER).size() >= 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> TestDatabases.pendingDeliveries(app.settings()) == 0);
        List<StrictSmarthost.Copy> all = sink.acceptedFor(OWNER);
        assertThat(all).hasSize(2);
        assertThat(subject(all.get(1))).contains("（" + third + "）");
    }

    @Test
    void staffSendTheFailedCopiesAgainOnceTheCauseIsFixed() throws Exception {
        for (int i = 1; i <= 3; i++) {
            app.members().subscribe(bunka.id(), "gone" + i + "@docomo.ne.jp", "", SubscriptionState.ACTIVE);
            sink.refuse("gone" + i + "@docomo.ne.jp");
        }
        app.members().subscribe(bunka.id(), "fine@example.jp", "", SubscriptionState.ACTIVE);
        long postId = posts.post(1);
        posts.awaitDone(postId);
        assertThat(posts.deliveries(postId)).filteredOn(d -> d.state() == DeliveryState.FAILED).hasSize(3);

        HttpSession staff = new HttpSession("http://127.0.0.1:" + app.webPort());
        staff.login("admin", PASSWORD);
        String path = "/staff/posts/" + postId + "/deliveries";
        assertThat(staff.get(path).body()).contains("届かなかった 3 件を送り直す");
        // A forged form (no CSRF token) changes nothing.
        assertThat(staff.post(path + "/resend", Map.of(), false).statusCode()).isEqualTo(403);
        assertThat(posts.deliveries(postId)).filteredOn(d -> d.state() == DeliveryState.FAILED).hasSize(3);

        for (int i = 1; i <= 3; i++) {
            sink.allow("gone" + i + "@docomo.ne.jp");
        }
        HttpResponse<String> done = staff.post(path + "/resend", Map.of(), true);
        assertThat(done.statusCode()).isIn(200, 302, 303);
        posts.awaitDone(postId);
        assertThat(posts.deliveries(postId)).allMatch(d -> d.state() == DeliveryState.SENT);
        for (int i = 1; i <= 3; i++) {
            assertThat(sink.acceptedFor("gone" + i + "@docomo.ne.jp")).hasSize(1);
        }
        assertThat(sink.acceptedFor("fine@example.jp")).as("who had it is not sent it again").hasSize(1);
    }

    private static String subject(StrictSmarthost.Copy copy) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(copy.data())).getSubject();
    }
}
