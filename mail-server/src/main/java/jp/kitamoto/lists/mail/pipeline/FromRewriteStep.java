package jp.kitamoto.lists.mail.pipeline;

import jp.kitamoto.lists.domain.Addresses;
import jp.kitamoto.lists.domain.FromRewrite;
import jp.kitamoto.lists.mail.dmarc.DmarcPolicies;
import jp.kitamoto.lists.mime.HeaderField;
import jp.kitamoto.lists.mime.HeaderWords;
import jp.kitamoto.lists.mime.MimeEntity;
import jp.kitamoto.lists.mime.OutputConversion;
import jp.kitamoto.lists.mime.TextBody;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * DMARC mitigation, as Mailman does it: the copy comes From the list, in the author's name
 * ({@code "山田 太郎 via 北本市文化協会" <bunka@ml...>}), so that the From domain is ours and our DKIM signature aligns
 * with it; the author's domain may forbid others to send in its name, and Japanese carriers check the From domain.
 *
 * <p>Replies still reach the author: the author's From goes into Reply-To when the post has none (so "reply" does
 * what it did before the rewrite); when the author set a Reply-To themselves, that choice stays as it is and the
 * author goes into Cc instead (Mailman adds to Reply-To or to Cc depending on the list's reply-to setting; our lists
 * never set Reply-To). The original From is kept in X-Original-From.
 *
 * <p>Runs before the output conversion; the name is encoded in the list's output charset (for "keep", the charset of
 * the author's From if it can hold the text, else UTF-8). The list's own mail (From in our domain) is left alone.
 */
public final class FromRewriteStep implements PipelineStep {
    private final DmarcPolicies dmarc;

    public FromRewriteStep(DmarcPolicies dmarc) {
        this.dmarc = dmarc;
    }

    @Override
    public void apply(PostDraft draft) {
        MimeEntity m = draft.message();
        Optional<String> from = m.rawValue("From");
        FromRewrite setting = draft.list().fromRewrite();
        if (from.isEmpty() || setting == FromRewrite.NEVER) {
            return;
        }
        Optional<String> author = Addresses.extract(from.get());
        if (author.isEmpty()) {
            return;
        }
        String authorDomain = author.get().substring(author.get().lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        if (authorDomain.equals(draft.domain().toLowerCase(Locale.ROOT))) {
            return; // already ours: our signature aligns
        }
        if (setting == FromRewrite.DMARC && !dmarc.policyFor(authorDomain).needsFromRewrite()) {
            return;
        }
        String original = from.get();
        String name = displayName(original).orElse(author.get());
        // A name that looks like an address would be shown (and trusted) as one; Mailman writes " at " too.
        name = name.replace("@", " at ").replace("＠", " at ");
        String phrase = phrase(name + " via " + draft.list().displayName(), charsetFor(draft, original));
        m.setHeader(HeaderField.of("From", phrase + " <" + draft.listAddress() + ">"));
        m.setHeader(HeaderField.of("X-Original-From", original));

        Optional<String> replyTo = m.rawValue("Reply-To");
        if (replyTo.isEmpty()) {
            m.setHeader(HeaderField.of("Reply-To", original));
        } else if (!mentions(replyTo.get(), author.get())) {
            Optional<String> cc = m.rawValue("Cc");
            if (cc.isEmpty()) {
                m.setHeader(HeaderField.of("Cc", original));
            } else if (!mentions(cc.get(), author.get())) {
                m.setHeader(HeaderField.of("Cc", cc.get() + ", " + original));
            }
        }
    }

    /** The decoded display name of a From value, if it has one: {@code "Name" <a@b>}, {@code Name <a@b>} or {@code a@b (Name)}. */
    static Optional<String> displayName(String rawFrom) {
        String value = rawFrom.strip();
        String name;
        int angle = value.lastIndexOf('<');
        if (angle > 0) {
            name = value.substring(0, angle);
        } else if (value.endsWith(")") && value.indexOf('(') > 0) {
            name = value.substring(value.indexOf('(') + 1, value.length() - 1);
        } else {
            return Optional.empty();
        }
        name = HeaderWords.decode(name.strip());
        if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
            name = name.substring(1, name.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        name = name.replace('\u3000', ' ').strip().replaceAll("\\s+", " ");
        return name.isEmpty() ? Optional.empty() : Optional.of(name);
    }

    private static Charset charsetFor(PostDraft draft, String rawFrom) {
        Optional<Charset> output = OutputConversion.charsetFor(draft.list().outputCharset());
        if (output.isPresent()) {
            return output.get();
        }
        return HeaderWords.firstCharset(rawFrom).orElse(StandardCharsets.UTF_8);
    }

    /** The phrase of the new From: encoded words if needed, else a quoted string (names may hold '.', ',' ...). */
    static String phrase(String text, Charset preferred) {
        Optional<String> fitted = OutputConversion.fit(text, preferred);
        if (fitted.isPresent() && HeaderWords.needsEncoding(fitted.get())) {
            return HeaderWords.encode(fitted.get(), preferred);
        }
        if (HeaderWords.needsEncoding(text)) {
            // Text the list's charset cannot hold (an emoji on an ISO-2022-JP list) keeps UTF-8, as the output
            // conversion does for other fields.
            return HeaderWords.encode(text, TextBody.canEncode(text, preferred) ? preferred : StandardCharsets.UTF_8);
        }
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static boolean mentions(String rawAddresses, String address) {
        return rawAddresses.toLowerCase(Locale.ROOT).contains(address.toLowerCase(Locale.ROOT));
    }
}
