package jp.kitamoto.lists.web.csv;

import jp.kitamoto.lists.domain.Addresses;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.mime.Charsets;
import jp.kitamoto.lists.web.members.MemberAdmin;
import jp.kitamoto.lists.web.store.RosterMapper.RosterRow;
import jp.kitamoto.lists.web.support.Labels;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The members of a list as a CSV file for Excel. */
public final class MemberExport {
    private static final int BATCH = 1000;
    private final MemberAdmin members;

    public MemberExport(MemberAdmin members) {
        this.members = members;
    }

    /**
     * UTF-8 with a BOM by default (Excel then opens it correctly and nothing is lost); Windows-31J on request, where
     * a character it cannot hold (emoji, 𠮷) becomes "?".
     */
    public byte[] export(MailingList list, boolean windows31j) {
        Charset cs = windows31j ? Charsets.WINDOWS_31J : StandardCharsets.UTF_8;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!windows31j) {
                bytes.write(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
            }
            Writer w = new OutputStreamWriter(bytes, cs.newEncoder().onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .onMalformedInput(CodingErrorAction.REPLACE));
            try (CSVPrinter csv = new CSVPrinter(w, CSVFormat.RFC4180)) {
                csv.printRecord("メールアドレス", "氏名", "状態");
                String after = "";
                while (true) {
                    List<RosterRow> rows = members.rowsAfter(list.id(), after, BATCH);
                    for (RosterRow row : rows) {
                        csv.printRecord(row.address(), row.displayName(), Labels.state(row.state()));
                    }
                    if (rows.size() < BATCH) {
                        break;
                    }
                    after = Addresses.key(rows.get(rows.size() - 1).address());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
