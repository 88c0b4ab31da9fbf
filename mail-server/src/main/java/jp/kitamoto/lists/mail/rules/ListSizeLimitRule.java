package jp.kitamoto.lists.mail.rules;

import jp.kitamoto.lists.text.Texts;

import java.util.Optional;

/** A list may set a lower size limit than the server's (which the SMTP intake enforces with 552). */
public final class ListSizeLimitRule implements Rule {
    @Override
    public String name() {
        return "too-big";
    }

    @Override
    public Optional<String> check(PostContext post) {
        long limit = post.list().maxMessageBytes();
        if (limit > 0 && post.sizeBytes() > limit) {
            return Optional.of(Texts.japanese().format("mail.rule.tooBig", "size", post.sizeBytes() / 1024,
                    "limit", limit / 1024));
        }
        return Optional.empty();
    }
}
