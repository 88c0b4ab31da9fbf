package jp.kitamoto.lists.mail.delivery;

import jp.kitamoto.lists.domain.ListAddresses;
import jp.kitamoto.lists.domain.PostOrigin;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dispatcher's posts in hand, bounded in bytes: rows of a new post are taken only while the posts in hand fit
 * (or when none is in hand), the bound frees as outcomes are recorded, and the posts kept for reuse never push out
 * one whose copies are still in hand.
 */
class PreparedPostsTest {
    /** A post of about {@code kb} KB, CRLF already and with no line starting with a dot (so one array). */
    private static PreparedPost post(long id, int kb) {
        String body = ("x".repeat(1022) + "\r\n").repeat(kb);
        return new PreparedPost(id, new ListAddresses("bunka", "lists.example"), PostOrigin.SMTP,
                ("Subject: " + id + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void rowsOfANewPostWaitWhileThePostsInHandFillTheBound() {
        PreparedPosts posts = new PreparedPosts(2_500_000);
        PreparedPost first = post(1, 1000);
        PreparedPost second = post(2, 1000);
        PreparedPost third = post(3, 1000);
        posts.put(first);
        posts.put(second);
        posts.put(third);

        assertThat(posts.take(101, first)).isTrue();
        assertThat(posts.take(102, first)).isTrue();
        assertThat(posts.take(201, second)).isTrue();
        // Two posts of about 1 MB in hand: a third would pass 2.5 MB, so its row stays due.
        assertThat(posts.take(301, third)).isFalse();
        assertThat(posts.bytesInHand()).isEqualTo(first.heapBytes() + second.heapBytes());

        posts.release(101);
        assertThat(posts.take(301, third)).as("the first post still has a copy in hand").isFalse();
        posts.release(102);
        assertThat(posts.take(301, third)).isTrue();
        assertThat(posts.bytesInHand()).isEqualTo(second.heapBytes() + third.heapBytes());
    }

    @Test
    void aPostLargerThanTheBoundStillGoesWhenItIsAlone() {
        PreparedPosts posts = new PreparedPosts(500_000);
        PreparedPost big = post(1, 1000);
        PreparedPost small = post(2, 1);
        posts.put(big);

        assertThat(posts.take(1, big)).isTrue();
        assertThat(posts.take(2, small)).as("the bound is full with the big post in hand").isFalse();
        posts.release(1);
        assertThat(posts.take(2, small)).isTrue();
        assertThat(posts.take(3, big)).as("over the bound while another post is in hand").isFalse();
    }

    @Test
    void postsKeptForReuseAreLetGoFirstAndNeverOneInHand() {
        PreparedPosts posts = new PreparedPosts(2_500_000);
        PreparedPost inHand = post(1, 1000);
        posts.put(inHand);
        assertThat(posts.take(1, inHand)).isTrue();
        posts.put(post(2, 1000));
        posts.put(post(3, 1000)); // over 2.5 MB held: the least recently used post not in hand goes

        assertThat(posts.get(2)).isNull();
        assertThat(posts.get(3)).isNotNull();
        assertThat(posts.bytes()).isLessThanOrEqualTo(2_500_000);

        for (long id = 10; id < 10 + 2 * PreparedPosts.MAX_CACHED; id++) {
            posts.put(post(id, 1));
        }
        assertThat(posts.get(1)).as("still held: in hand").isSameAs(inHand);
        assertThat(posts.size()).isEqualTo(PreparedPosts.MAX_CACHED);
        assertThat(posts.bytesInHand()).isEqualTo(inHand.heapBytes());
        posts.release(1);
        assertThat(posts.bytesInHand()).isZero();
        for (long id = 100; id < 100 + PreparedPosts.MAX_CACHED; id++) {
            posts.put(post(id, 1));
        }
        assertThat(posts.get(1)).as("let go once out of hand and least recently used").isNull();
    }
}
