package jp.kitamoto.lists.web.archive;

import io.javalin.config.RoutesConfig;
import jp.kitamoto.lists.web.WebModule;
import jp.kitamoto.lists.web.WebSupport;

public final class ArchiveRoutes implements WebModule {
    public ArchiveRoutes(Object... ignored) {
    }

    @Override
    public void register(RoutesConfig r, WebSupport web) {
    }
}
