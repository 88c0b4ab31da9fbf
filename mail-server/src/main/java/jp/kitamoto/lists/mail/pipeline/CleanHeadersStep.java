package jp.kitamoto.lists.mail.pipeline;

import java.util.List;

/**
 * Removes header fields that must not reach every subscriber: another list's List-* fields (ours replace them),
 * return-path and delivery traces of the inbound hop, and read-receipt requests (Mailman strips these too: one
 * post would otherwise make every subscriber's mail program ask to notify the author), and the author's DKIM
 * signatures, which the list's changes (prefix, footer) break: a broken signature helps no receiver, and our own
 * signature covers the copy.
 */
public final class CleanHeadersStep implements PipelineStep {
    private static final List<String> REMOVED = List.of(
            "Return-Path", "Delivered-To", "X-Original-To",
            "List-Id", "List-Post", "List-Help", "List-Subscribe", "List-Unsubscribe", "List-Unsubscribe-Post",
            "List-Archive", "List-Owner", "Precedence", "X-ML-Name", "X-Mail-Count", "X-Sequence",
            "Disposition-Notification-To", "Return-Receipt-To", "X-Confirm-Reading-To",
            "DKIM-Signature", "DomainKey-Signature");

    @Override
    public void apply(PostDraft draft) {
        REMOVED.forEach(draft.message()::removeHeaders);
    }
}
