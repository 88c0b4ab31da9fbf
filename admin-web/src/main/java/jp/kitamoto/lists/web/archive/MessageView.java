package jp.kitamoto.lists.web.archive;

import jp.kitamoto.lists.mime.Charsets;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A stored post made fit to show on a page: decoded headers, the body as escaped text or sanitised HTML, and the
 * attachments. Built from {@code posts.raw}, the message exactly as received.
 */
public record MessageView(String subject, String from, String date, String messageId, String inReplyTo,
                          List<String> references, String textBody, String htmlBody, int blockedImages,
                          List<Attachment> attachments) {

    public record Attachment(int index, String fileName, String contentType, long size) {
    }

    private static final Session SESSION = Session.getInstance(new Properties());
    private static final Pattern IMG = Pattern.compile("<img\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern MSGID = Pattern.compile("<[^<>\\s]+>");

    /**
     * What HTML mail may keep: text formatting, lists, tables and http(s) links (opened without a referrer). No
     * script, no event handlers, no style, no forms, and no images: remote images are web bugs that tell a sender who
     * read the mail, and the CSP would block them anyway.
     */
    static final PolicyFactory POLICY = new HtmlPolicyBuilder()
            .allowCommonInlineFormattingElements()
            .allowCommonBlockElements()
            .allowElements("a", "br", "hr", "pre", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead",
                    "tbody", "tfoot", "tr", "td", "th", "caption")
            .allowAttributes("href").onElements("a")
            .allowUrlProtocols("http", "https")
            .requireRelsOnLinks("nofollow", "noopener", "noreferrer")
            .allowAttributes("colspan", "rowspan").onElements("td", "th")
            .toFactory();

    public boolean isHtml() {
        return htmlBody != null && !htmlBody.isEmpty();
    }

    /** Parses a stored message; {@code mask} hides every address (public pages). */
    public static MessageView parse(byte[] raw, boolean mask) {
        try {
            MimeMessage m = new MimeMessage(SESSION, new ByteArrayInputStream(raw));
            String subject = MailText.decodeHeader(m.getHeader("Subject", null));
            String from = MailText.decodeHeader(m.getHeader("From", ","));
            String date = Optional.ofNullable(m.getHeader("Date", null)).orElse("");
            Collector c = new Collector();
            c.walk(m);
            String text = c.text;
            String html = c.html == null ? null : POLICY.sanitize(mask ? MailText.maskAddresses(c.html) : c.html);
            int blocked = c.html == null ? 0 : (int) IMG.matcher(c.html).results().count();
            if (mask) {
                from = maskFrom(from);
                subject = MailText.maskAddresses(subject);
                text = MailText.maskAddresses(text);
                html = html == null ? null : MailText.maskAddresses(html);
            }
            return new MessageView(subject.isEmpty() ? "（件名なし）" : subject, from, date,
                    first(m.getHeader("Message-ID", null)), first(m.getHeader("In-Reply-To", null)),
                    ids(m.getHeader("References", " ")), text == null ? "" : text, html, blocked, c.attachments);
        } catch (MessagingException | IOException e) {
            return new MessageView("（読み取れないメール）", "", "", "", "", List.of(),
                    "このメールは形式が壊れているため表示できません。", null, 0, List.of());
        }
    }

    /** Only the headers needed to thread a post (cheap: stops at the blank line). */
    public static MessageView headers(byte[] raw) {
        try {
            InternetHeaders h = new InternetHeaders(new ByteArrayInputStream(raw));
            return new MessageView(MailText.decodeHeader(h.getHeader("Subject", null)), "", "",
                    first(h.getHeader("Message-ID", null)), first(h.getHeader("In-Reply-To", null)),
                    ids(h.getHeader("References", " ")), "", null, 0, List.of());
        } catch (MessagingException e) {
            return new MessageView("", "", "", "", "", List.of(), "", null, 0, List.of());
        }
    }

    /** The bytes and type of attachment {@code index}, transfer encoding removed. */
    public static Optional<Download> attachment(byte[] raw, int index) {
        try {
            MimeMessage m = new MimeMessage(SESSION, new ByteArrayInputStream(raw));
            Collector c = new Collector();
            c.walk(m);
            if (index < 0 || index >= c.parts.size()) {
                return Optional.empty();
            }
            Part p = c.parts.get(index);
            try (InputStream in = p.getInputStream()) {
                return Optional.of(new Download(c.attachments.get(index).fileName(), baseType(p), in.readAllBytes()));
            }
        } catch (MessagingException | IOException e) {
            return Optional.empty();
        }
    }

    public record Download(String fileName, String contentType, byte[] bytes) {
    }

    /** "山田 太郎 <taro@example.jp>" becomes "山田 太郎"; a bare address is masked. */
    static String maskFrom(String from) {
        int lt = from.indexOf('<');
        String name = lt > 0 ? from.substring(0, lt).strip().replaceAll("^\"|\"$", "") : "";
        return name.isEmpty() ? MailText.maskAddresses(from) : MailText.maskAddresses(name);
    }

    private static String first(String header) {
        if (header == null) {
            return "";
        }
        var m = MSGID.matcher(header);
        return m.find() ? m.group() : header.strip();
    }

    private static List<String> ids(String header) {
        if (header == null) {
            return List.of();
        }
        return MSGID.matcher(header).results().map(r -> r.group()).toList();
    }

    private static String baseType(Part p) throws MessagingException {
        try {
            return new ContentType(p.getContentType()).getBaseType().toLowerCase(Locale.ROOT);
        } catch (MessagingException | RuntimeException e) {
            return "application/octet-stream";
        }
    }

    /** Walks the MIME tree: the first text/plain and text/html bodies, and everything else as attachments. */
    private static final class Collector {
        String text;
        String html;
        final List<Attachment> attachments = new ArrayList<>();
        final List<Part> parts = new ArrayList<>();

        void walk(Part p) throws MessagingException, IOException {
            String type = baseType(p);
            String disposition = null;
            try {
                disposition = p.getDisposition();
            } catch (MessagingException ignored) {
                // A malformed Content-Disposition: treat as inline.
            }
            if (type.startsWith("multipart/")) {
                Object content = p.getContent();
                if (content instanceof Multipart mp) {
                    for (int i = 0; i < mp.getCount(); i++) {
                        BodyPart child = mp.getBodyPart(i);
                        walk(child);
                    }
                    return;
                }
            }
            boolean attachment = Part.ATTACHMENT.equalsIgnoreCase(disposition) || fileName(p) != null;
            if (!attachment && type.equals("text/plain") && text == null) {
                text = decodeText(p);
                return;
            }
            if (!attachment && type.equals("text/html") && html == null) {
                html = decodeText(p);
                return;
            }
            if (type.equals("message/rfc822") && !attachment) {
                attachment = true;
            }
            String name = Optional.ofNullable(fileName(p)).orElse("attachment-" + (parts.size() + 1));
            byte[] bytes;
            try (InputStream in = p.getInputStream()) {
                bytes = in.readAllBytes();
            }
            attachments.add(new Attachment(parts.size(), name, type, bytes.length));
            parts.add(p);
        }

        private static String fileName(Part p) {
            try {
                String n = p.getFileName();
                return n == null ? null : MailText.decodeHeader(MimeUtility.unfold(n));
            } catch (MessagingException | RuntimeException e) {
                return null;
            }
        }

        private static String decodeText(Part p) throws MessagingException, IOException {
            String cs = null;
            try {
                cs = new ContentType(p.getContentType()).getParameter("charset");
            } catch (MessagingException | RuntimeException ignored) {
                // No usable Content-Type: the default below.
            }
            byte[] bytes;
            try (InputStream in = p.getInputStream()) {
                bytes = in.readAllBytes();
            }
            // Unlabelled 8-bit text is common in Japanese mail: detect rather than assume ASCII.
            return new String(bytes, Charsets.forText(cs, bytes));
        }
    }
}
