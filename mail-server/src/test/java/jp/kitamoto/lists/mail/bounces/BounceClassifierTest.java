package jp.kitamoto.lists.mail.bounces;

import jp.kitamoto.lists.mime.MimeEntity;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class BounceClassifierTest {

    /** An RFC 3464 report as Postfix writes it. */
    static String dsn(String action, String status) {
        return "From: MAILER-DAEMON@mx.example.jp (Mail Delivery System)\r\n"
                + "Subject: Undelivered Mail Returned to Sender\r\n"
                + "Auto-Submitted: auto-replied\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n"
                + "--B\r\nContent-Type: text/plain\r\n\r\nI'm sorry to have to inform you...\r\n"
                + "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
                + "Reporting-MTA: dns; mx.example.jp\r\n\r\n"
                + "Final-Recipient: rfc822; taro@example.jp\r\n"
                + "Action: " + action + "\r\nStatus: " + status + "\r\n"
                + "Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n"
                + "--B\r\nContent-Type: text/rfc822-headers\r\n\r\nSubject: [bunka:00001] x\r\n"
                + "--B--\r\n";
    }

    private static BounceClassifier.Kind classify(String message, String envelopeFrom) {
        return BounceClassifier.classify(MimeEntity.parse(message.getBytes(StandardCharsets.UTF_8)), envelopeFrom);
    }

    @Test
    void aFailedDeliveryStatusIsPermanent() {
        assertThat(classify(dsn("failed", "5.1.1"), "")).isEqualTo(BounceClassifier.Kind.PERMANENT);
    }

    @Test
    void aDelayedDeliveryStatusIsOnlyAWarning() {
        assertThat(classify(dsn("delayed", "4.4.1"), "")).isEqualTo(BounceClassifier.Kind.TRANSIENT);
    }

    @Test
    void aVacationReplyIsNotABounce() {
        String vacation = "From: taro@example.jp\r\nSubject: 休暇中です\r\nAuto-Submitted: auto-replied\r\n\r\n"
                + "12月10日まで不在です。\r\n";
        assertThat(classify(vacation, "")).isEqualTo(BounceClassifier.Kind.NOT_A_BOUNCE);
    }

    @Test
    void anOldStyleBounceFromTheNullSenderCounts() {
        String old = "From: MAILER-DAEMON@old.example.jp\r\nSubject: Returned mail\r\n\r\nUser unknown\r\n";
        assertThat(classify(old, "")).isEqualTo(BounceClassifier.Kind.PERMANENT);
    }

    @Test
    void aPersonWritingToTheBounceAddressIsNotABounce() {
        String person = "From: taro@example.jp\r\nSubject: hello\r\n\r\nhi\r\n";
        assertThat(classify(person, "taro@example.jp")).isEqualTo(BounceClassifier.Kind.NOT_A_BOUNCE);
    }
}
