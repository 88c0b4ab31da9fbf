package jp.kitamoto.lists.mail.pipeline;

import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.FromRewrite;
import jp.kitamoto.lists.domain.ListKind;
import jp.kitamoto.lists.domain.ListPolicy;
import jp.kitamoto.lists.domain.ListState;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.OutputCharset;
import jp.kitamoto.lists.domain.PurposeCategory;
import jp.kitamoto.lists.domain.SignedFooter;
import jp.kitamoto.lists.mime.MimeEntity;


/** Posts on their way through the pipeline, for step tests: the list "bunka" with settings of the test's choice. */
final class Drafts {
    static final String DOMAIN = "ml.example.jp";

    private Drafts() {
    }

    static MailingList list(String footer, OutputCharset output, SignedFooter signed) {
        return new MailingList(1, "bunka", "北本市文化協会", "", PurposeCategory.values()[0], ListKind.PURPOSE,
                ListPolicy.DISCUSSION, ArchiveVisibility.PUBLIC, "bunka", footer, output, signed, FromRewrite.ALWAYS,
                1_000_000, 43,
                ListState.OPEN, 0, 0);
    }

    static PostDraft draft(byte[] message) {
        return draft(message, list("", OutputCharset.KEEP, SignedFooter.OMIT));
    }

    static PostDraft draft(byte[] message, MailingList list) {
        return new PostDraft(list, MimeEntity.parse(message), 42, DOMAIN, "https://lists.example.jp");
    }
}
