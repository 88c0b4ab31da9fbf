package jp.kitamoto.lists.mail.rules;

import jp.kitamoto.lists.text.Texts;

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
        Texts texts = Texts.japanese();
        return Optional.of(texts.format("mail.rule.notOwner", "sender",
                post.from().orElseGet(() -> texts.get("mail.rule.unknownSender"))));
    }
}
