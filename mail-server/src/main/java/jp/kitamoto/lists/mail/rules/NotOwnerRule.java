package jp.kitamoto.lists.mail.rules;

import java.util.Optional;

/** On an announce-only list, only the owners post; anything else waits for them. */
public final class NotOwnerRule implements Rule {
    @Override
    public String name() {
        return "not-owner";
    }

    @Override
    public Optional<String> check(PostContext post) {
        if (post.senders().stream().anyMatch(post.isOwner())) {
            return Optional.empty();
        }
        return Optional.of("配信専用リストです。オーナー以外からの投稿です（"
                + post.from().orElse("差出人不明") + "）");
    }
}
