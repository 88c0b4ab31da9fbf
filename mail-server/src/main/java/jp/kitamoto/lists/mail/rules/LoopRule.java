package jp.kitamoto.lists.mail.rules;

import jp.kitamoto.lists.mime.HeaderField;
import jp.kitamoto.lists.text.Texts;

import java.util.Locale;
import java.util.Optional;

/**
 * A post that already went through this list (it carries our List-Id or X-Loop) is a loop: an autoresponder or a
 * forwarding member sent our own copy back. Distributing it again would loop forever.
 */
public final class LoopRule implements Rule {
    @Override
    public String name() {
        return "loop";
    }

    @Override
    public Optional<String> check(PostContext post) {
        String listId = "<" + post.listId().toLowerCase(Locale.ROOT) + ">";
        for (HeaderField h : post.message().headers("List-Id")) {
            if (h.rawValue().toLowerCase(Locale.ROOT).contains(listId)) {
                return Optional.of(Texts.japanese().get("mail.rule.loop.listId"));
            }
        }
        String address = post.listAddress().toLowerCase(Locale.ROOT);
        for (HeaderField h : post.message().headers("X-Loop")) {
            if (h.rawValue().toLowerCase(Locale.ROOT).contains(address)) {
                return Optional.of(Texts.japanese().get("mail.rule.loop.xLoop"));
            }
        }
        return Optional.empty();
    }
}
