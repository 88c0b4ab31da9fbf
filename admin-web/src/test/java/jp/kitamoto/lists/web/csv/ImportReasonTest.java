package jp.kitamoto.lists.web.csv;

import jp.kitamoto.lists.text.Texts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A row's reason survives the database as a key and values, and reads in either language. */
class ImportReasonTest {
    private static final Texts JA = Texts.japanese();
    private static final Texts EN = Texts.of(Texts.ENGLISH);

    @Test
    void aReasonWithValuesIsStoredAndReadBackWhateverTheValueHolds() {
        ImportReason rename = ImportReason.of("rename", "from", "北本 花子 & 太郎=?%\t");
        ImportReason read = ImportReason.read(rename.stored());
        assertThat(read).isEqualTo(rename);
        assertThat(read.text(JA)).isEqualTo("氏名を「北本 花子 & 太郎=?%\t」から変更します");
        assertThat(read.text(EN)).isEqualTo("The name changes from \"北本 花子 & 太郎=?%\t\"");
        ImportReason duplicate = ImportReason.read(ImportReason.of("duplicate", "line", 2L).stored());
        assertThat(duplicate.text(JA)).isEqualTo("2 行目と同じアドレスです");
        assertThat(duplicate.text(EN)).isEqualTo("Same address as line 2");
    }

    @Test
    void aReasonWithoutValuesAndAnOlderPlansSentenceReadAsBefore() {
        assertThat(ImportReason.read(ImportReason.of("add").stored()).text(EN)).isEqualTo("Will be subscribed");
        assertThat(ImportReason.read(ImportReason.of("add").stored()).text(JA)).isEqualTo("新しく登録します");
        // A plan stored before reasons were keys (plans live an hour) still shows its sentence.
        assertThat(ImportReason.read("登録済み").text(EN)).isEqualTo("登録済み");
    }
}
