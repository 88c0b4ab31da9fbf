package jp.kitamoto.lists.domain;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;

/**
 * Lenient e-mail address handling for the addresses our members really have. Old docomo and au addresses such as
 * {@code taro..yamada.@docomo.ne.jp} break RFC 5322's dot-atom but are live mailboxes, so we accept any local part
 * without spaces or control characters and leave the quoting to the SMTP edge.
 */
public final class Addresses {
    private Addresses() {
    }

    /** The look-up key: trimmed and lower-cased (members do not expect {@code Taro@} and {@code taro@} to differ). */
    public static String key(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Trims, and turns full-width characters typed on Japanese keyboards into their ASCII forms (Unicode NFKC):
     * {@code ｔａｒｏ＠ｄｏｃｏｍｏ．ｎｅ．ｊｐ} is {@code taro@docomo.ne.jp}. An IME left in full-width mode is common, and
     * such an address is refused otherwise ({@link #isPlausible} wants ASCII).
     */
    public static String normalise(String address) {
        return Normalizer.normalize(address, Normalizer.Form.NFKC).trim(); // NFKC first: a full-width space trims too
    }

    /**
     * Whether this looks like a deliverable mailbox: one {@code @}, an ASCII local part, a dotted ASCII domain, no
     * spaces. ASCII because delivery does not use SMTPUTF8 (RFC 6531): an address such as {@code たろう@example.jp}
     * would fail every copy with 553 5.6.7, so it is refused where it is typed, with a message the member can act on.
     */
    public static boolean isPlausible(String address) {
        if (address == null) {
            return false;
        }
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1 || address.length() > 320) {
            return false;
        }
        String domain = address.substring(at + 1);
        if (!domain.matches("[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")) {
            return false;
        }
        String local = address.substring(0, at);
        if (local.length() > 64 && !local.startsWith("\"")) {
            return false;
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '<' || c == '>' || c == ',' || c == ';') {
                return false;
            }
        }
        return true;
    }

    /**
     * The bare address in a header value such as {@code "山田 太郎" <taro..yamada.@docomo.ne.jp>}, or empty.
     * Deliberately not a full RFC 5322 parser: it must not reject carrier addresses a strict parser refuses.
     */
    public static Optional<String> extract(String headerValue) {
        if (headerValue == null) {
            return Optional.empty();
        }
        String v = headerValue.trim();
        int lt = v.lastIndexOf('<');
        int gt = v.lastIndexOf('>');
        String candidate = (lt >= 0 && gt > lt) ? v.substring(lt + 1, gt).trim() : v.replaceAll("\\(.*?\\)", "").trim();
        if (candidate.startsWith("\"") && candidate.indexOf("\"@") > 0) {
            candidate = candidate.substring(1, candidate.indexOf("\"@")) + candidate.substring(candidate.indexOf("\"@") + 1);
        }
        return isPlausible(candidate) ? Optional.of(candidate) : Optional.empty();
    }
}
