package jp.kitamoto.lists.app.monitoring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jp.kitamoto.lists.mail.intake.SmtpReplyCounter;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The intake's replies as the Prometheus counter {@code kitamoto_smtp_replies_total{code,enhanced}}: an operator sees
 * refusals rising ({@code rate(kitamoto_smtp_replies_total{code=~"5.."}[5m])}) and which refusal it is by its
 * enhanced status ({@code 5.1.1} unknown list, {@code 4.7.1} over the rate, ...). The intake checks both labels
 * against SMTP's grammar, so there are only as many series as replies the server can give.
 */
final class SmtpReplyMeter implements SmtpReplyCounter {
    private final MeterRegistry registry;
    /** Called on the SMTP I/O threads for every reply: a map lookup, not Micrometer's builder and registry lookup. */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    SmtpReplyMeter(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void count(String code, String enhancedStatus) {
        counters.computeIfAbsent(code + " " + enhancedStatus, k -> Counter.builder("kitamoto.smtp.replies")
                .description("replies the SMTP intake gave, by reply code and enhanced status code")
                .tags("code", code, "enhanced", enhancedStatus)
                .register(registry)).increment();
    }
}
