package jp.kitamoto.lists.mail.delivery;

import java.util.regex.Pattern;

/**
 * Addresses as RFC 5321 wants them on the wire. Old docomo/au addresses such as {@code taro..yamada.@docomo.ne.jp}
 * are not a Dot-string, so their local part must travel as a Quoted-string: {@code "taro..yamada."@docomo.ne.jp}.
 */
public final class SmtpPaths {
    private static final Pattern ATOM = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+");

    private SmtpPaths() {
    }

    public static String forWire(String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0) {
            return address;
        }
        String local = address.substring(0, at);
        if (local.startsWith("\"") && local.endsWith("\"") && local.length() > 1) {
            return address;
        }
        if (isDotString(local)) {
            return address;
        }
        String escaped = local.replace("\\", "\\\\").replace("\"", "\\\"");
        return "\"" + escaped + "\"" + address.substring(at);
    }

    public static boolean isDotString(String local) {
        if (local.isEmpty()) {
            return false;
        }
        for (String atom : local.split("\\.", -1)) {
            if (!ATOM.matcher(atom).matches()) {
                return false;
            }
        }
        return true;
    }
}
