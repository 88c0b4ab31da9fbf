package jp.kitamoto.lists.domain;

/** A hosted list. {@code localPart} is ASCII; the display name and description are Japanese. */
public record MailingList(long id, String localPart, String displayName, String description,
                          PurposeCategory category, ListKind kind, ListPolicy policy,
                          ArchiveVisibility archiveVisibility, String subjectTag, String footer,
                          OutputCharset outputCharset, SignedFooter signedFooter, long maxMessageBytes,
                          long nextSequence, ListState state, long createdAt, long updatedAt) {

    public String address(String domain) {
        return localPart + "@" + domain;
    }

    public boolean isOpen() {
        return state == ListState.OPEN;
    }
}
