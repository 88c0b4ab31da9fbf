package jp.kitamoto.lists.mail.intake;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the reply code and the enhanced status code from the first line of an SMTP reply, for
 * {@link SmtpReplyCounter}. Both are checked against their grammar (RFC 5321 section 4.2, RFC 3463 section 2) so that
 * the metric's labels can only take the few values SMTP allows, whatever a reply's text says.
 */
final class ReplyCodes {
    static final String NONE = "none";
    private static final Pattern FIRST_LINE = Pattern.compile("^([2-5][0-9][0-9])(?:[ -]([245]\\.[0-9]{1,3}\\.[0-9]{1,3})(?= |$))?");

    private ReplyCodes() {
    }

    /** Counts the reply whose first line is {@code line} (as written: code, separator, text). */
    static void count(SmtpReplyCounter counter, CharSequence line) {
        Matcher m = FIRST_LINE.matcher(line);
        if (m.find()) {
            counter.count(m.group(1), m.group(2) == null ? NONE : m.group(2));
        } else {
            // Never expected from our own code or James's; counted so that the total still adds up.
            counter.count("other", NONE);
        }
    }
}
