package jp.kitamoto.lists.mail.rules;

import jp.kitamoto.lists.domain.ListPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each list policy against each kind of sender: what happens to the post, and which rules say why. */
class PostingPolicyTest {

    private static List<String> senders(String kind) {
        return switch (kind) {
            case "member" -> List.of(Posts.MEMBER);
            case "owner" -> List.of(Posts.OWNER);
            case "stranger" -> List.of(Posts.STRANGER);
            case "none" -> List.of();
            // A member who writes from another address but whose envelope sender is the subscribed one.
            case "member-by-envelope" -> List.of("yamada@home.example.jp", Posts.MEMBER);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest(name = "{0} list, {1} sender -> {2} ({3})")
    @CsvSource(nullValues = "-", value = {
            "DISCUSSION, member,             ACCEPT, -",
            "DISCUSSION, member-by-envelope, ACCEPT, -",
            "DISCUSSION, owner,              HOLD,   non-member",
            "DISCUSSION, stranger,           HOLD,   non-member",
            "DISCUSSION, none,               HOLD,   no-sender",
            "ANNOUNCE,   owner,              ACCEPT, -",
            "ANNOUNCE,   member,             HOLD,   not-owner",
            "ANNOUNCE,   stranger,           HOLD,   not-owner",
            "ANNOUNCE,   none,               HOLD,   no-sender|not-owner",
            "MODERATED,  member,             HOLD,   moderated",
            "MODERATED,  owner,              HOLD,   non-member|moderated",
            "MODERATED,  stranger,           HOLD,   non-member|moderated",
            "MODERATED,  none,               HOLD,   no-sender|moderated",
    })
    void policyDecidesBySenderKind(ListPolicy policy, String sender, Action expected, String rules) {
        Decision decision = PostingPolicy.forPolicy(policy).decide(Posts.post(Posts.list(policy), senders(sender)));

        assertThat(decision.action()).isEqualTo(expected);
        List<String> hit = decision.reasons().stream().map(r -> r.substring(0, r.indexOf(':'))).toList();
        assertThat(hit).containsExactly(rules == null ? new String[0] : rules.split("\\|"));
    }

    @ParameterizedTest
    @EnumSource(ListPolicy.class)
    void mailShouldBeDiscardedWhenItLoopedBackWhateverThePolicy(ListPolicy policy) {
        PostContext looped = Posts.post(Posts.list(policy), List.of(Posts.OWNER),
                "List-Id: x <bunka." + Posts.DOMAIN + ">\r\n", 100);

        Decision decision = PostingPolicy.forPolicy(policy).decide(looped);

        assertThat(decision.action()).isEqualTo(Action.DISCARD);
        assertThat(decision.reasons()).singleElement().asString().startsWith("loop: ");
    }

    @Test
    void mailShouldBeHeldWithEveryReasonWhenSeveralRulesHit() {
        PostContext bigFromStranger = Posts.post(Posts.list(ListPolicy.DISCUSSION, 1024), List.of(Posts.STRANGER),
                "", 4096);

        Decision decision = PostingPolicy.forPolicy(ListPolicy.DISCUSSION).decide(bigFromStranger);

        assertThat(decision.action()).isEqualTo(Action.HOLD);
        assertThat(decision.reasonsText()).isEqualTo("too-big: メールが大きすぎます（4 KB、上限 1 KB）\n"
                + "non-member: 非会員からの投稿です（stranger@example.com）");
    }
}
