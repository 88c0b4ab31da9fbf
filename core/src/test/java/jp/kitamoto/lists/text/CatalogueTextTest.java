package jp.kitamoto.lists.text;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A text kept as a key and values: stored, read back and put into each reader's words. */
class CatalogueTextTest {
    private static final Texts JA = Texts.japanese();
    private static final Texts EN = Texts.of(Texts.ENGLISH);

    @Test
    void aStoredTextIsReadBackAndRenderedInEachLanguage() {
        Instant due = Instant.parse("2027-02-15T08:00:00Z"); // 17:00 in Japan
        String stored = CatalogueText.of("schedules.staffAlert.missed.detail", "due", CatalogueText.time(due),
                "grace", 15).stored();
        assertThat(stored).doesNotContainPattern("[ぁ-ん]").startsWith("schedules.staffAlert.missed.detail?");
        CatalogueText read = CatalogueText.read(stored, "schedules.");
        assertThat(read.in(EN)).contains("(15 min)", "2027/02/15 (Mon) 17:00");
        assertThat(read.in(JA)).contains("猶予時間（15分）", "令和9年2月15日（月） 17:00");
    }

    @Test
    void valuesWithSeparatorsAndNestedKeysSurviveStorage() {
        String stored = CatalogueText.of("schedules.refusal.send.notRetryable",
                "state", CatalogueText.text("page.sched.sendState.SENT")).stored();
        assertThat(CatalogueText.read(stored, "schedules.").in(EN)).contains("(this one: Sent)");
        String error = CatalogueText.of("schedules.staffAlert.failed.detail", "error", "a=b&c?d 100%").stored();
        assertThat(CatalogueText.read(error, "schedules.").in(EN)).endsWith(": a=b&c?d 100%");
    }

    @Test
    void aSentenceStoredBeforeKeysIsShownAsWritten() {
        assertThat(CatalogueText.read("送り直し（失敗後）", "schedules.").in(EN)).isEqualTo("送り直し（失敗後）");
        assertThat(CatalogueText.read(null, "schedules.").in(EN)).isEmpty();
    }

    @Test
    void aRefusalIsJapaneseForLogsAndInTheReadersLanguageOnAPage() {
        assertThatThrownBy(() -> {
            throw Refusal.state("schedules.refusal.notice.notDraft");
        }).isInstanceOf(IllegalStateException.class).hasMessage("下書きのお知らせだけを予約できます")
                .satisfies(e -> assertThat(Refusal.message(e, EN)).isEqualTo("Only a draft notice can be scheduled."));
        IllegalArgumentException input = Refusal.input("schedules.refusal.notice.unknownVariables", "names", "{x}");
        assertThat(Refusal.message(input, EN)).isEqualTo("These fields cannot be filled in: {x}");
        assertThat(Refusal.message(new IllegalStateException("plain"), EN)).isEqualTo("plain");
    }
}
