package jp.kitamoto.lists.mail.rules;

import java.util.Optional;

/** One side-effect-free check of a post. A hit carries the reason a moderator will read. */
public interface Rule {
    /** A short stable name, recorded with the hit (e.g. {@code non-member}). */
    String name();

    /** The reason, for the moderator (from the catalogue, {@code mail.rule.*}), if this rule hits. */
    Optional<String> check(PostContext post);
}
