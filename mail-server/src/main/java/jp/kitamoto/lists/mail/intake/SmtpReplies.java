package jp.kitamoto.lists.mail.intake;

import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;

/**
 * Every SMTP answer the intake gives, each built once with its RFC 3463 enhanced status code. No reply strings
 * elsewhere in the code.
 */
final class SmtpReplies {
    private SmtpReplies() {
    }

    static HookResult acceptedRecipient() {
        return HookResult.builder().hookReturnCode(HookReturnCode.ok())
                .smtpReturnCode("250").smtpDescription("2.1.5 Recipient OK").build();
    }

    /** Not a hosted list or sub-address: refused now, never accepted and bounced later (no backscatter). */
    static HookResult unknownRecipient(String address) {
        return HookResult.builder().hookReturnCode(HookReturnCode.deny())
                .smtpReturnCode("550").smtpDescription("5.1.1 <" + address + ">: no such list here").build();
    }

    static HookResult relayDenied(String address) {
        return HookResult.builder().hookReturnCode(HookReturnCode.deny())
                .smtpReturnCode("550").smtpDescription("5.7.1 <" + address + ">: relaying denied").build();
    }

    static HookResult closedList(String address) {
        return HookResult.builder().hookReturnCode(HookReturnCode.deny())
                .smtpReturnCode("550").smtpDescription("5.2.1 <" + address + ">: this list is closed").build();
    }

    static HookResult stored(String summary) {
        return HookResult.builder().hookReturnCode(HookReturnCode.ok())
                .smtpReturnCode("250").smtpDescription("2.0.0 Stored: " + summary).build();
    }

    static HookResult unparseable(String why) {
        return HookResult.builder().hookReturnCode(HookReturnCode.deny())
                .smtpReturnCode("554").smtpDescription("5.6.0 Message cannot be parsed: " + oneLine(why)).build();
    }

    static HookResult tooBig(long limit) {
        return HookResult.builder().hookReturnCode(HookReturnCode.deny())
                .smtpReturnCode("552").smtpDescription("5.3.4 Message too big (limit " + limit + " bytes)").build();
    }

    /** Storing failed: the client keeps the message and retries; nothing is lost. */
    static HookResult storeFailed() {
        return HookResult.builder().hookReturnCode(HookReturnCode.denySoft())
                .smtpReturnCode("451").smtpDescription("4.3.0 Temporary failure storing the message, try again later")
                .build();
    }

    private static String oneLine(String s) {
        String line = s == null ? "" : s.replaceAll("[\r\n]+", " ");
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
