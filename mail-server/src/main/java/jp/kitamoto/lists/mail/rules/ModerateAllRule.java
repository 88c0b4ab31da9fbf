package jp.kitamoto.lists.mail.rules;

import java.util.Optional;

/** A moderated list holds every post for a moderator, members' included. */
public final class ModerateAllRule implements Rule {
    @Override
    public String name() {
        return "moderated";
    }

    @Override
    public Optional<String> check(PostContext post) {
        return Optional.of("承認制のリストです。すべての投稿はモデレーターの承認を待ちます");
    }
}
