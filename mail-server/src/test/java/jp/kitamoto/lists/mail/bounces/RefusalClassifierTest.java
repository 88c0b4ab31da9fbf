package jp.kitamoto.lists.mail.bounces;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real reply lines, as our sender records them (the basic code, then each line's text joined by a space), from the
 * providers' and MTAs' own documentation and from Sisimai's corpus (docomo, au, SoftBank from the carriers' replies as
 * collected by Japanese senders). MEMBER: counts as the member's bounce; OURS: the copy fails, nothing is counted.
 */
class RefusalClassifierTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # --- Gmail
            MEMBER | 550 5.1.1 The email account that you tried to reach does not exist. Please try 5.1.1 double-checking the recipient's email address for typos or 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser
            MEMBER | 550 5.2.1 The email account that you tried to reach is disabled.
            MEMBER | 552 5.2.2 The email account that you tried to reach is over quota.
            MEMBER | 553 5.1.2 We weren't able to find the recipient domain. Please check for any 5.1.2 spelling errors
            OURS   | 550 5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users, 5.7.26 and has been blocked. The sender must authenticate with at least one of SPF or DKIM.
            OURS   | 550 5.7.26 Unauthenticated email from city.kitamoto.example is not accepted due to domain's 5.7.26 DMARC policy.
            OURS   | 550 5.7.1 [192.0.2.10] Our system has detected that this message is likely unsolicited mail.
            OURS   | 552 5.3.4 Your message exceeded Google's message size limits.
            OURS   | 550 5.4.5 Daily user sending quota exceeded.
            # --- Yahoo (no enhanced code for mailboxes)
            MEMBER | 554 delivery error: dd This user doesn't have a yahoo.com account (taro@yahoo.com) [0] - mta1234.mail.gq1.yahoo.com
            MEMBER | 554 delivery error: dd Sorry your message to taro@yahoo.com cannot be delivered. This mailbox is disabled (554.30). - mta1234.mail.bf1.yahoo.com
            OURS   | 553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.10, because the ip is in Spamhaus's list; see http://postmaster.yahoo.com/550-bl23.html
            OURS   | 554 5.7.9 Message not accepted for policy reasons.
            # --- NTT docomo, au, SoftBank
            MEMBER | 550 Unknown user taro@docomo.ne.jp
            MEMBER | 552 Too much mail data taro@docomo.ne.jp
            OURS   | 552 Too many recipients
            OURS   | 500 Line Too Long
            MEMBER | 550 <taro@ezweb.ne.jp>: User unknown
            OURS   | 554 <taro@ezweb.ne.jp>: Relay access denied
            MEMBER | 550 Invalid recipient: <taro@i.softbank.jp>
            OURS   | 553 city.kitamoto.example does not exist
            # --- Microsoft (Outlook.com, Microsoft 365)
            MEMBER | 550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). [AM0PR01MB1234.eurprd01.prod.exchangelabs.com]
            MEMBER | 550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient taro@example.onmicrosoft.com not found by SMTP address lookup
            OURS   | 550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [DM6NAM11FT012.eop-nam11.prod.protection.outlook.com]
            OURS   | 550 5.7.1 Unfortunately, messages from [192.0.2.10] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).
            OURS   | 550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.
            # --- Postfix's own replies (a smarthost or the final MX)
            MEMBER | 550 5.1.1 <taro@example.jp>: Recipient address rejected: User unknown in local recipient table
            MEMBER | 550 5.1.1 <taro@example.jp>: Recipient address rejected: User unknown in relay recipient table
            MEMBER | 550 5.1.1 <taro@example.jp>: Recipient address rejected: User unknown in virtual mailbox table
            MEMBER | 550 5.2.1 <taro@example.jp>: Recipient address rejected: Mailbox disabled
            OURS   | 554 5.7.1 <taro@example.jp>: Relay access denied
            OURS   | 554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org
            OURS   | 550 5.1.0 <bunka-bounces+abc@city.kitamoto.example>: Sender address rejected: User unknown in local recipient table
            OURS   | 553 5.7.1 <bunka-bounces+abc@city.kitamoto.example>: Sender address rejected: not owned by user lists
            OURS   | 530 5.7.0 Must issue a STARTTLS command first
            OURS   | 530 5.7.0 Authentication required
            OURS   | 535 5.7.8 Error: authentication failed: authentication failure
            OURS   | 552 5.3.4 Message size exceeds fixed limit
            OURS   | 554 5.7.1 <taro@example.jp>: Recipient address rejected: Access denied
            OURS   | 550 5.7.23 Message rejected due to: SPF fail - not authorized. Please see http://www.openspf.net/Why?s=mfrom
            OURS   | 550 5.7.1 Email rejected per DMARC policy for city.kitamoto.example
            OURS   | 500 5.5.2 Line too long
            OURS   | 554 5.6.0 Message could not be converted
            OURS   | 554 5.3.0 Mail system full
            OURS   | 503 5.5.1 Error: need RCPT command
            # --- Exim, sendmail, qmail
            MEMBER | 550 Unrouteable address
            OURS   | 550 Verification failed for <bunka-bounces+abc@city.kitamoto.example> Sender verify failed
            MEMBER | 550 5.1.1 <taro@example.jp>... User unknown
            OURS   | 553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)
            OURS   | 550 can't accept user... (#5.7.1)
            # --- no enhanced code, no clear words: not counted
            OURS   | 550 Requested action not taken
            OURS   | 554 Transaction failed
            MEMBER | 556 5.1.10 Recipient address has null MX
            MEMBER | 556 example.jp does not accept mail
            """)
    void classifiesRealReplies(String expected, String reply) {
        RefusalClassifier.Verdict verdict = RefusalClassifier.classify(reply);
        assertThat(verdict.membersMailbox() ? "MEMBER" : "OURS").as(verdict.why()).isEqualTo(expected);
        assertThat(verdict.why()).isNotBlank();
    }
}
