package jp.kitamoto.lists.mail.bounces;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says whether a smarthost's 5xx refusal of one copy (to RCPT, DATA or the message) is the member's mailbox refusing
 * it, which counts as a hard bounce, or something about us (our relay, our host, our mail), which must never count
 * against the member: the copy still fails, nothing is counted, and the log says why. Pure and table-driven.
 *
 * <p>The enhanced status code (RFC 3463) decides where there is one, as Sisimai and Postfix's own bounce logic do:
 * <ul>
 * <li>the member's: X.1.1 bad mailbox, X.1.2 bad domain, X.1.3 bad address syntax, X.1.6 moved, X.1.10 null MX
 * (RFC 7505), X.2.1 mailbox disabled, X.2.2 mailbox full (our DSN classifier counts any 5.x.x Status, full mailboxes
 * included, and five counts on five different days are needed to suspend, so a full mailbox counts here too);</li>
 * <li>not the member's: X.1.7/X.1.8 (our sender address), X.2.3 and X.3.4 (message too big), X.2.4 (list expansion),
 * X.3.x (their system), X.4.x (network, routing), X.5.x (protocol), X.6.x (content, conversion), X.7.x (policy:
 * relay denied, authentication, our client host blocklisted, SPF/DKIM/DMARC of our own mail, spam);</li>
 * <li>the vague X.0.0, X.1.0, X.2.0, X.5.0 and any code not listed: decided by the text, as below. Microsoft's
 * consumer mail answers an unknown user with {@code 550 5.5.0 Requested action not taken: mailbox unavailable}.</li>
 * </ul>
 * Without an enhanced code (docomo, au, SoftBank and Yahoo! answer that way), only 550-554 count, and only when the
 * text names the mailbox (user unknown, no such user, invalid recipient, mailbox unavailable or disabled, mailbox
 * full), and never when it also names relaying, blocking, authentication, spam, policy, size or the sender; 556
 * (RFC 7504, the domain takes no mail) counts. Postfix's labels for its own restrictions ({@code Sender address
 * rejected}, {@code Client host rejected}, {@code Helo command rejected}, {@code Relay access denied}), which it
 * reports at RCPT by default (smtpd_delay_reject), are ours whatever code comes with them.
 *
 * <p>Conservative on purpose: a refusal not counted here still fails the copy, and a member whose mailbox is really
 * gone is counted by the next DSN or by a clearer refusal; a refusal wrongly counted would suspend members for our
 * own mistake.
 */
public final class RefusalClassifier {
    /** The first enhanced code of the reply, as Postfix writes it after the basic code or qmail as {@code (#5.7.1)}. */
    private static final Pattern ENHANCED = Pattern.compile("(?<![\\d.])([245])\\.(\\d{1,3})\\.(\\d{1,3})(?![\\d.])");
    private static final Pattern BASIC = Pattern.compile("^\\s*(\\d{3})");

    private static final List<String> OURS_WHATEVER_THE_CODE = List.of("sender address rejected",
            "client host rejected", "helo command rejected", "relay access denied");

    private static final List<String> NOT_THE_MEMBERS_WORDS = List.of("relay", "block", "blacklist", "spamhaus",
            "dnsbl", "rbl", "authenticat", "auth ", "starttls", "tls", "spf", "dkim", "dmarc", "spam", "policy",
            "reputation", "access denied", "not permitted", "sender", "client host", "too many", "rate limit",
            "size", "too big", "too large", "exceed", "line too long", "quota exceeded for sending");

    private static final List<String> MEMBERS_WORDS = List.of("user unknown", "unknown user", "no such user",
            "no such mailbox", "no such recipient", "unknown recipient", "recipient unknown", "invalid recipient",
            "recipient not found", "user not found", "mailbox unavailable", "mailbox not found",
            "mailbox is disabled", "mailbox disabled", "account is disabled", "doesn't have a", "does not have a",
            "unrouteable address", "addressee unknown", "mailbox full", "mailbox is full", "too much mail data",
            "over quota", "user not local");

    /** What a refusal means for the member: {@code why} is for the log. */
    public record Verdict(boolean membersMailbox, String why) {
        static Verdict member(String why) {
            return new Verdict(true, why);
        }

        static Verdict ours(String why) {
            return new Verdict(false, why);
        }
    }

    private RefusalClassifier() {
    }

    public static Verdict classify(String reply) {
        String text = reply == null ? "" : reply.toLowerCase(Locale.ROOT);
        Matcher basic = BASIC.matcher(text);
        int code = basic.find() ? Integer.parseInt(basic.group(1)) : 0;
        if (code / 100 != 5) {
            return Verdict.ours("not a 5xx refusal");
        }
        for (String label : OURS_WHATEVER_THE_CODE) {
            if (text.contains(label)) {
                return Verdict.ours("'" + label + "' is about our host or our mail");
            }
        }
        Matcher enhanced = ENHANCED.matcher(text);
        if (enhanced.find() && enhanced.group(1).equals("5")) {
            Verdict byCode = byEnhancedCode(Integer.parseInt(enhanced.group(2)), Integer.parseInt(enhanced.group(3)));
            if (byCode != null) {
                return byCode;
            }
        }
        return byText(code, text);
    }

    /** The verdict of an enhanced code, or null when the code is too vague and the text decides. */
    private static Verdict byEnhancedCode(int subject, int detail) {
        String code = "5." + subject + "." + detail;
        return switch (subject) {
            case 1 -> switch (detail) {
                case 1, 2, 3, 6, 10 -> Verdict.member(code + ": the member's address or domain");
                case 7, 8 -> Verdict.ours(code + ": our sender address");
                case 0 -> null;
                default -> Verdict.ours(code + ": not the member's mailbox");
            };
            case 2 -> switch (detail) {
                case 1, 2 -> Verdict.member(code + ": the member's mailbox is disabled or full");
                case 3 -> Verdict.ours(code + ": the message is too big");
                case 0 -> null;
                default -> Verdict.ours(code + ": not the member's mailbox");
            };
            case 3 -> Verdict.ours(code + (detail == 4 ? ": the message is too big" : ": the receiving system"));
            case 4 -> Verdict.ours(code + ": network or routing");
            case 5 -> detail == 0 ? null : Verdict.ours(code + ": protocol");
            case 6 -> Verdict.ours(code + ": the message's content or conversion");
            case 7 -> Verdict.ours(code + ": policy about our host or our mail (relay, authentication, blocklist, "
                    + "SPF/DKIM/DMARC, spam)");
            default -> null;
        };
    }

    private static Verdict byText(int code, String text) {
        if (code == 556) {
            return Verdict.member("556: the member's domain takes no mail (RFC 7504)");
        }
        if (code < 550 || code > 554) {
            return Verdict.ours(code + ": not about a mailbox");
        }
        for (String word : NOT_THE_MEMBERS_WORDS) {
            if (text.contains(word)) {
                return Verdict.ours(code + " '" + word.trim() + "': about our host or our mail");
            }
        }
        for (String word : MEMBERS_WORDS) {
            if (text.contains(word)) {
                return Verdict.member(code + " '" + word + "': the member's mailbox");
            }
        }
        return Verdict.ours(code + ": the reply does not say the mailbox is at fault");
    }
}
