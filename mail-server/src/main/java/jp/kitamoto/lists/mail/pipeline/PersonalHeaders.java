package jp.kitamoto.lists.mail.pipeline;

import jp.kitamoto.lists.domain.ListAddresses;
import jp.kitamoto.lists.mime.HeaderField;

import java.io.ByteArrayOutputStream;

/**
 * The header fields that differ per recipient, written in front of the shared copy at delivery time.
 * RFC 8058: List-Unsubscribe carries an https URL with an unguessable per-subscription token (never the address),
 * and List-Unsubscribe-Post announces that a POST to it unsubscribes at once. The mailto: is personal too
 * ({@code bunka-leave+TOKEN@}): mail programs that unsubscribe by mail (Apple Mail, Yahoo) send an ordinary message
 * there, and it unsubscribes that subscription at once.
 */
public final class PersonalHeaders {
    private PersonalHeaders() {
    }

    public static String unsubscribeUrl(String publicUrl, String token) {
        return publicUrl + "/u/" + token;
    }

    public static byte[] forRecipient(String publicUrl, ListAddresses list, String token) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(HeaderField.of("List-Unsubscribe", "<" + unsubscribeUrl(publicUrl, token) + ">, <mailto:"
                + list.leave(token) + "?subject=unsubscribe>").raw());
        out.writeBytes(HeaderField.of("List-Unsubscribe-Post", "List-Unsubscribe=One-Click").raw());
        return out.toByteArray();
    }
}
