package jp.kitamoto.lists.mail.delivery;

/**
 * The per-recipient envelope sender: {@code <list>-bounces+<token>@<domain>} (variable envelope return path), so
 * that a bounce names the subscription it came from even when the bounce message itself is unreadable.
 */
public final class Verp {
    private Verp() {
    }

    public static String sender(String listLocalPart, String token, String domain) {
        return listLocalPart + "-bounces+" + token + "@" + domain;
    }
}
