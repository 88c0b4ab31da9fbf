package jp.kitamoto.lists.web.archive;

import jakarta.mail.internet.MailDateFormat;

import java.text.ParsePosition;
import java.util.Date;

/**
 * The date an archive page shows for a post: its {@code Date:} header in Japan time with the era beside it
 * (2027/01/15（令和9年1月15日） 10:00), the header as written when no mail-date reading makes sense of it, and "" when
 * the post had none, in which case the page shows when we received it.
 */
public final class PostDate {
    private PostDate() {
    }

    public static String shown(String dateHeader, jp.kitamoto.lists.text.Texts reader) {
        if (dateHeader == null || dateHeader.isBlank()) {
            return "";
        }
        // MailDateFormat reads RFC 5322 dates leniently (no weekday, "(JST)" comments, obsolete zones).
        Date d = new MailDateFormat().parse(dateHeader.strip(), new ParsePosition(0));
        return d == null ? dateHeader.strip() : jp.kitamoto.lists.web.support.Labels.time(d.getTime(), reader);
    }
}
