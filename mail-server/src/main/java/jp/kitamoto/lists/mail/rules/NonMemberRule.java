package jp.kitamoto.lists.mail.rules;

import jp.kitamoto.lists.text.Texts;

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
        return Optional.of(Texts.japanese().format("mail.rule.nonMember", "sender", post.senders().get(0)));
    }
}
