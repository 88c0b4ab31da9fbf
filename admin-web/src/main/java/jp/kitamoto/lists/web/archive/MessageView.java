package jp.kitamoto.lists.web.archive;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetHeaders;
import jp.kitamoto.lists.mime.HeaderField;
import jp.kitamoto.lists.mime.MimeEntity;
import jp.kitamoto.lists.mime.ReadableParts;
import jp.kitamoto.lists.mime.TextBody;
import jp.kitamoto.lists.text.Texts;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;

import java.io.ByteArrayInputStream;
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
                          List<Attachment> attachments, Limits limits) {

    /**
     * How deep into nested multiparts, and how many parts, a page goes. A stored post can be anything the intake
     * accepted (5,000 nested multiparts, 20,000 parts); the page shows what fits in these bounds and says so, so
     * rendering a post is bounded in time and never fails.
     */
    static final int MAX_DEPTH = ReadableParts.MAX_DEPTH;
    static final int MAX_PARTS = ReadableParts.MAX_PARTS;
    /** Characters of text or HTML shown; the rest is cut with a note (a page of megabytes helps nobody). */
    static final int MAX_TEXT_CHARS = ReadableParts.MAX_TEXT_CHARS;

    public record Attachment(int index, String fileName, String contentType, long size) {
    }

    /**
     * What the page could not show: parts nested deeper than {@link #MAX_DEPTH}, parts beyond {@link #MAX_PARTS}
     * (at least {@code skippedParts}), the rest of an over-long text, or the whole post when it cannot be read at
     * all. Kept as figures so that each reader gets the note in their own language ({@link #note}).
     */
    public record Limits(boolean tooDeep, int skippedParts, boolean cut, boolean unreadable) {
        static final Limits NONE = new Limits(false, 0, false, false);
        static final Limits UNREADABLE = new Limits(false, 0, false, true);

        public boolean isEmpty() {
            return !tooDeep && skippedParts == 0 && !cut && !unreadable;
        }

        /** The note above the body in the reader's language; empty when the page shows the whole post. */
        public String note(Texts t) {
            if (isEmpty()) {
                return "";
            }
            if (unreadable) {
                return t.get("page.archive.limit.unreadable");
            }
            List<String> notes = new ArrayList<>();
            if (tooDeep) {
                notes.add(t.format("page.archive.limit.deep", "depth", MAX_DEPTH));
            }
            if (skippedParts > 0) {
                notes.add(t.format("page.archive.limit.parts", "max", MAX_PARTS, "left", skippedParts));
            }
            if (cut) {
                notes.add(t.get("page.archive.limit.cut"));
            }
            return t.format("page.archive.limit.note", "parts", String.join(t.get("page.archive.limit.separator"),
                    notes));
        }
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

    /**
     * The subject as a page shows it: the post's own, else "(no subject)" or, when the post could not be read at
     * all, "(unreadable mail)" in the reader's language. {@link #subject()} is the post's own only ("" for none).
     */
    public String subject(Texts reader) {
        if (limits.unreadable()) {
            return reader.get("page.archive.unreadableSubject");
        }
        return subject.isEmpty() ? reader.get("page.archive.noSubject") : subject;
    }

    /** Parses a stored message; {@code mask} hides every address (public pages). */
    public static MessageView parse(byte[] raw, boolean mask) {
        try {
            MimeEntity m = MimeEntity.parse(raw);
            String subject = MailText.decodeHeader(m.rawValue("Subject").orElse(""));
            String from = MailText.decodeHeader(String.join(",", m.headers("From").stream()
                    .map(HeaderField::rawValue).toList()));
            String date = m.rawValue("Date").map(String::strip).orElse("");
            ReadableParts c = ReadableParts.of(m);
            String text = c.text();
            String html = c.html() == null ? null : POLICY.sanitize(mask ? MailText.maskAddresses(c.html()) : c.html());
            if (html != null && html.length() > MAX_TEXT_CHARS) {
                // Sanitised output may only be cut between elements; the text version is shown instead.
                html = null;
                c.markCut();
            }
            int blocked = c.html() == null ? 0 : (int) IMG.matcher(c.html()).results().count();
            if (mask) {
                from = maskFrom(from);
                subject = MailText.maskAddresses(subject);
                text = MailText.maskAddresses(text);
                html = html == null ? null : MailText.maskAddresses(html);
            }
            return new MessageView(subject, from, date,
                    first(m.rawValue("Message-ID").orElse(null)), first(m.rawValue("In-Reply-To").orElse(null)),
                    ids(String.join(" ", m.headers("References").stream().map(HeaderField::rawValue).toList())),
                    text == null ? "" : text, html, blocked, attachments(c), limits(c));
        } catch (RuntimeException e) {
            // A post the intake accepted must still get a page: whatever cannot be read is said, not thrown.
            return new MessageView("", "", "", "", "", List.of(), "", null, 0, List.of(),
                    Limits.UNREADABLE);
        }
    }

    /** Only the headers needed to thread a post (cheap: stops at the blank line). */
    public static MessageView headers(byte[] raw) {
        try {
            InternetHeaders h = new InternetHeaders(new ByteArrayInputStream(raw));
            return new MessageView(MailText.decodeHeader(h.getHeader("Subject", null)), "", "",
                    first(h.getHeader("Message-ID", null)), first(h.getHeader("In-Reply-To", null)),
                    ids(h.getHeader("References", " ")), "", null, 0, List.of(), Limits.NONE);
        } catch (MessagingException | RuntimeException e) {
            return new MessageView("", "", "", "", "", List.of(), "", null, 0, List.of(), Limits.NONE);
        }
    }

    /** The bytes and type of attachment {@code index}, transfer encoding removed. */
    public static Optional<Download> attachment(byte[] raw, int index) {
        try {
            List<ReadableParts.Leaf> leaves = ReadableParts.of(MimeEntity.parse(raw)).attachments();
            if (index < 0 || index >= leaves.size()) {
                return Optional.empty();
            }
            MimeEntity p = leaves.get(index).part();
            return Optional.of(new Download(leaves.get(index).fileName(), p.mimeType(), TextBody.decodedBytes(p)));
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

    private static Limits limits(ReadableParts c) {
        return new Limits(c.skippedDeep() > 0, c.skippedParts(), c.cut(), false);
    }

    private static List<Attachment> attachments(ReadableParts c) {
        List<Attachment> out = new ArrayList<>();
        for (int i = 0; i < c.attachments().size(); i++) {
            ReadableParts.Leaf leaf = c.attachments().get(i);
            out.add(new Attachment(i, leaf.fileName(), leaf.part().mimeType(),
                    TextBody.decodedBytes(leaf.part()).length));
        }
        return out;
    }
}
