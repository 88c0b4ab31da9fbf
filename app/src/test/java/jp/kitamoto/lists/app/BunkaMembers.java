package jp.kitamoto.lists.app;

import jp.kitamoto.lists.config.Settings;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.SubscriptionState;
import jp.kitamoto.lists.seed.SeedLists;
import jp.kitamoto.lists.service.ListService;
import jp.kitamoto.lists.service.MembershipService;
import jp.kitamoto.lists.store.Database;

import java.time.Clock;

/** For tests that start the server as a process: the seed lists and {@code member0…} on bunka, written beforehand. */
final class BunkaMembers {
    private BunkaMembers() {
    }

    /** Seeds the lists and subscribes {@code member0@example.jp} … {@code member<count-1>@example.jp} to bunka. */
    static void subscribe(Settings settings, int count) {
        try (Database db = Database.open(settings)) {
            ListService lists = new ListService(db, Clock.systemUTC());
            lists.seedIfEmpty(SeedLists.load());
            MailingList bunka = lists.byLocalPart("bunka").orElseThrow();
            MembershipService members = new MembershipService(db, Clock.systemUTC());
            db.inTransaction(s -> {
                for (int i = 0; i < count; i++) {
                    members.subscribe(s, bunka.id(), "member" + i + "@example.jp", "", SubscriptionState.ACTIVE);
                }
                return null;
            });
        }
    }
}
