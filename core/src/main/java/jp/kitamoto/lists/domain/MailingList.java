package jp.kitamoto.lists.domain;

/** A hosted list. {@code localPart} is ASCII; the display name and description are Japanese. */
public record MailingList(long id, String localPart, String displayName, String description,
                          PurposeCategory category, ListKind kind, ListPolicy policy,
                          ArchiveVisibility archiveVisibility, String subjectTag, String footer,
                          OutputCharset outputCharset, SignedFooter signedFooter, FromRewrite fromRewrite,
                          long maxMessageBytes,
                          long nextSequence, ListState state, long createdAt, long updatedAt) {

    public String address(String domain) {
        return addresses(domain).post();
    }

    /** This list's post address and sub-addresses in the server's domain. */
    public ListAddresses addresses(String domain) {
        return ListAddresses.of(this, domain);
    }

    public boolean isOpen() {
        return state == ListState.OPEN;
    }
}
