package jp.kitamoto.lists.text;

/**
 * A refusal a service gives people (a form's value out of range, an action the state does not allow) as a
 * {@link CatalogueText}, so that the page that shows it renders it in the reader's language: services know no
 * request, and the same refusal may reach an English page, a Japanese one or the command line. The exception's own
 * message is the Japanese text (logs, and callers with no reader). The two kinds keep the exception types callers
 * already catch: {@link BadInput} is an {@link IllegalArgumentException}, {@link WrongState} an
 * {@link IllegalStateException}.
 *
 * <pre>
 * throw Refusal.state("schedules.refusal.notice.notDraft");
 * ...
 * catch (IllegalStateException e) { flash(Refusal.message(e, web.texts(ctx))); }
 * </pre>
 */
public interface Refusal {
    CatalogueText text();

    /** The refusal's words in this catalogue. */
    default String in(Texts t) {
        return text().in(t);
    }

    /** Bad input: {@code key} with its values as name/value pairs. */
    static BadInput input(String key, Object... namesAndValues) {
        return new BadInput(CatalogueText.of(key, namesAndValues));
    }

    /** An action the current state does not allow. */
    static WrongState state(String key, Object... namesAndValues) {
        return new WrongState(CatalogueText.of(key, namesAndValues));
    }

    /** The message of any exception for this reader: a refusal in their language, anything else as it was written. */
    static String message(Throwable e, Texts reader) {
        return e instanceof Refusal r ? r.in(reader) : e.getMessage();
    }

    final class BadInput extends IllegalArgumentException implements Refusal {
        private final transient CatalogueText text;

        BadInput(CatalogueText text) {
            super(text.in(Texts.japanese()));
            this.text = text;
        }

        @Override
        public CatalogueText text() {
            return text;
        }
    }

    final class WrongState extends IllegalStateException implements Refusal {
        private final transient CatalogueText text;

        WrongState(CatalogueText text) {
            super(text.in(Texts.japanese()));
            this.text = text;
        }

        @Override
        public CatalogueText text() {
            return text;
        }
    }
}
