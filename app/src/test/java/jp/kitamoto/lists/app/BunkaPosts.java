package jp.kitamoto.lists.app;

import jp.kitamoto.lists.domain.Delivery;
import jp.kitamoto.lists.domain.DeliveryState;
import jp.kitamoto.lists.store.DeliveryMapper;
import jp.kitamoto.lists.testing.RawSmtpClient;
import jp.kitamoto.lists.testing.TestMessages;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The delivery tests' common steps: post numbered messages to the seeded list {@code bunka} of a running server by
 * SMTP, and read or wait for the delivery rows of a post.
 */
final class BunkaPosts {
    private final Application app;
    private final String from;
    private final String messageIdPrefix;

    /** {@code messageIdPrefix} keeps the Message-IDs of one test class apart from another's. */
    BunkaPosts(Application app, String from, String messageIdPrefix) {
        this.app = app;
        this.from = from;
        this.messageIdPrefix = messageIdPrefix;
    }

    /** Posts message {@code n} and returns the post's id from the 250 reply. */
    long post(int n) throws Exception {
        String domain = app.settings().server().domain();
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", app.smtpPort())) {
            String reply = c.send(from, new String[]{"bunka@" + domain}, TestMessages.message(
                    "From: " + from + "\nTo: bunka@" + domain + "\nSubject: post " + n + "\nMessage-ID: <"
                            + messageIdPrefix + n + "@example.jp>\nContent-Type: text/plain; charset=UTF-8\n"
                            + "Content-Transfer-Encoding: 8bit",
                    "本文 " + n + "\n", StandardCharsets.UTF_8));
            assertThat(reply).contains("accepted as post");
            return Long.parseLong(reply.replaceAll("(?s).*accepted as post (\\d+).*", "$1"));
        }
    }

    List<Delivery> deliveries(long postId) {
        return app.database().read(s -> s.getMapper(DeliveryMapper.class).findByPost(postId, 0, 100));
    }

    /** Waits until no copy of the post is pending (each sent, deferred to a later time or failed). */
    void awaitDone(long postId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(postId).stream()
                .noneMatch(d -> d.state() == DeliveryState.PENDING));
    }
}
