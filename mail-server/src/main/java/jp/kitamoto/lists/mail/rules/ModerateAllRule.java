package jp.kitamoto.lists.mail.rules;

import jp.kitamoto.lists.text.Texts;

import java.util.Optional;

/** A moderated list holds every post for a moderator, members' included. */
public final class ModerateAllRule implements Rule {
    @Override
    public String name() {
        return "moderated";
    }

    @Override
    public Optional<String> check(PostContext post) {
        return Optional.of(Texts.japanese().get("mail.rule.moderated"));
    }
}
