package jp.kitamoto.lists.web.publicpages;

import io.javalin.config.RoutesConfig;
import jp.kitamoto.lists.web.http.ReaderLanguage;
import jp.kitamoto.lists.web.support.WebModule;
import jp.kitamoto.lists.web.support.WebSupport;

/**
 * The language switch on every page (日本語 / English): a plain link, so it works without script and by keyboard.
 * It only sets a preference cookie and goes back to the page it came from, so a GET is fine here (it changes no
 * data, and following it twice does the same).
 */
public final class LanguageRoutes implements WebModule {
    private final boolean https;

    public LanguageRoutes(boolean https) {
        this.https = https;
    }

    @Override
    public void register(RoutesConfig r, WebSupport web) {
        r.get(ReaderLanguage.PATH, ctx -> {
            ReaderLanguage.offered(ctx.queryParam("to")).ifPresent(l -> ReaderLanguage.remember(ctx, l, https));
            ctx.redirect(ReaderLanguage.safeBack(ctx.queryParam("back")));
        });
    }
}
