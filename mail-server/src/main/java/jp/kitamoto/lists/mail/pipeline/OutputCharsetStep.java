package jp.kitamoto.lists.mail.pipeline;

import jp.kitamoto.lists.mime.OutputConversion;

/**
 * Writes the copy in the list's output charset (keep, UTF-8 or ISO-2022-JP); see {@link OutputConversion} for
 * what is converted and what never is. It runs last, so that the prefix and the footer are converted with the
 * author's text.
 */
public final class OutputCharsetStep implements PipelineStep {
    @Override
    public void apply(PostDraft draft) {
        OutputConversion.convert(draft.message(), draft.list().outputCharset());
    }
}
