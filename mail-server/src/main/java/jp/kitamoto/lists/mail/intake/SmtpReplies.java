package jp.kitamoto.lists.mail.intake;

import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPResponse;
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

    /**
     * The intake's memory for messages in hand is used up (RFC 5321 section 4.2.2, RFC 3463 X.3.1 "mail system
     * full"): the client keeps the message and tries again later, as with Postfix's own full queue.
     */
    static HookResult insufficientStorage() {
        return HookResult.builder().hookReturnCode(HookReturnCode.denySoft())
                .smtpReturnCode("452").smtpDescription("4.3.1 Insufficient system storage, try again later").build();
    }

    /** A recipient given again in the same transaction: fine, and still one recipient. */
    static Response duplicateRecipient(String address) {
        return new SMTPResponse("250", "2.1.5 Recipient <" + address + "> OK (given before; counted once)");
    }

    static HookResult tooManyPosts(String client, int limit, long waitSeconds) {
        return HookResult.builder().hookReturnCode(HookReturnCode.denySoft())
                .smtpReturnCode("451").smtpDescription("4.7.1 Too many messages from " + client + " (limit " + limit
                        + " a minute); try again in " + waitSeconds + " seconds").build();
    }

    static HookResult headerTooBig(String what) {
        return HookResult.builder().hookReturnCode(HookReturnCode.deny())
                .smtpReturnCode("552").smtpDescription("5.3.4 Message header too big: " + what).build();
    }

    static HookResult mimeTooComplex(String what) {
        return HookResult.builder().hookReturnCode(HookReturnCode.deny())
                .smtpReturnCode("554").smtpDescription("5.6.0 MIME structure too complex: " + what).build();
    }

    /** Sent in place of the greeting, then the connection is closed (RFC 5321 section 3.1). */
    static String tooManyConnections(String hello, String why) {
        return "421 4.7.0 " + hello + " Too many connections " + why + ", try again later\r\n";
    }

    /** RFC 5321 section 4.5.3.2.7: the server may close an idle connection, with a 421. */
    static String idleTimeout(String hello, String waitingFor, int seconds) {
        return "421 4.4.2 " + hello + " No " + waitingFor + " for " + seconds + " seconds, closing connection\r\n";
    }

    private static String oneLine(String s) {
        String line = s == null ? "" : s.replaceAll("[\r\n]+", " ");
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
