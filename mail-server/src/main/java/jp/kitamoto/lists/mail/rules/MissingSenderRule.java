package jp.kitamoto.lists.mail.rules;

import java.util.Optional;

/** Without a From address nobody can tell who wrote the post, nor check membership. */
public final class MissingSenderRule implements Rule {
    @Override
    public String name() {
        return "no-sender";
    }

    @Override
    public Optional<String> check(PostContext post) {
        return post.senders().isEmpty() ? Optional.of("差出人のアドレスがありません") : Optional.empty();
    }
}
