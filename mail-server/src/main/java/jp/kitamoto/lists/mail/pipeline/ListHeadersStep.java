package jp.kitamoto.lists.mail.pipeline;

import jp.kitamoto.lists.mime.HeaderField;
import jp.kitamoto.lists.mime.HeaderWords;
import jp.kitamoto.lists.mime.MimeEntity;

import java.nio.charset.StandardCharsets;

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
        String description = HeaderWords.encode(draft.list().displayName(), StandardCharsets.UTF_8);
        m.addHeader(HeaderField.of("List-Id", description + " <" + draft.listId() + ">"));
        m.addHeader(HeaderField.of("List-Post", "<mailto:" + draft.listAddress() + ">"));
        m.addHeader(HeaderField.of("List-Help", "<" + draft.listPage() + ">, <mailto:"
                + draft.addresses().request() + "?subject=help>"));
        m.addHeader(HeaderField.of("List-Subscribe", "<" + draft.listPage() + ">, <mailto:"
                + draft.addresses().join() + "?subject=subscribe>"));
        m.addHeader(HeaderField.of("List-Archive", "<" + draft.listPage() + "/archive>"));
        m.addHeader(HeaderField.of("List-Owner", "<mailto:" + draft.addresses().owner() + ">"));
        m.addHeader(HeaderField.of("Precedence", "list"));
        m.addHeader(HeaderField.of("X-Loop", draft.listAddress()));
        m.addHeader(HeaderField.of("X-ML-Name", draft.list().localPart()));
        m.addHeader(HeaderField.of("X-Mail-Count", Long.toString(draft.sequence())));
    }
}
