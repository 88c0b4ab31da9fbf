package jp.kitamoto.lists.schedules.digest;

import jp.kitamoto.lists.domain.DigestCadence;
import jp.kitamoto.lists.domain.JapanTime;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.mime.Charsets;
import jp.kitamoto.lists.mime.HeaderField;
import jp.kitamoto.lists.mime.HeaderWords;
import jp.kitamoto.lists.mime.MimeEntity;
import jp.kitamoto.lists.mime.OutputConversion;
import jp.kitamoto.lists.text.JapaneseDates;
import jp.kitamoto.lists.schedules.store.DigestRunMapper.DigestedPost;
import jp.kitamoto.lists.service.Tokens;
import jp.kitamoto.lists.text.Texts;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a digest: one MIME {@code multipart/digest} message (RFC 2046 section 5.1.5) whose first part is a table
 * of contents ({@code text/plain}: number, subject, author and time of each post) and whose other parts are the
 * posts as subscribers got them ({@code message/rfc822}), byte for byte but for the per-copy fields that name a
 * subscription (List-Unsubscribe, which the digest itself carries for its own recipient). The digest's own texts
 * (subject, table of contents, sender's name) are in the list's output charset, as every mail the server writes for
 * the list; the posts inside were converted when they were decorated and are not touched again.
 *
 * <p>The fixed texts (subject, table of contents, footer, the dates in them) are in the language of the members
 * the digest is for ({@code reader}): {@link DigestService} makes one digest per language its members read. The
 * posts inside are the same bytes in each.
 *
 * <p>Lines end in CRLF. A post's parts keep their transfer encoding: message/rfc822 allows only 7bit or 8bit
 * (RFC 2046 section 5.2.1), so a post with 8-bit octets is labelled 8bit and so is the digest.
 */
public final class DigestComposer {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final Pattern NAME_ADDR = Pattern.compile("^\\s*\"?(.*?)\"?\\s*<([^<>]*)>\\s*$", Pattern.DOTALL);
    /** Fields of a copy that belong to one subscription; never inside a digest (the digest has its own). */
    private static final List<String> PERSONAL_FIELDS = List.of("List-Unsubscribe", "List-Unsubscribe-Post");
    /** A subject longer than this is cut in the table of contents (the post itself keeps it whole). */
    private static final int MAX_SUBJECT = 200;

    private final String domain;
    private final String publicUrl;
    private final Clock clock;
    public DigestComposer(String domain, String publicUrl, Clock clock) {
        this.domain = domain;
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    /** The digest of {@code posts} (at least one) for the set time {@code nominal}, its texts in Japanese. */
    public byte[] compose(MailingList list, DigestCadence cadence, Instant nominal, List<DigestedPost> posts) {
        return compose(list, cadence, nominal, posts, Texts.japanese());
    }

    /** The digest of {@code posts} (at least one) for the set time {@code nominal}, for members who read {@code texts}. */
    public byte[] compose(MailingList list, DigestCadence cadence, Instant nominal, List<DigestedPost> posts,
                          Texts texts) {
        if (posts.isEmpty()) {
            throw new IllegalArgumentException("a digest needs at least one post");
        }
        Charset target = OutputConversion.charsetFor(list.outputCharset()).orElse(StandardCharsets.UTF_8);
        List<byte[]> bodies = new ArrayList<>(posts.size());
        List<String> entries = new ArrayList<>(posts.size());
        boolean eightBit = false;
        for (DigestedPost p : posts) {
            byte[] body = withoutPersonalFields(p.prepared());
            bodies.add(body);
            eightBit |= hasEightBit(body);
            entries.add(entry(p, MimeEntity.parse(body), texts));
        }
        String boundary = boundaryNotIn(bodies);
        String date = JapaneseDates.date(nominal.atZone(JapanTime.ZONE).toLocalDate(), texts);
        String tag = list.subjectTag().isEmpty() ? list.localPart() : list.subjectTag();
        String subject = texts.format(cadence == DigestCadence.WEEKLY ? "mail.digest.subject.weekly"
                : "mail.digest.subject.daily", "tag", tag, "list", list.displayName(), "date", date, "count", posts.size());
        String toc = texts.format("mail.digest.toc.heading", "list", list.displayName(), "date", date,
                "count", posts.size()) + "\n" + String.join("\n", entries) + "\n"
                + texts.format("mail.digest.toc.footer", "page", publicUrl + "/lists/" + list.localPart());

        ByteArrayOutputStream out = new ByteArrayOutputStream(bodies.stream().mapToInt(b -> b.length + 64).sum() + 4096);
        header(out, "From", phrase(list.displayName(), target) + " <" + list.addresses(domain).request() + ">");
        header(out, "To", list.address(domain));
        header(out, "Subject", encodedText(subject, target));
        header(out, "Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().atZone(JapanTime.ZONE)));
        // Each language's digest is a message of its own; the Japanese one keeps the Message-ID digests always had.
        String language = texts.locale().equals(Texts.JAPANESE) ? "" : "." + texts.locale().getLanguage();
        header(out, "Message-ID", "<digest." + cadence.name().toLowerCase(Locale.ROOT) + "." + nominal.toEpochMilli()
                + "." + list.localPart() + language + "@" + domain + ">");
        header(out, "MIME-Version", "1.0");
        header(out, "Content-Type", "multipart/digest; boundary=\"" + boundary + "\"");
        header(out, "Content-Transfer-Encoding", eightBit ? "8bit" : "7bit");
        out.writeBytes(CRLF);
        ascii(out, "--" + boundary + "\r\n");
        tableOfContents(out, toc, target);
        for (byte[] body : bodies) {
            ascii(out, "\r\n--" + boundary + "\r\n");
            ascii(out, "Content-Type: message/rfc822\r\n");
            if (hasEightBit(body)) {
                ascii(out, "Content-Transfer-Encoding: 8bit\r\n");
            }
            out.writeBytes(CRLF);
            out.writeBytes(body);
        }
        ascii(out, "\r\n--" + boundary + "--\r\n");
        return out.toByteArray();
    }

    private static String entry(DigestedPost p, MimeEntity post, Texts texts) {
        String subject = post.rawValue("Subject").map(v -> HeaderWords.decode(v.strip())).orElse("");
        if (subject.isBlank()) {
            subject = texts.get("mail.digest.toc.noSubject");
        } else if (subject.codePointCount(0, subject.length()) > MAX_SUBJECT) {
            subject = subject.substring(0, subject.offsetByCodePoints(0, MAX_SUBJECT)) + "…";
        }
        return texts.format("mail.digest.toc.entry", "number", p.sequence(), "subject", subject.replaceAll("\\s+", " "),
                "author", author(post, texts), "date", JapaneseDates.withTime(Instant.ofEpochMilli(p.acceptedAt()), texts));
    }

    /** The author as the copy names them: the display name of From, else its address. */
    private static String author(MimeEntity post, Texts texts) {
        String from = post.rawValue("From").map(v -> HeaderWords.decode(v.strip())).orElse("").strip();
        Matcher m = NAME_ADDR.matcher(from);
        if (m.matches()) {
            return m.group(1).isBlank() ? m.group(2).strip() : m.group(1).replaceAll("\\s+", " ").strip();
        }
        return from.isEmpty() ? texts.get("common.unknownSender") : from;
    }

    /**
     * The table of contents in the list's charset; text that does not fit it (an emoji in a subject on an
     * ISO-2022-JP list) keeps UTF-8, as the output conversion does with posts. ISO-2022-JP is 7bit by definition;
     * UTF-8 is written in base64, which every relay passes.
     */
    private static void tableOfContents(ByteArrayOutputStream out, String toc, Charset target) {
        String fitted = OutputConversion.fit(toc, target).orElse(null);
        Charset charset = fitted == null ? StandardCharsets.UTF_8 : target;
        String text = (fitted == null ? toc : fitted).replace("\r\n", "\n").replace("\n", "\r\n");
        ascii(out, "Content-Type: text/plain; charset=" + Charsets.mimeLabel(charset) + "\r\n");
        if (charset.equals(Charsets.ISO_2022_JP_MS)) {
            ascii(out, "Content-Transfer-Encoding: 7bit\r\n\r\n");
            out.writeBytes(text.getBytes(charset));
        } else {
            ascii(out, "Content-Transfer-Encoding: base64\r\n\r\n");
            String b64 = Base64.getMimeEncoder(76, CRLF).encodeToString(text.getBytes(charset));
            ascii(out, b64);
        }
    }

    private static String encodedText(String text, Charset target) {
        return OutputConversion.fit(text, target).map(t -> HeaderWords.encode(t, target))
                .orElseGet(() -> HeaderWords.encode(text, StandardCharsets.UTF_8));
    }

    /** A display name: RFC 2047 words when it is not ASCII, a quoted string when it is. */
    private static String phrase(String name, Charset target) {
        if (HeaderWords.needsEncoding(name)) {
            return encodedText(name, target);
        }
        return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void header(ByteArrayOutputStream out, String name, String value) {
        out.writeBytes(HeaderField.of(name, value).raw());
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static boolean hasEightBit(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }

    /** A boundary that occurs in none of the posts (a random one almost never does; checked all the same). */
    private static String boundaryNotIn(List<byte[]> bodies) {
        while (true) {
            String b = "=_kitamoto-digest_" + Tokens.newToken();
            byte[] needle = b.getBytes(StandardCharsets.US_ASCII);
            if (bodies.stream().noneMatch(body -> indexOf(body, needle, 0) >= 0)) {
                return b;
            }
        }
    }

    /**
     * The copy's bytes without the fields that name one subscription. The shared copy a post keeps has none (they
     * are written per copy at delivery); this makes sure of it, and leaves every other byte as it is.
     */
    static byte[] withoutPersonalFields(byte[] message) {
        int end = headerEnd(message);
        String head = new String(message, 0, end, StandardCharsets.ISO_8859_1);
        boolean any = false;
        for (String f : PERSONAL_FIELDS) {
            any |= head.regionMatches(true, 0, f + ":", 0, f.length() + 1)
                    || head.toLowerCase(Locale.ROOT).contains("\n" + f.toLowerCase(Locale.ROOT) + ":");
        }
        if (!any) {
            return message;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length);
        int i = 0;
        boolean dropping = false;
        while (i < end) {
            int lineEnd = i;
            while (lineEnd < end && message[lineEnd] != '\n') {
                lineEnd++;
            }
            int next = Math.min(lineEnd + 1, end);
            boolean continuation = message[i] == ' ' || message[i] == '\t';
            if (!continuation) {
                String line = new String(message, i, next - i, StandardCharsets.ISO_8859_1);
                int colon = line.indexOf(':');
                String name = colon > 0 ? line.substring(0, colon).strip() : "";
                dropping = PERSONAL_FIELDS.stream().anyMatch(name::equalsIgnoreCase);
            }
            if (!dropping) {
                out.write(message, i, next - i);
            }
            i = next;
        }
        out.write(message, end, message.length - end);
        return out.toByteArray();
    }

    /** The offset just after the header section's last field (where the blank line starts), or the length. */
    private static int headerEnd(byte[] m) {
        if (m.length > 0 && (m[0] == '\n' || m[0] == '\r')) {
            return 0;
        }
        for (int i = 0; i + 1 < m.length; i++) {
            if (m[i] == '\n' && (m[i + 1] == '\n' || (m[i + 1] == '\r' && i + 2 < m.length && m[i + 2] == '\n'))) {
                return i + 1;
            }
        }
        return m.length;
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
