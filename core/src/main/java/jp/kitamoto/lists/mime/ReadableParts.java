package jp.kitamoto.lists.mime;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.MimeUtility;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a reader sees of a stored post: the first text/plain and text/html bodies, decoded as the pipeline decodes
 * them ({@link TextBody}), and everything else as attachments. One walk shared by the archive pages and the archive's
 * search index, so that search finds exactly the text the pages show.
 *
 * <p>The walk is iterative and bounded ({@link #MAX_DEPTH}, {@link #MAX_PARTS}, {@link #MAX_TEXT_CHARS}): a stored
 * post can be anything the intake accepted (5,000 nested multiparts, 20,000 parts); what lies beyond the bounds is
 * counted, so a page can say what it left out, and reading a post is bounded in time and never fails.
 */
public final class ReadableParts {
    public static final int MAX_DEPTH = 20; // MimeEntity parses no deeper either
    public static final int MAX_PARTS = 200;
    /** Characters of text or HTML kept; the rest is cut (a page of megabytes helps nobody). */
    public static final int MAX_TEXT_CHARS = 500_000;

    /** A part shown as an attachment, with its file name (RFC 2231 and RFC 2047 decoded, or made up). */
    public record Leaf(MimeEntity part, String fileName) {
    }

    private String text;
    private String html;
    private final List<Leaf> attachments = new ArrayList<>();
    private int skippedDeep;
    private int skippedParts;
    private boolean cut;

    private ReadableParts() {
    }

    /** Walks a parsed message. */
    public static ReadableParts of(MimeEntity root) {
        ReadableParts r = new ReadableParts();
        r.walk(root);
        return r;
    }

    /** The first text/plain body, or null. */
    public String text() {
        return text;
    }

    /** The first text/html body (not sanitised), or null. */
    public String html() {
        return html;
    }

    public List<Leaf> attachments() {
        return attachments;
    }

    public int skippedDeep() {
        return skippedDeep;
    }

    public int skippedParts() {
        return skippedParts;
    }

    public boolean cut() {
        return cut;
    }

    /** Marks the text as cut by the caller (a sanitised HTML body too long to show). */
    public void markCut() {
        cut = true;
    }

    private record Pending(MimeEntity part, int depth) {
    }

    private void walk(MimeEntity root) {
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
        String name = fileName(p);
        boolean attachment = p.isAttachment() || name != null;
        if (!attachment && type.equals("text/plain") && text == null) {
            text = bounded(TextBody.decode(p));
            return;
        }
        if (!attachment && type.equals("text/html") && html == null) {
            html = bounded(TextBody.decode(p));
            return;
        }
        attachments.add(new Leaf(p, Optional.ofNullable(name).orElse("attachment-" + (attachments.size() + 1))));
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
            return n == null ? null : HeaderWords.decode(MimeUtility.unfold(n)).strip();
        } catch (MessagingException | RuntimeException e) {
            return null;
        }
    }
}
