package jp.kitamoto.lists.web.staff;

import io.javalin.config.RoutesConfig;
import jp.kitamoto.lists.web.dashboard.BarChart;
import jp.kitamoto.lists.web.dashboard.DeliveryActivity;
import jp.kitamoto.lists.web.support.WebModule;
import jp.kitamoto.lists.web.support.WebSupport;

import java.util.List;
import java.util.Map;

/**
 * {@code /staff/dashboard}: copies sent per hour over the last day and the copies pending now (issue #10), for every
 * signed-in staff member. Only totals of the whole server: no list, subject or address appears.
 */
public final class DashboardRoutes implements WebModule {
    private final DeliveryActivity activity;

    public DashboardRoutes(DeliveryActivity activity) {
        this.activity = activity;
    }

    @Override
    public List<MenuLink> menu() {
        return List.of(new MenuLink("page.layout.dashboard", "/staff/dashboard"));
    }

    @Override
    public void register(RoutesConfig r, WebSupport web) {
        r.get("/staff/dashboard", ctx -> {
            web.requireStaff(ctx);
            DeliveryActivity.Figures figures = activity.lastDay();
            web.render(ctx, "staff/dashboard.jte", Map.of(
                    "page", web.page(ctx, web.texts(ctx).get("page.layout.dashboard")),
                    "figures", figures, "chart", BarChart.of(figures)));
        });
    }
}
