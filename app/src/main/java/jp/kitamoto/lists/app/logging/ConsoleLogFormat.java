package jp.kitamoto.lists.app.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import jp.kitamoto.lists.config.Settings;
import org.slf4j.LoggerFactory;

import java.util.Iterator;

/**
 * {@code logging.format}: switches the console log to one JSON object per line for log shippers. The encoder is
 * logback's own {@link JsonEncoder} (logback 1.3.8 and later, so no new dependency): its field names are documented
 * by logback and known to the shippers' parsers, and it escapes what our messages carry from clients (addresses,
 * Message-IDs, Japanese text) correctly.
 *
 * <p>Applied when the settings have been read, not in logback.xml: the setting lives in config/ and the environment
 * like every other, and logback has configured itself before any of them is read. Only the console appenders of the
 * root logger change, so an operator's own logback configuration (a file appender, say) is left as it is.
 */
public final class ConsoleLogFormat {
    private ConsoleLogFormat() {
    }

    /** Applies {@code logging.format}; returns the number of console appenders switched to JSON. */
    public static int apply(Settings.Logging logging) {
        if (!logging.json() || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return 0;
        }
        int switched = 0;
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof ConsoleAppender<ILoggingEvent> console) {
                JsonEncoder json = json(context);
                // Stopped while the encoder changes hands, as logback's own reconfiguration does; a line logged by
                // another thread in that moment is dropped by the stopped appender (start-up logs from one thread).
                console.stop();
                console.setEncoder(json);
                console.start();
                switched++;
            }
        }
        return switched;
    }

    /**
     * One object per line with timestamp, level, threadName, loggerName, mdc, formattedMessage and throwable. Left
     * out: the message pattern and its arguments (the formatted message says it once), sequence numbers,
     * nanoseconds, and the logger context (the same on every line).
     */
    static JsonEncoder json(LoggerContext context) {
        JsonEncoder json = new JsonEncoder();
        json.setContext(context);
        json.setWithSequenceNumber(false);
        json.setWithNanoseconds(false);
        json.setWithContext(false);
        json.setWithMessage(false);
        json.setWithArguments(false);
        json.setWithFormattedMessage(true);
        json.start();
        return json;
    }
}
