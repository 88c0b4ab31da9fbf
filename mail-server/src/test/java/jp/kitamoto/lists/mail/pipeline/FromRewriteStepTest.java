package jp.kitamoto.lists.mail.pipeline;

import jp.kitamoto.lists.domain.FromRewrite;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.OutputCharset;
import jp.kitamoto.lists.domain.SignedFooter;
import jp.kitamoto.lists.mail.dmarc.DmarcPolicy;
import jp.kitamoto.lists.mime.Charsets;
import jp.kitamoto.lists.mime.HeaderWords;
import jp.kitamoto.lists.mime.MimeEntity;
import jp.kitamoto.lists.testing.TestMessages;
import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FromRewriteStepTest {
    private static final String LIST_ADDRESS = "bunka@" + Drafts.DOMAIN;
    private static final String YAMADA_UTF8 = "=?UTF-8?B?" + b64("山田 太郎", StandardCharsets.UTF_8) + "?= <yamada@example.jp>";
    private static final String YAMADA_JIS = "=?ISO-2022-JP?B?" + b64("山田 太郎", Charsets.ISO_2022_JP_MS) + "?= <yamada@docomo.ne.jp>";

    private final List<String> asked = new ArrayList<>();
    private final Map<String, DmarcPolicy> dns = Map.of("reject.example", DmarcPolicy.REJECT,
            "none.example", DmarcPolicy.NONE, "broken.example", DmarcPolicy.UNKNOWN);

    private static String b64(String s, Charset c) {
        return Base64.getEncoder().encodeToString(s.getBytes(c));
    }

    private static MailingList list(FromRewrite rewrite, OutputCharset output) {
        MailingList l = Drafts.list("", output, SignedFooter.OMIT);
        return new MailingList(l.id(), l.localPart(), l.displayName(), l.description(), l.category(), l.kind(),
                l.policy(), l.archiveVisibility(), l.subjectTag(), l.footer(), l.outputCharset(), l.signedFooter(),
                rewrite, l.maxMessageBytes(), l.nextSequence(), l.state(), l.createdAt(), l.updatedAt());
    }

    private MimeEntity rewritten(String headers, MailingList list) {
        PostDraft d = Drafts.draft(TestMessages.message(headers + "\nSubject: test\nMessage-ID: <m@example.jp>",
                "本文\n", StandardCharsets.UTF_8), list);
        new FromRewriteStep(domain -> {
            asked.add(domain);
            return dns.getOrDefault(domain, DmarcPolicy.NO_RECORD);
        }).apply(d);
        return MimeEntity.parse(d.message().toBytes());
    }

    private static String from(MimeEntity m) {
        return HeaderWords.decode(m.rawValue("From").orElseThrow());
    }

    @Test
    void alwaysWritesTheListAddressInTheAuthorsNameAndRepliesGoToTheAuthor() {
        MimeEntity m = rewritten("From: " + YAMADA_UTF8, list(FromRewrite.ALWAYS, OutputCharset.KEEP));
        assertThat(from(m)).isEqualTo("山田 太郎 via 北本市文化協会 <" + LIST_ADDRESS + ">");
        assertThat(m.rawValue("From").orElseThrow()).startsWith("=?UTF-8?B?");
        assertThat(m.rawValue("Reply-To")).hasValue(YAMADA_UTF8);
        assertThat(m.rawValue("X-Original-From")).hasValue(YAMADA_UTF8);
        assertThat(m.header("Cc")).isEmpty();
        assertThat(asked).as("ALWAYS needs no DNS").isEmpty();
    }

    @Test
    void theNameIsEncodedInTheListsOutputCharset() {
        MimeEntity jis = rewritten("From: " + YAMADA_UTF8, list(FromRewrite.ALWAYS, OutputCharset.ISO_2022_JP));
        assertThat(jis.rawValue("From").orElseThrow()).startsWith("=?ISO-2022-JP?B?").endsWith("<" + LIST_ADDRESS + ">");
        assertThat(from(jis)).isEqualTo("山田 太郎 via 北本市文化協会 <" + LIST_ADDRESS + ">");

        MimeEntity utf8 = rewritten("From: " + YAMADA_JIS, list(FromRewrite.ALWAYS, OutputCharset.UTF_8));
        assertThat(utf8.rawValue("From").orElseThrow()).startsWith("=?UTF-8?B?");
        assertThat(from(utf8)).isEqualTo("山田 太郎 via 北本市文化協会 <" + LIST_ADDRESS + ">");

        // "Keep": the author's charset, as a phone that sent ISO-2022-JP surely reads it.
        MimeEntity keep = rewritten("From: " + YAMADA_JIS, list(FromRewrite.ALWAYS, OutputCharset.KEEP));
        assertThat(keep.rawValue("From").orElseThrow()).startsWith("=?ISO-2022-JP?B?");
        assertThat(keep.rawValue("Reply-To")).hasValue(YAMADA_JIS);
    }

    @Test
    void aWholePipelineOnAnIso2022jpListKeepsTheRewrittenName() {
        PostDraft d = Drafts.draft(TestMessages.message("From: " + YAMADA_UTF8 + "\nSubject: test\n"
                + "DKIM-Signature: v=1; a=rsa-sha256; d=example.jp; s=s; bh=x; b=y\nContent-Type: text/plain; charset=UTF-8",
                "本文\n", StandardCharsets.UTF_8), list(FromRewrite.ALWAYS, OutputCharset.ISO_2022_JP));
        MimeEntity m = MimeEntity.parse(Pipeline.standard(domain -> DmarcPolicy.NO_RECORD).run(d));
        assertThat(m.rawValue("From").orElseThrow()).startsWith("=?ISO-2022-JP?B?");
        assertThat(from(m)).isEqualTo("山田 太郎 via 北本市文化協会 <" + LIST_ADDRESS + ">");
        assertThat(m.header("DKIM-Signature")).as("the author's signature, broken by our changes, is gone").isEmpty();
    }

    @Test
    void anAuthorsOwnReplyToIsKeptAndTheAuthorGoesToCc() {
        MimeEntity m = rewritten("From: " + YAMADA_UTF8 + "\nReply-To: office@npo.example.jp",
                list(FromRewrite.ALWAYS, OutputCharset.KEEP));
        assertThat(m.rawValue("Reply-To")).hasValue("office@npo.example.jp");
        assertThat(m.rawValue("Cc")).hasValue(YAMADA_UTF8);

        MimeEntity withCc = rewritten("From: " + YAMADA_UTF8 + "\nReply-To: office@npo.example.jp\nCc: suzuki@example.jp",
                list(FromRewrite.ALWAYS, OutputCharset.KEEP));
        assertThat(withCc.rawValue("Cc")).hasValue("suzuki@example.jp, " + YAMADA_UTF8);

        MimeEntity replyToSelf = rewritten("From: " + YAMADA_UTF8 + "\nReply-To: Yamada <YAMADA@example.jp>",
                list(FromRewrite.ALWAYS, OutputCharset.KEEP));
        assertThat(replyToSelf.header("Cc")).as("already reachable by reply").isEmpty();
    }

    @Test
    void aNameThatLooksLikeAnAddressIsNotShownAsOne() {
        MimeEntity quoted = rewritten("From: \"boss@city.kitamoto.example\" <taro@example.jp>",
                list(FromRewrite.ALWAYS, OutputCharset.KEEP));
        assertThat(from(quoted)).isEqualTo("boss at city.kitamoto.example via 北本市文化協会 <" + LIST_ADDRESS + ">");
        MimeEntity bare = rewritten("From: taro..yamada.@docomo.ne.jp", list(FromRewrite.ALWAYS, OutputCharset.KEEP));
        assertThat(from(bare)).isEqualTo("taro..yamada. at docomo.ne.jp via 北本市文化協会 <" + LIST_ADDRESS + ">");
        assertThat(bare.rawValue("Reply-To")).hasValue("taro..yamada.@docomo.ne.jp");
    }

    @Test
    void anAsciiNameIsQuoted() {
        MimeEntity m = rewritten("From: Taro Yamada, Jr. <taro@example.jp>", list(FromRewrite.ALWAYS, OutputCharset.KEEP));
        assertThat(m.rawValue("From").orElseThrow()).startsWith("=?UTF-8?B?"); // the list's Japanese name
        assertThat(FromRewriteStep.phrase("Taro Yamada, Jr. via Bunka", StandardCharsets.UTF_8))
                .isEqualTo("\"Taro Yamada, Jr. via Bunka\"");
    }

    @Test
    void neverLeavesFromAlone() {
        MimeEntity m = rewritten("From: " + YAMADA_UTF8, list(FromRewrite.NEVER, OutputCharset.KEEP));
        assertThat(m.rawValue("From")).hasValue(YAMADA_UTF8);
        assertThat(m.header("X-Original-From")).isEmpty();
        assertThat(m.header("Reply-To")).isEmpty();
    }

    @Test
    void dmarcRewritesOnlyForStrictOrUnknownPolicies() {
        MailingList l = list(FromRewrite.DMARC, OutputCharset.KEEP);
        assertThat(from(rewritten("From: a@reject.example", l))).contains("via");
        assertThat(from(rewritten("From: a@broken.example", l))).as("a DNS failure counts as strict").contains("via");
        assertThat(rewritten("From: a@none.example", l).rawValue("From")).hasValue("a@none.example");
        assertThat(rewritten("From: a@nothing.example", l).rawValue("From")).hasValue("a@nothing.example");
        assertThat(asked).containsExactly("reject.example", "broken.example", "none.example", "nothing.example");
    }

    @Test
    void mailFromOurOwnDomainIsAlreadyOurs() {
        MimeEntity m = rewritten("From: bunka-owner@" + Drafts.DOMAIN, list(FromRewrite.ALWAYS, OutputCharset.KEEP));
        assertThat(m.rawValue("From")).hasValue("bunka-owner@" + Drafts.DOMAIN);
    }
}
