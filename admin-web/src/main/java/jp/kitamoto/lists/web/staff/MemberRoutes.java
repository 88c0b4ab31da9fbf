package jp.kitamoto.lists.web.staff;

import io.javalin.config.RoutesConfig;
import jp.kitamoto.lists.web.WebModule;
import jp.kitamoto.lists.web.WebSupport;

public final class MemberRoutes implements WebModule {
    public MemberRoutes(Object... ignored) {
    }

    @Override
    public void register(RoutesConfig r, WebSupport web) {
    }
}
