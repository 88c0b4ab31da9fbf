package jp.kitamoto.lists.mail.dkim;

import java.util.ArrayList;
import java.util.List;

/**
 * What staff publish in DNS so that receivers can check our signatures: the TXT record
 * {@code <selector>._domainkey.<domain>}. Shown in the log at first start and on the staff page.
 *
 * @param enabled whether copies are signed (false when the MTA signs instead)
 * @param keyFile where the private key is
 */
public record DkimPublication(boolean enabled, String domain, String selector, String publicKeyBase64, String keyFile) {

    public String recordName() {
        return selector + "._domainkey." + domain;
    }

    /** The TXT value as one string, as a DNS provider's web form wants it. */
    public String txtValue() {
        return "v=DKIM1; k=rsa; p=" + publicKeyBase64;
    }

    /**
     * The record as a zone-file line. A 2048-bit key makes the value longer than the 255 bytes one DNS
     * character-string may hold, so it is written as several quoted strings, which resolvers join (RFC 7208 3.3
     * style, as opendkim-genkey writes it).
     */
    public String zoneLine() {
        List<String> chunks = new ArrayList<>();
        String v = txtValue();
        for (int i = 0; i < v.length(); i += 250) {
            chunks.add("\"" + v.substring(i, Math.min(v.length(), i + 250)) + "\"");
        }
        return recordName() + ". IN TXT ( " + String.join(" ", chunks) + " )";
    }
}
