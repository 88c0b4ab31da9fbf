package jp.kitamoto.lists.mime;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of a post that the archive search looks in: the decoded subject (RFC 2047) and the body a reader sees
 * (the first text/plain part, else the text of the first text/html part), read by the same walk as the archive
 * pages ({@link ReadableParts}), with every address masked as on the public pages. Made once when a post is archived.
 *
 * @param subject the decoded subject, "" when there is none
 * @param body    the body text, at most {@link #MAX_BODY_CHARS} characters
 */
public record SearchableText(String subject, String body) {
    /**
     * How much of a body is indexed. The trigram index grows with the text (about three index entries per character),
     * and indexing runs inside the transaction that archives the post: a 500,000-character body would hold the SMTP
     * reply for a noticeable time for text nobody searches page by page.
     */
    public static final int MAX_BODY_CHARS = 100_000;

    private static final Pattern DROPPED = Pattern.compile("(?is)<(script|style|head)\\b.*?</\\1\\s*>|<!--.*?-->");
    private static final Pattern BREAK = Pattern.compile("(?i)<(br|/p|/div|/li|/tr|/h[1-6])\\b[^>]*>");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|amp|lt|gt|quot|apos|nbsp);");

    /** The searchable text of a stored message; a message that cannot be read gives empty text, never an error. */
    public static SearchableText of(byte[] raw) {
        try {
            MimeEntity m = MimeEntity.parse(raw);
            String subject = HeaderWords.decode(m.rawValue("Subject").orElse("")).strip();
            ReadableParts parts = ReadableParts.of(m);
            String body = parts.text() != null ? parts.text() : parts.html() != null ? htmlText(parts.html()) : "";
            if (body.length() > MAX_BODY_CHARS) {
                body = body.substring(0, MAX_BODY_CHARS);
            }
            return new SearchableText(AddressMask.mask(subject), AddressMask.mask(body));
        } catch (RuntimeException e) {
            return new SearchableText("", "");
        }
    }

    /** The text of an HTML body as a reader sees it: tags gone, line breaks kept, entities resolved. */
    static String htmlText(String html) {
        String s = DROPPED.matcher(html).replaceAll("");
        s = BREAK.matcher(s).replaceAll("\n");
        s = TAG.matcher(s).replaceAll("");
        Matcher e = ENTITY.matcher(s);
        StringBuilder out = new StringBuilder();
        while (e.find()) {
            e.appendReplacement(out, Matcher.quoteReplacement(entity(e.group(1))));
        }
        e.appendTail(out);
        return out.toString();
    }

    private static String entity(String name) {
        return switch (name) {
            case "amp" -> "&";
            case "lt" -> "<";
            case "gt" -> ">";
            case "quot" -> "\"";
            case "apos" -> "'";
            case "nbsp" -> " ";
            default -> {
                try {
                    int cp = name.startsWith("#x") || name.startsWith("#X") ? Integer.parseInt(name.substring(2), 16)
                            : Integer.parseInt(name.substring(1));
                    yield Character.isValidCodePoint(cp) ? new String(Character.toChars(cp)) : "";
                } catch (NumberFormatException ex) {
                    yield "";
                }
            }
        };
    }
}
