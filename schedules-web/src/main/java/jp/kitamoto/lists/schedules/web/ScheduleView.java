package jp.kitamoto.lists.schedules.web;

import gg.jte.Content;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import io.javalin.http.Context;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.web.support.Page;
import jp.kitamoto.lists.web.support.WebSupport;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders a page of this module inside admin-web's layout. jte resolves {@code @template.layout(...)} from template
 * <em>sources</em> at compile time, and admin-web's {@code layout.jte} is not in this module. So this module's
 * templates ({@code src/main/jte/schedules/}) render only the page body, and {@link #show} wraps that body, as a
 * {@link Content}, in admin-web's precompiled {@code layout.jte} through {@link WebSupport#render}. Both sets of
 * classes live in {@code gg.jte.generated.precompiled}, in different folders.
 */
final class ScheduleView {
    private final WebSupport web;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);

    ScheduleView(WebSupport web) {
        this.web = web;
    }

    void show(Context ctx, String title, String template, Map<String, Object> params) {
        Page page = web.page(ctx, title);
        Map<String, Object> p = new HashMap<>(params);
        p.put("page", page);
        Content body = out -> templates.render(template, p, out);
        web.render(ctx, "layout.jte", Map.of("page", page, "content", body));
    }

    /** A page text in the reader's language (catalogue key {@code page.…}, name/value pairs for its placeholders). */
    String t(Context ctx, String key, Object... namesAndValues) {
        return web.texts(ctx).format(key, namesAndValues);
    }

    /** The lists of these ids that still exist, for showing a notice's or call's targets. */
    List<MailingList> lists(List<Long> ids) {
        return ids.stream().map(id -> web.deps().lists().byId(id)).flatMap(Optional::stream).toList();
    }
}
