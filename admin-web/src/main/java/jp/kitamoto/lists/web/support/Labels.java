package jp.kitamoto.lists.web.support;

import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.DeliveryState;
import jp.kitamoto.lists.domain.JapanTime;
import jp.kitamoto.lists.text.JapaneseDates;
import jp.kitamoto.lists.domain.ListKind;
import jp.kitamoto.lists.domain.OutputCharset;
import jp.kitamoto.lists.domain.FromRewrite;
import jp.kitamoto.lists.domain.SignedFooter;
import jp.kitamoto.lists.domain.ListPolicy;
import jp.kitamoto.lists.domain.SubscriptionState;

import jp.kitamoto.lists.text.Texts;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** Names of the domain's enums (from the catalogue, in Japanese) and times, for templates. */
public final class Labels {
    /** Every time on the pages is Japan time, whatever the server's zone. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm")
            .withZone(JapanTime.ZONE);

    private Labels() {
    }

    /** A moment as staff read it: 2027/01/15（令和9年1月15日） 10:00 (core's {@link JapaneseDates}, Japan time). */
    public static String time(long epochMillis) {
        return JapaneseDates.stamp(epochMillis);
    }

    /**
     * A moment as the reader reads it: with the era beside the date in Japanese, the Western date alone in English
     * (an era name is Japanese text an English reader cannot use).
     */
    public static String time(long epochMillis, Texts reader) {
        return reader.locale().getLanguage().equals(Texts.ENGLISH.getLanguage())
                ? plainTime(epochMillis) : time(epochMillis);
    }

    /** 2027/01/15 10:00 without the era, for CSV files that spreadsheets read as dates. */
    public static String plainTime(long epochMillis) {
        return TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    // The names below are catalogue texts (page.policy.*, page.state.*, ...); these read them in Japanese for code
    // that has no reader. A template reads them in the reader's language: ${page.t("page.state." + s.name())}.
    private static final Texts JA = Texts.japanese();

    public static String policy(ListPolicy p) {
        return JA.get("page.policy." + p.name());
    }

    public static String visibility(ArchiveVisibility v) {
        return JA.get("page.visibility." + v.name());
    }

    public static String output(OutputCharset o) {
        return JA.get("page.output." + o.name());
    }

    /** DMARC mitigation (From rewriting); see mail-server's FromRewriteStep. */
    public static String fromRewrite(FromRewrite f) {
        return JA.get("page.fromRewrite." + f.name());
    }

    public static String signedFooter(SignedFooter f) {
        return JA.get("page.signedFooter." + f.name());
    }

    public static String kind(ListKind k) {
        return JA.get("page.kind." + k.name());
    }

    public static String state(SubscriptionState s) {
        return JA.get("page.state." + s.name());
    }

    public static String delivery(DeliveryState s) {
        return JA.get("page.delivery." + s.name());
    }

    public static String postState(String s) {
        String key = "page.postState." + s;
        return JA.has(key) ? JA.get(key) : s;
    }

    /** A LIKE pattern for a search box: the text anywhere, with %, _ and \ taken literally. */
    public static String likePattern(String query) {
        String q = query.strip().toLowerCase(java.util.Locale.ROOT);
        return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
