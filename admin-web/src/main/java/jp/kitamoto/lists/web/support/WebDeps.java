package jp.kitamoto.lists.web.support;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.service.Distributor;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.service.Moderation;
import jp.kitamoto.lists.store.Database;

import java.time.Clock;
import java.util.Objects;

/**
 * Everything admin-web needs from the rest of the server, given to {@code AdminWeb.start}. It lives here, beside
 * {@link WebSupport}, so that modules adding pages can read it without depending on {@code AdminWeb} itself.
 */
public record WebDeps(Settings settings, Database database, Clock clock, ListService lists,
                      MembershipService memberships, Distributor distributor, Moderation moderation) {
    public WebDeps {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(lists, "lists");
        Objects.requireNonNull(memberships, "memberships");
        Objects.requireNonNull(distributor, "distributor");
        Objects.requireNonNull(moderation, "moderation");
    }
}
