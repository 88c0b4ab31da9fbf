package jp.kitamoto.lists.mail.pipeline;

import jp.kitamoto.lists.domain.SignedFooter;
import jp.kitamoto.lists.text.Texts;
import jp.kitamoto.lists.mime.Charsets;
import jp.kitamoto.lists.mime.MimeEntity;
import jp.kitamoto.lists.mime.TextBody;
import jp.kitamoto.lists.service.Tokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * Appends the list footer to the text the reader sees, and to nothing else:
 * <ul>
 * <li>a text/plain body: at its end, in its own charset if the footer fits, else the part becomes UTF-8;</li>
 * <li>text/html: escaped, before {@code </body>};</li>
 * <li>multipart/alternative: into both the text and the HTML part;</li>
 * <li>multipart/mixed or related: into the first inline text part; attachments stay byte-identical;</li>
 * <li>multipart/signed or encrypted: never touched inside (a footer there would break the signature); by list
 * setting the footer is left out, or added as a separate part beside it ({@link SignedFooter}).</li>
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
        if (draft.message().isSealed()) {
            if (draft.list().signedFooter() == SignedFooter.SEPARATE_PART) {
                draft.message().wrapInMixed(footerPart(footer), "=_kitamoto_" + Tokens.newToken());
            }
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
            // The carrier line: members on docomo/au/SoftBank phones whose filters drop list mail are told how
            // to let it in (issue 15); those who read this already can pass the page on to those who cannot.
            template = "-- \n{list_name} <{list_address}>\n配信停止・設定変更: {unsubscribe_page}\n"
                    + Texts.japanese().format("help.carrier.mailLine", "url", "{carrier_help}") + "\n";
        }
        String footer = template.replace("{list_name}", draft.list().displayName())
                .replace("{carrier_help}", draft.carrierHelpPage())
                .replace("{list_address}", draft.listAddress())
                .replace("{list_page}", draft.listPage())
                .replace("{unsubscribe_page}", draft.unsubscribePage());
        // Every copy, whatever footer the list's staff wrote, leads to the member's own page (#12): pause, digest,
        // name, leave. Fixed text from the catalogue, so a list's own footer cannot drop it.
        return (footer.endsWith("\n") ? footer : footer + "\n")
                + Texts.japanese().format("mail.footer.memberPage", "url", draft.memberPage()) + "\n";
    }

    /**
     * The footer as a part of its own, placed after the signed message in a multipart/mixed (Mailman's and Sympa's
     * answer too): readers show it below the message and the signature still verifies. UTF-8 in base64; a list
     * whose output charset is ISO-2022-JP gets it converted by {@link OutputCharsetStep}.
     */
    private static byte[] footerPart(String footer) {
        String text = footer.replace("\r\n", "\n").replace("\n", "\r\n");
        String encoded = Base64.getMimeEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        return ("Content-Type: text/plain; charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: inline\r\n"
                + "Content-Description: list footer\r\n\r\n" + encoded + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private boolean addTo(MimeEntity part, String footer, PostDraft draft) {
        if (part.isSealed()) {
            return false;
        }
        String type = part.mimeType();
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
                part.setCharset(Charsets.mimeLabel(original));
            }
            return;
        }
        log.info("footer does not fit charset {} of {}; converting that part to UTF-8", original.name(),
                part.rawValue("Content-Type").orElse("text/plain"));
        TextBody.encode(part, text, StandardCharsets.UTF_8);
        part.setCharset("UTF-8");
    }
}
