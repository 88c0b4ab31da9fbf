package jp.kitamoto.lists.mail.rules;

import java.util.Optional;

/** Posts from people who are not members are held, not lost: a moderator may know them. */
public final class NonMemberRule implements Rule {
    @Override
    public String name() {
        return "non-member";
    }

    @Override
    public Optional<String> check(PostContext post) {
        if (post.senders().isEmpty() || post.senders().stream().anyMatch(post.isMember())) {
            return Optional.empty();
        }
        return Optional.of("非会員からの投稿です（" + post.senders().get(0) + "）");
    }
}
