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

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** Japanese names of the domain's enums and times, for templates. */
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

    /** 2027/01/15 10:00 without the era, for CSV files that spreadsheets read as dates. */
    public static String plainTime(long epochMillis) {
        return TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    public static String policy(ListPolicy p) {
        return switch (p) {
            case DISCUSSION -> "意見交換（登録者は自由に投稿、それ以外は保留）";
            case ANNOUNCE -> "お知らせ専用（管理者のみ投稿）";
            case MODERATED -> "承認制（すべての投稿を保留）";
        };
    }

    public static String visibility(ArchiveVisibility v) {
        return switch (v) {
            case PUBLIC -> "公開";
            case MEMBERS -> "登録者のみ";
            case CLOSED -> "非公開";
        };
    }

    public static String output(OutputCharset o) {
        return switch (o) {
            case KEEP -> "投稿されたまま（標準）";
            case UTF_8 -> "UTF-8 にそろえる";
            case ISO_2022_JP -> "ISO-2022-JP にそろえる（古い携帯電話向け）";
        };
    }

    /** DMARC mitigation (From rewriting); see mail-server's FromRewriteStep. */
    public static String fromRewrite(FromRewrite f) {
        return switch (f) {
            case ALWAYS -> "常にリストのアドレスにする（標準：携帯電話・Gmail・Yahoo! に届くように）";
            case DMARC -> "投稿者のドメインが DMARC で拒否・隔離を求めるときだけ";
            case NEVER -> "変えない（携帯電話などで届かないことがあります）";
        };
    }

    public static String signedFooter(SignedFooter f) {
        return switch (f) {
            case OMIT -> "付けない（署名を壊さないため）";
            case SEPARATE_PART -> "署名の外に別のパートとして付ける";
        };
    }

    public static String kind(ListKind k) {
        return switch (k) {
            case PURPOSE -> "目的別";
            case COUNCIL -> "連絡協議会";
            case ANNOUNCE -> "お知らせ";
        };
    }

    public static String state(SubscriptionState s) {
        return switch (s) {
            case ACTIVE -> "配信中";
            case PENDING -> "確認待ち";
            case SUSPENDED -> "配信停止中";
            case UNSUBSCRIBED -> "解除済み";
        };
    }

    public static String delivery(DeliveryState s) {
        return switch (s) {
            case PENDING -> "送信待ち";
            case SENT -> "送信済み";
            case FAILED -> "失敗";
        };
    }

    public static String postState(String s) {
        return switch (s) {
            case "ACCEPTED" -> "配信済み";
            case "HELD" -> "保留中";
            case "DISCARDED" -> "破棄";
            case "REJECTED" -> "却下";
            default -> s;
        };
    }

    /** A LIKE pattern for a search box: the text anywhere, with %, _ and \ taken literally. */
    public static String likePattern(String query) {
        String q = query.strip().toLowerCase(java.util.Locale.ROOT);
        return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
