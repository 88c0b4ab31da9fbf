package jp.kitamoto.lists.mail.pipeline;

import jp.kitamoto.lists.mail.dmarc.DmarcPolicies;
import jp.kitamoto.lists.mail.dmarc.DnsDmarcPolicies;

import java.time.Clock;
import java.util.List;

/**
 * The ordered steps that turn an accepted post into the copy every subscriber shares. The order is here and only
 * here. What differs per recipient (the one-click unsubscribe URL, the VERP sender) is added at delivery time by
 * {@link PersonalHeaders}, so the shared copy is built once per post, not once per recipient.
 */
public final class Pipeline {
    private final List<PipelineStep> steps;

    public Pipeline(List<PipelineStep> steps) {
        this.steps = List.copyOf(steps);
    }

    /** The standard steps, with DMARC policies looked up in the system's DNS. */
    public static Pipeline standard() {
        return standard(DnsDmarcPolicies.system(Clock.systemUTC()));
    }

    public static Pipeline standard(DmarcPolicies dmarc) {
        return new Pipeline(List.of(
                new CleanHeadersStep(),
                new CharsetLabelStep(),
                // Before the prefix and the footer: the author's DKIM signature goes (CleanHeadersStep) and From
                // becomes the list's, and before the output conversion, which then leaves the encoded name alone.
                new FromRewriteStep(dmarc),
                new SubjectPrefixStep(),
                new ListHeadersStep(),
                new FooterStep(),
                new OutputCharsetStep(),
                new WireSafetyStep()));
    }

    /**
     * Runs every step and returns the decorated bytes, which {@link WireSafetyStep#lastResort} makes legal on the
     * wire whatever the steps could not reach (a copy a smarthost refuses reaches nobody).
     */
    public byte[] run(PostDraft draft) {
        for (PipelineStep step : steps) {
            step.apply(draft);
        }
        return WireSafetyStep.lastResort(draft.message().toBytes(), WireSafetyStep.hasSealedPart(draft.message()),
                draft.message().rawValue("Message-ID").orElse("(no Message-ID)"));
    }
}
