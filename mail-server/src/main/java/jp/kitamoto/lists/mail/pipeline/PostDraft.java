package jp.kitamoto.lists.mail.pipeline;

import jp.kitamoto.lists.domain.ListAddresses;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.mime.MimeEntity;

/**
 * An accepted post on its way through the pipeline: the message being decorated and what the steps need to know.
 *
 * @param sequence the list's number for this post, shown in the subject prefix ({@code [bunka:00042]})
 * @param domain   the server's mail domain
 * @param publicUrl the base of the web links, without a trailing slash
 */
public record PostDraft(MailingList list, MimeEntity message, long sequence, String domain, String publicUrl) {

    /** The list's post address and sub-addresses. */
    public ListAddresses addresses() {
        return list.addresses(domain);
    }

    public String listAddress() {
        return addresses().post();
    }

    public String listId() {
        return addresses().listId();
    }

    /** The list's page: information, subscription and archive. */
    public String listPage() {
        return publicUrl + "/lists/" + list.localPart();
    }

    /** The list's unsubscribe page, where a member enters their address (the footer links here). */
    public String unsubscribePage() {
        return listPage() + "/unsubscribe";
    }

    /** The member's own page (admin-web /me): sign in by mailed link, then pause, digest, name, leave. */
    public String memberPage() {
        return publicUrl + "/me";
    }

    /** The public page telling members on carrier phones how to let the list's mail in (admin-web /help/carrier). */
    public String carrierHelpPage() {
        return publicUrl + "/help/carrier?list=" + list.localPart();
    }
}
