package jp.kitamoto.lists.mail.bounces;

import jp.kitamoto.lists.mime.MimeEntity;
import jp.kitamoto.lists.mime.TextBody;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says what a message sent to a VERP bounce address means. Pure: the VERP token already names the subscription,
 * so all that is left to decide is whether the message reports a permanent failure.
 * <ul>
 * <li>An RFC 3464 delivery status notification (multipart/report; report-type=delivery-status): permanent when a
 * recipient has {@code Action: failed} or a 5.x.x {@code Status}; {@code delayed} or 4.x.x is only a warning.</li>
 * <li>An automatic reply ({@code Auto-Submitted: auto-replied}, RFC 3834: vacation notices): not a bounce.</li>
 * <li>Anything else from the null sender or a mailer daemon: an old-style bounce, counted as permanent, since the
 * address it came back to was written for exactly one subscriber.</li>
 * </ul>
 */
public final class BounceClassifier {
    private static final Pattern ACTION = Pattern.compile("(?im)^Action:\\s*([a-z]+)");
    private static final Pattern STATUS = Pattern.compile("(?im)^Status:\\s*([245])\\.\\d{1,3}\\.\\d{1,3}");

    public enum Kind {
        PERMANENT, TRANSIENT, NOT_A_BOUNCE
    }

    private BounceClassifier() {
    }

    public static Kind classify(MimeEntity message, String envelopeFrom) {
        MimeEntity report = findDeliveryStatus(message);
        if (report != null) {
            String status = TextBody.decode(report);
            if (hasFailure(status)) {
                return Kind.PERMANENT;
            }
            return Kind.TRANSIENT;
        }
        String autoSubmitted = message.rawValue("Auto-Submitted").orElse("no").toLowerCase(Locale.ROOT);
        if (autoSubmitted.startsWith("auto-replied")) {
            return Kind.NOT_A_BOUNCE;
        }
        String from = message.rawValue("From").orElse("").toLowerCase(Locale.ROOT);
        boolean daemon = from.contains("mailer-daemon") || from.contains("postmaster");
        return envelopeFrom == null || envelopeFrom.isBlank() || daemon ? Kind.PERMANENT : Kind.NOT_A_BOUNCE;
    }

    private static boolean hasFailure(String deliveryStatus) {
        Matcher action = ACTION.matcher(deliveryStatus);
        while (action.find()) {
            if (action.group(1).equalsIgnoreCase("failed")) {
                return true;
            }
        }
        Matcher status = STATUS.matcher(deliveryStatus);
        while (status.find()) {
            if (status.group(1).equals("5")) {
                return true;
            }
        }
        return false;
    }

    private static MimeEntity findDeliveryStatus(MimeEntity part) {
        String type = part.mimeType();
        if (type.equals("message/delivery-status")) {
            return part;
        }
        for (MimeEntity child : part.parts()) {
            MimeEntity found = findDeliveryStatus(child);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
