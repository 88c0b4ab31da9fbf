package jp.kitamoto.lists.schedules.model;

import jp.kitamoto.lists.text.CatalogueText;
import jp.kitamoto.lists.text.Texts;

import java.time.Instant;

/**
 * Why a send is in its state (missed, failed, sent again, cancelled), as kept in {@code sched_sends.detail}: a
 * catalogue key and its values ({@link CatalogueText#stored()}), put into words when a page shows it, in the reader's
 * language ({@link #text}); the owners' alert mail renders it in Japanese. Rows written before the detail was a key
 * hold a Japanese sentence, which is shown as it was written.
 */
public final class SendDetail {
    /** Every stored key starts with this; anything else in the column is an older sentence. */
    private static final String PREFIX = "schedules.";

    private SendDetail() {
    }

    /** {@code schedules.sendDetail.<name>} (no values). */
    public static String of(String name) {
        return CatalogueText.of("schedules.sendDetail." + name).stored();
    }

    /** Past its grace period: not sent. */
    public static String missed(Instant due, int graceMinutes) {
        return CatalogueText.of("schedules.staffAlert.missed.detail", "due", CatalogueText.time(due),
                "grace", graceMinutes).stored();
    }

    /** Distribution failed with this error (the exception's own message, which is not translated). */
    public static String failed(RuntimeException e) {
        // String.valueOf: a message-less exception reads "null", as before the catalogue.
        return CatalogueText.of("schedules.staffAlert.failed.detail", "error", String.valueOf(e.getMessage())).stored();
    }

    /** The stored detail in the reader's words; "" for none. */
    public static String text(String stored, Texts reader) {
        return stored == null || stored.isEmpty() ? "" : CatalogueText.read(stored, PREFIX).in(reader);
    }
}
