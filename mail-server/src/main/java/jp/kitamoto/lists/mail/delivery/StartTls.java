package jp.kitamoto.lists.mail.delivery;

/** {@code smarthost.starttls}: see config/defaults.yml. */
public enum StartTls {
    /** Plain SMTP. */
    OFF,
    /** STARTTLS when offered, certificate not checked (Postfix's "may": against listening, not impersonation). */
    OPPORTUNISTIC,
    /** No copy without TLS; the certificate must be valid for the smarthost's host name. */
    REQUIRED;

    public static StartTls fromSetting(String value) {
        return switch (value) {
            case "true" -> OPPORTUNISTIC;
            case "required" -> REQUIRED;
            default -> OFF;
        };
    }
}
