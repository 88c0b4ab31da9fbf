package jp.kitamoto.lists.mail.posting;

import java.util.List;

/** What became of a stored message, one line per recipient list, for the 250 reply and the log. */
public record Receipt(String messageId, List<String> outcomes) {
    public String summary() {
        return String.join("; ", outcomes);
    }
}
