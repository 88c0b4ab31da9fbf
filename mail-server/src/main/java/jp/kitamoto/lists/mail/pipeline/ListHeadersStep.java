package jp.kitamoto.lists.mail.pipeline;

import jp.kitamoto.lists.mime.HeaderField;
import jp.kitamoto.lists.mime.HeaderWords;
import jp.kitamoto.lists.mime.MimeEntity;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The list's own header fields, shared by every copy: RFC 2919 List-Id (with the Japanese description
 * RFC 2047-encoded), the RFC 2369 fields but List-Unsubscribe (personal, see {@link PersonalHeaders}),
 * Precedence: list, X-Loop for loop detection, and fml's X-ML-Name / X-Mail-Count, which Japanese members' mail
 * filters have matched on for decades.
 */
public final class ListHeadersStep implements PipelineStep {
    @Override
    public void apply(PostDraft draft) {
        MimeEntity m = draft.message();
        for (HeaderField f : listFields(draft)) {
            m.addHeader(f);
        }
        m.addHeader(HeaderField.of("X-Mail-Count", Long.toString(draft.sequence())));
    }

    /**
     * The fields every message of the list carries, posts and digests alike (a digest has no number, so no
     * X-Mail-Count); {@code draft.message()} is not read.
     */
    public static List<HeaderField> listFields(PostDraft draft) {
        String description = HeaderWords.encode(draft.list().displayName(), StandardCharsets.UTF_8);
        return List.of(
                HeaderField.of("List-Id", description + " <" + draft.listId() + ">"),
                HeaderField.of("List-Post", "<mailto:" + draft.listAddress() + ">"),
                HeaderField.of("List-Help", "<" + draft.listPage() + ">, <mailto:"
                        + draft.addresses().request() + "?subject=help>"),
                HeaderField.of("List-Subscribe", "<" + draft.listPage() + ">, <mailto:"
                        + draft.addresses().join() + "?subject=subscribe>"),
                HeaderField.of("List-Archive", "<" + draft.listPage() + "/archive>"),
                HeaderField.of("List-Owner", "<mailto:" + draft.addresses().owner() + ">"),
                HeaderField.of("Precedence", "list"),
                HeaderField.of("X-Loop", draft.listAddress()),
                HeaderField.of("X-ML-Name", draft.list().localPart()));
    }
}
