package jp.kitamoto.lists.mail.pipeline;

import jakarta.mail.internet.ContentType;
import jp.kitamoto.lists.mime.Charsets;
import jp.kitamoto.lists.mail.message.HeaderField;
import jp.kitamoto.lists.mail.message.MimeEntity;
import jp.kitamoto.lists.mail.message.TextBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Appends the list footer to the text the reader sees, and to nothing else:
 * <ul>
 * <li>a text/plain body: at its end, in its own charset if the footer fits, else the part becomes UTF-8;</li>
 * <li>text/html: escaped, before {@code </body>};</li>
 * <li>multipart/alternative: into both the text and the HTML part;</li>
 * <li>multipart/mixed or related: into the first inline text part; attachments stay byte-identical;</li>
 * <li>multipart/signed: never touched (a footer inside would break the signature).</li>
 * </ul>
 * Mailman 2.1-ja once turned footers into attachments; here the footer always joins the text it follows.
 */
public final class FooterStep implements PipelineStep {
    private static final Logger log = LoggerFactory.getLogger(FooterStep.class);

    @Override
    public void apply(PostDraft draft) {
        String footer = footerText(draft);
        if (footer.isBlank()) {
            return;
        }
        if (!addTo(draft.message(), footer, draft)) {
            log.info("no footer added to {} on {}: no inline text part (type {})",
                    draft.message().rawValue("Message-ID").orElse("(no Message-ID)"), draft.list().localPart(),
                    draft.message().mimeType());
        }
    }

    static String footerText(PostDraft draft) {
        String template = draft.list().footer();
        if (template == null || template.isBlank()) {
            template = "-- \n{list_name} <{list_address}>\n配信停止・設定変更: {unsubscribe_page}\n";
        }
        return template.replace("{list_name}", draft.list().displayName())
                .replace("{list_address}", draft.listAddress())
                .replace("{list_page}", draft.listPage())
                .replace("{unsubscribe_page}", draft.unsubscribePage());
    }

    private boolean addTo(MimeEntity part, String footer, PostDraft draft) {
        String type = part.mimeType();
        if (type.equals("multipart/signed") || type.equals("multipart/encrypted") || type.equals("application/pkcs7-mime")) {
            return false;
        }
        if (type.equals("multipart/alternative")) {
            boolean any = false;
            for (MimeEntity child : part.parts()) {
                any |= addTo(child, footer, draft);
            }
            return any;
        }
        if (type.startsWith("multipart/")) {
            for (MimeEntity child : part.parts()) {
                if (child.isAttachment()) {
                    continue;
                }
                String ct = child.mimeType();
                if (ct.equals("text/plain") || ct.equals("text/html") || ct.startsWith("multipart/")) {
                    return addTo(child, footer, draft);
                }
            }
            return false;
        }
        if (part.isAttachment()) {
            return false;
        }
        if (type.equals("text/plain")) {
            appendPlain(part, footer);
            return true;
        }
        if (type.equals("text/html")) {
            appendHtml(part, footer);
            return true;
        }
        return false;
    }

    private static void appendPlain(MimeEntity part, String footer) {
        String text = TextBody.decode(part);
        String newline = text.contains("\r\n") || !text.contains("\n") ? "\r\n" : "\n";
        String body = text.isEmpty() || text.endsWith("\n") ? text : text + newline;
        write(part, body + footer.replace("\r\n", "\n").replace("\n", newline));
    }

    private static void appendHtml(MimeEntity part, String footer) {
        String html = TextBody.decode(part);
        String escaped = footer.strip().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("\r\n", "\n").replace("\n", "<br>\r\n");
        String block = "<div class=\"list-footer\" style=\"margin-top:1em;font-size:small\">" + escaped + "</div>\r\n";
        int close = html.toLowerCase(Locale.ROOT).lastIndexOf("</body>");
        String updated = close >= 0 ? html.substring(0, close) + block + html.substring(close) : html + "\r\n" + block;
        write(part, updated);
    }

    /** Writes the text back in the part's charset if it fits, else in UTF-8 (and says so in Content-Type). */
    private static void write(MimeEntity part, String text) {
        Charset original = TextBody.charsetOf(part);
        if (TextBody.canEncode(text, original)) {
            boolean labelledAscii = part.charset().map(l -> l.trim().equalsIgnoreCase("us-ascii")).orElse(true);
            TextBody.encode(part, text, original);
            if (labelledAscii && !StandardCharsets.US_ASCII.newEncoder().canEncode(text)) {
                setCharset(part, Charsets.mimeLabel(original));
            }
            return;
        }
        log.info("footer does not fit charset {} of {}; converting that part to UTF-8", original.name(),
                part.rawValue("Content-Type").orElse("text/plain"));
        TextBody.encode(part, text, StandardCharsets.UTF_8);
        setCharset(part, "UTF-8");
    }

    private static void setCharset(MimeEntity part, String label) {
        ContentType ct = part.contentType();
        ct.setParameter("charset", label);
        part.setHeader(HeaderField.of("Content-Type", ct.toString().replaceAll("\\s*\r\n\\s*", " ")));
    }
}
