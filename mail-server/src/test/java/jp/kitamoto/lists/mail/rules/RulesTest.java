package jp.kitamoto.lists.mail.rules;

import jp.kitamoto.lists.domain.ListPolicy;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Each rule alone: when it hits, and the reason a moderator reads (Japanese, as stored with the held post). */
class RulesTest {

    @Nested
    class Loop {
        private final LoopRule rule = new LoopRule();

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', nullValues = "-", value = {
                "List-Id: 文化 <bunka.ml.example.jp>     | このリスト自身が配信したメールが戻ってきました（List-Id が一致）",
                "List-Id: x <BUNKA.ML.EXAMPLE.JP>        | このリスト自身が配信したメールが戻ってきました（List-Id が一致）",
                "X-Loop: bunka@ml.example.jp             | このリスト自身が配信したメールが戻ってきました（X-Loop が一致）",
                "List-Id: x <other.ml.example.jp>        | -",
                "X-Loop: bunka-request@ml.example.jp     | -",
                "X-Mailer: bunka@ml.example.jp           | -",
        })
        void mailShouldBeALoopOnlyWhenItCarriesThisListsOwnMarks(String header, String reason) {
            PostContext post = Posts.post(Posts.list(ListPolicy.DISCUSSION), List.of(Posts.MEMBER),
                    header.strip() + "\r\n", 100);

            assertThat(rule.check(post)).isEqualTo(Optional.ofNullable(reason));
        }
    }

    @Nested
    class MissingSender {
        private final MissingSenderRule rule = new MissingSenderRule();

        @Test
        void mailShouldBeHeldWhenNoSenderAddressCanBeRead() {
            assertThat(rule.check(Posts.post(Posts.list(ListPolicy.DISCUSSION), List.of())))
                    .contains("差出人のアドレスがありません");
        }

        @Test
        void mailShouldPassWhenThereIsASender() {
            assertThat(rule.check(Posts.post(Posts.list(ListPolicy.DISCUSSION), List.of(Posts.STRANGER)))).isEmpty();
        }
    }

    @Nested
    class ListSizeLimit {
        private final ListSizeLimitRule rule = new ListSizeLimitRule();

        @ParameterizedTest(name = "limit {0}, size {1}")
        @CsvSource(nullValues = "-", value = {
                "0,      999999999, -",
                "10240,  10240,     -",
                "10240,  10241,     メールが大きすぎます（10 KB、上限 10 KB）",
                "10240,  2097152,   メールが大きすぎます（2048 KB、上限 10 KB）",
        })
        void mailShouldBeHeldOnlyWhenLargerThanTheListsOwnLimit(long limit, long size, String reason) {
            PostContext post = Posts.post(Posts.list(ListPolicy.DISCUSSION, limit), List.of(Posts.MEMBER), "", size);

            assertThat(rule.check(post)).isEqualTo(Optional.ofNullable(reason));
        }
    }

    @Nested
    class NonMember {
        private final NonMemberRule rule = new NonMemberRule();

        @ParameterizedTest(name = "{0}")
        @CsvSource(nullValues = "-", value = {
                "yamada@example.jp,                            -",
                "other@example.jp|yamada@example.jp,           -",
                "stranger@example.com,                         非会員からの投稿です（stranger@example.com）",
                "stranger@example.com|kyodo@city.kitamoto.example, 非会員からの投稿です（stranger@example.com）",
        })
        void mailShouldBeHeldWhenSenderIsNotAMember(String senders, String reason) {
            PostContext post = Posts.post(Posts.list(ListPolicy.DISCUSSION), List.of(senders.split("\\|")));

            assertThat(rule.check(post)).isEqualTo(Optional.ofNullable(reason));
        }

        @Test
        void mailWithoutSenderIsLeftToTheMissingSenderRule() {
            assertThat(rule.check(Posts.post(Posts.list(ListPolicy.DISCUSSION), List.of()))).isEmpty();
        }
    }

    @Nested
    class NotOwner {
        private final NotOwnerRule rule = new NotOwnerRule();

        @ParameterizedTest(name = "{0}")
        @CsvSource(nullValues = "-", value = {
                "kyodo@city.kitamoto.example,                  -",
                "other@example.jp|kyodo@city.kitamoto.example, -",
                "yamada@example.jp,                            配信専用リストです。オーナー以外からの投稿です（yamada@example.jp）",
        })
        void mailShouldBeHeldOnAnAnnounceListWhenSenderIsNotAnOwner(String senders, String reason) {
            PostContext post = Posts.post(Posts.list(ListPolicy.ANNOUNCE), List.of(senders.split("\\|")));

            assertThat(rule.check(post)).isEqualTo(Optional.ofNullable(reason));
        }

        @Test
        void mailWithoutSenderShouldSaySoInTheReason() {
            assertThat(rule.check(Posts.post(Posts.list(ListPolicy.ANNOUNCE), List.of())))
                    .contains("配信専用リストです。オーナー以外からの投稿です（差出人不明）");
        }
    }

    @Nested
    class ModerateAll {
        @Test
        void mailShouldAlwaysBeHeldEvenFromMembersAndOwners() {
            ModerateAllRule rule = new ModerateAllRule();
            for (String sender : List.of(Posts.MEMBER, Posts.OWNER)) {
                assertThat(rule.check(Posts.post(Posts.list(ListPolicy.MODERATED), List.of(sender))))
                        .contains("承認制のリストです。すべての投稿はモデレーターの承認を待ちます");
            }
        }
    }
}
