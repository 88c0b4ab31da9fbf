package jp.kitamoto.lists.mail.rules;

import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.ListKind;
import jp.kitamoto.lists.domain.ListPolicy;
import jp.kitamoto.lists.domain.ListState;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.OutputCharset;
import jp.kitamoto.lists.domain.PurposeCategory;
import jp.kitamoto.lists.domain.SignedFooter;
import jp.kitamoto.lists.mime.MimeEntity;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/** Posts as the rules see them, for rule tests: the list "bunka" with one member and one owner, no database. */
final class Posts {
    static final String DOMAIN = "ml.example.jp";
    static final String MEMBER = "yamada@example.jp";
    static final String OWNER = "kyodo@city.kitamoto.example";
    static final String STRANGER = "stranger@example.com";

    private Posts() {
    }

    static MailingList list(ListPolicy policy, long maxMessageBytes) {
        return new MailingList(1, "bunka", "北本市文化協会", "", PurposeCategory.values()[0], ListKind.PURPOSE, policy,
                ArchiveVisibility.PUBLIC, "bunka", "", OutputCharset.KEEP, SignedFooter.OMIT, jp.kitamoto.lists.domain.FromRewrite.ALWAYS, maxMessageBytes, 1,
                ListState.OPEN, 0, 0);
    }

    static MailingList list(ListPolicy policy) {
        return list(policy, 0);
    }

    static MimeEntity message(String extraHeaders) {
        return MimeEntity.parse(("From: someone@example.jp\r\nSubject: test\r\n" + extraHeaders + "\r\nbody\r\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    /** A plain post from the given senders (From first), of the given size. */
    static PostContext post(MailingList list, List<String> senders, String extraHeaders, long size) {
        return new PostContext(list, message(extraHeaders), size, senders, Set.of(MEMBER)::contains,
                Set.of(OWNER)::contains, DOMAIN);
    }

    static PostContext post(MailingList list, List<String> senders) {
        return post(list, senders, "", 100);
    }
}
