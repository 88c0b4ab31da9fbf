package jp.kitamoto.lists.mail.rules;

import jp.kitamoto.lists.text.Texts;

import java.util.Optional;

/** Without a From address nobody can tell who wrote the post, nor check membership. */
public final class MissingSenderRule implements Rule {
    @Override
    public String name() {
        return "no-sender";
    }

    @Override
    public Optional<String> check(PostContext post) {
        return post.senders().isEmpty() ? Optional.of(Texts.japanese().get("mail.rule.noSender")) : Optional.empty();
    }
}
