package jp.kitamoto.lists.service;

import jp.kitamoto.lists.domain.ArchiveVisibility;
import jp.kitamoto.lists.domain.FromRewrite;
import jp.kitamoto.lists.domain.ListKind;
import jp.kitamoto.lists.domain.ListOwner;
import jp.kitamoto.lists.domain.ListPolicy;
import jp.kitamoto.lists.domain.ListState;
import jp.kitamoto.lists.domain.MailingList;
import jp.kitamoto.lists.domain.OutputCharset;
import jp.kitamoto.lists.domain.OwnerRole;
import jp.kitamoto.lists.domain.PurposeCategory;
import jp.kitamoto.lists.domain.SignedFooter;
import jp.kitamoto.lists.seed.SeedLists;
import jp.kitamoto.lists.store.Database;
import jp.kitamoto.lists.store.IdHolder;
import jp.kitamoto.lists.store.ListMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lists and their owners. Keeps an in-memory directory of local parts so that the SMTP intake answers RCPT without
 * a database round trip; every change made through this service refreshes it.
 */
public final class ListService {
    private static final Logger log = LoggerFactory.getLogger(ListService.class);

    private final Database db;
    private final Clock clock;
    private volatile Map<String, MailingList> byLocalPart = Map.of();

    public ListService(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        refresh();
    }

    /** Re-reads the directory (after a change made elsewhere, e.g. by another node or a migration). */
    public void refresh() {
        Map<String, MailingList> map = new ConcurrentHashMap<>();
        for (MailingList l : db.read(s -> s.getMapper(ListMapper.class).findAll())) {
            map.put(l.localPart(), l);
        }
        byLocalPart = map;
    }

    /** The list with this local part (ASCII, case-insensitive), open or closed. */
    public Optional<MailingList> byLocalPart(String localPart) {
        return Optional.ofNullable(byLocalPart.get(localPart.toLowerCase(java.util.Locale.ROOT)));
    }

    public Optional<MailingList> byId(long id) {
        return db.read(s -> s.getMapper(ListMapper.class).findById(id));
    }

    public List<MailingList> all() {
        return db.read(s -> s.getMapper(ListMapper.class).findAll());
    }

    public List<ListOwner> owners(long listId) {
        return db.read(s -> s.getMapper(ListMapper.class).findOwners(listId));
    }

    /** Creates a list with the defaults of its kind. */
    public MailingList create(String localPart, String displayName, String description, PurposeCategory category,
                              ListKind kind, ListPolicy policy, ArchiveVisibility archive, String subjectTag,
                              String footer, List<String> owners) {
        long now = clock.millis();
        MailingList draft = new MailingList(0, localPart.toLowerCase(java.util.Locale.ROOT), displayName, description,
                category, kind, policy, archive, subjectTag, footer, OutputCharset.KEEP, SignedFooter.OMIT, FromRewrite.ALWAYS, 0, 1,
                ListState.OPEN, now, now);
        long id = db.inTransaction(s -> {
            ListMapper mapper = s.getMapper(ListMapper.class);
            IdHolder key = new IdHolder();
            mapper.insertList(draft, key);
            for (String owner : owners) {
                mapper.insertOwner(key.getId(), owner, OwnerRole.OWNER.name());
            }
            return key.getId();
        });
        refresh();
        return byId(id).orElseThrow();
    }

    /** Creates the seed lists if the database has none yet (first start). Returns how many were created. */
    public int seedIfEmpty(SeedLists seed) {
        if (!all().isEmpty()) {
            return 0;
        }
        for (SeedLists.SeedList l : seed.lists()) {
            create(l.localPart(), l.displayName(), l.description(), l.category(), l.kind(), l.policy(), l.archive(),
                    l.subjectTag(), l.footer(), l.owners());
        }
        log.info("created {} seed lists", seed.lists().size());
        return seed.lists().size();
    }

    public void update(MailingList changed) {
        db.inTransaction(s -> {
            s.getMapper(ListMapper.class).updateSettings(changed, clock.millis());
            return null;
        });
        refresh();
    }
}
