package jp.kitamoto.lists.web.archive;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeUtility;
import jp.kitamoto.lists.mime.HeaderField;
import jp.kitamoto.lists.mime.MimeEntity;
import jp.kitamoto.lists.mime.TextBody;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;

import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A stored post made fit to show on a page: decoded headers, the body as escaped text or sanitised HTML, and the
 * attachments. Built from {@code posts.raw}, the message exactly as received.
 */
public record MessageView(String subject, String from, String date, String messageId, String inReplyTo,
                          List<String> references, String textBody, String htmlBody, int blockedImages,
                          List<Attachment> attachments, String limitNote) {

    /**
     * How deep into nested multiparts, and how many parts, a page goes. A stored post can be anything the intake
     * accepted (5,000 nested multiparts, 20,000 parts); the page shows what fits in these bounds and says so, so
     * rendering a post is bounded in time and never fails.
     */
    static final int MAX_DEPTH = 20; // MimeEntity parses no deeper either
    static final int MAX_PARTS = 200;
    /** Characters of text or HTML shown; the rest is cut with a note (a page of megabytes helps nobody). */
    static final int MAX_TEXT_CHARS = 500_000;

    public record Attachment(int index, String fileName, String contentType, long size) {
    }

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
            MimeEntity m = MimeEntity.parse(raw);
            String subject = MailText.decodeHeader(m.rawValue("Subject").orElse(""));
            String from = MailText.decodeHeader(String.join(",", m.headers("From").stream()
                    .map(HeaderField::rawValue).toList()));
            String date = m.rawValue("Date").map(String::strip).orElse("");
            Collector c = new Collector();
            c.walk(m);
            String text = c.text;
            String html = c.html == null ? null : POLICY.sanitize(mask ? MailText.maskAddresses(c.html) : c.html);
            if (html != null && html.length() > MAX_TEXT_CHARS) {
                // Sanitised output may only be cut between elements; the text version is shown instead.
                html = null;
                c.cut = true;
            }
            int blocked = c.html == null ? 0 : (int) IMG.matcher(c.html).results().count();
            if (mask) {
                from = maskFrom(from);
                subject = MailText.maskAddresses(subject);
                text = MailText.maskAddresses(text);
                html = html == null ? null : MailText.maskAddresses(html);
            }
            return new MessageView(subject.isEmpty() ? "（件名なし）" : subject, from, date,
                    first(m.rawValue("Message-ID").orElse(null)), first(m.rawValue("In-Reply-To").orElse(null)),
                    ids(String.join(" ", m.headers("References").stream().map(HeaderField::rawValue).toList())),
                    text == null ? "" : text, html, blocked, c.attachments, c.limitNote());
        } catch (RuntimeException e) {
            // A post the intake accepted must still get a page: whatever cannot be read is said, not thrown.
            return new MessageView("（読み取れないメール）", "", "", "", "", List.of(),
                    "このメールは形式が壊れているため表示できません。", null, 0, List.of(), "");
        }
    }

    /** Only the headers needed to thread a post (cheap: stops at the blank line). */
    public static MessageView headers(byte[] raw) {
        try {
            InternetHeaders h = new InternetHeaders(new ByteArrayInputStream(raw));
            return new MessageView(MailText.decodeHeader(h.getHeader("Subject", null)), "", "",
                    first(h.getHeader("Message-ID", null)), first(h.getHeader("In-Reply-To", null)),
                    ids(h.getHeader("References", " ")), "", null, 0, List.of(), "");
        } catch (MessagingException | RuntimeException e) {
            return new MessageView("", "", "", "", "", List.of(), "", null, 0, List.of(), "");
        }
    }

    /** The bytes and type of attachment {@code index}, transfer encoding removed. */
    public static Optional<Download> attachment(byte[] raw, int index) {
        try {
            Collector c = new Collector();
            c.walk(MimeEntity.parse(raw));
            if (index < 0 || index >= c.parts.size()) {
                return Optional.empty();
            }
            MimeEntity p = c.parts.get(index);
            return Optional.of(new Download(c.attachments.get(index).fileName(), p.mimeType(),
                    TextBody.decodedBytes(p)));
        } catch (RuntimeException e) {
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

    /**
     * Walks the MIME tree (our byte-level model, which stops parsing at {@link MimeEntity}'s own depth bound),
     * iteratively and within {@link #MAX_DEPTH} and {@link #MAX_PARTS}: the first text/plain and text/html bodies,
     * decoded as the pipeline decodes them ({@link TextBody}), and everything else as attachments.
     */
    private static final class Collector {
        String text;
        String html;
        final List<Attachment> attachments = new ArrayList<>();
        final List<MimeEntity> parts = new ArrayList<>();
        int skippedDeep;
        int skippedParts;
        boolean cut;

        private record Pending(MimeEntity part, int depth) {
        }

        void walk(MimeEntity root) {
            ArrayDeque<Pending> stack = new ArrayDeque<>();
            stack.push(new Pending(root, 0));
            int visited = 0;
            while (!stack.isEmpty()) {
                Pending next = stack.pop();
                if (++visited > MAX_PARTS) {
                    skippedParts += 1 + stack.size();
                    return;
                }
                MimeEntity p = next.part();
                if (p.isMultipart()) {
                    List<MimeEntity> children = p.parts();
                    if (next.depth() >= MAX_DEPTH) {
                        skippedDeep++;
                        continue;
                    }
                    // Pushed in reverse so that parts are visited in their order (the first text part wins).
                    for (int i = children.size() - 1; i >= 0; i--) {
                        stack.push(new Pending(children.get(i), next.depth() + 1));
                    }
                    if (!children.isEmpty()) {
                        continue;
                    }
                    // A multipart whose boundary is never found: its body is shown as one part.
                }
                visitLeaf(p);
            }
        }

        private void visitLeaf(MimeEntity p) {
            String type = p.mimeType();
            boolean attachment = p.isAttachment() || fileName(p) != null;
            if (!attachment && type.equals("text/plain") && text == null) {
                text = bounded(TextBody.decode(p));
                return;
            }
            if (!attachment && type.equals("text/html") && html == null) {
                html = bounded(TextBody.decode(p));
                return;
            }
            String name = Optional.ofNullable(fileName(p)).orElse("attachment-" + (parts.size() + 1));
            attachments.add(new Attachment(parts.size(), name, type, TextBody.decodedBytes(p).length));
            parts.add(p);
        }

        private String bounded(String s) {
            if (s.length() <= MAX_TEXT_CHARS) {
                return s;
            }
            cut = true;
            return s.substring(0, MAX_TEXT_CHARS);
        }

        /** The file name from Content-Disposition or Content-Type (RFC 2231 and RFC 2047 both decoded). */
        private static String fileName(MimeEntity p) {
            try {
                String n = null;
                Optional<String> disposition = p.rawValue("Content-Disposition");
                if (disposition.isPresent()) {
                    n = new ContentDisposition(MimeUtility.unfold(disposition.get()).strip()).getParameter("filename");
                }
                if (n == null) {
                    n = p.contentType().getParameter("name");
                }
                return n == null ? null : MailText.decodeHeader(MimeUtility.unfold(n));
            } catch (MessagingException | RuntimeException e) {
                return null;
            }
        }

        /** What the page could not show, in Japanese; empty when it shows the whole post. */
        String limitNote() {
            List<String> notes = new ArrayList<>();
            if (skippedDeep > 0) {
                notes.add(MAX_DEPTH + "段より深い入れ子の部分");
            }
            if (skippedParts > 0) {
                notes.add(MAX_PARTS + "個を超える部分（残り" + skippedParts + "個以上）");
            }
            if (cut) {
                notes.add("長すぎる本文の続き");
            }
            return notes.isEmpty() ? "" : "このメールは大きすぎるか複雑すぎるため、一部を表示していません: "
                    + String.join("、", notes) + "。";
        }
    }
}
