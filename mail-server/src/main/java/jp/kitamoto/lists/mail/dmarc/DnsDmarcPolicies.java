package jp.kitamoto.lists.mail.dmarc;

import com.google.common.net.InternetDomainName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DMARC policy discovery (RFC 7489 section 6.6.3) over DNS with dnsjava: the TXT record at {@code _dmarc.<domain>};
 * if there is none, the one at {@code _dmarc.<organisational domain>} (the domain one level below its public
 * suffix, from the public suffix list compiled into Guava), whose {@code sp=} applies to subdomains. CNAMEs are
 * followed by dnsjava.
 *
 * <p>This runs inside the SMTP transaction of a post (the pipeline runs before the 250), so answers are cached:
 * one post per domain per {@link #ttl} asks the DNS, and a resolver that does not answer costs at most its timeout.
 * A failure is cached for a shorter time and counts as a strict policy ({@link DmarcPolicy#UNKNOWN}).
 */
public final class DnsDmarcPolicies implements DmarcPolicies {
    private static final Logger log = LoggerFactory.getLogger(DnsDmarcPolicies.class);
    public static final Duration TTL = Duration.ofHours(1);
    public static final Duration FAILURE_TTL = Duration.ofMinutes(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final Resolver resolver;
    private final Clock clock;
    private final Duration ttl;
    private final Duration failureTtl;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(DmarcPolicy policy, long until) {
    }

    /** The answer for one name: a record's tags, none, or a failure. */
    private record Answer(Optional<Map<String, String>> tags, boolean failed) {
        static final Answer NONE = new Answer(Optional.empty(), false);
        static final Answer FAILED = new Answer(Optional.empty(), true);
    }

    public DnsDmarcPolicies(Resolver resolver, Clock clock, Duration ttl, Duration failureTtl) {
        this.resolver = resolver;
        this.clock = clock;
        this.ttl = ttl;
        this.failureTtl = failureTtl;
    }

    /** With the system's resolvers (/etc/resolv.conf). */
    public static DnsDmarcPolicies system(Clock clock) {
        ExtendedResolver resolver = new ExtendedResolver();
        resolver.setTimeout(TIMEOUT);
        return new DnsDmarcPolicies(resolver, clock, TTL, FAILURE_TTL);
    }

    @Override
    public DmarcPolicy policyFor(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        long now = clock.millis();
        Cached c = cache.get(d);
        if (c != null && c.until() > now) {
            return c.policy();
        }
        DmarcPolicy policy = lookUp(d);
        if (cache.size() > 10_000) {
            cache.clear(); // bounded without bookkeeping: a list server sees a few thousand author domains at most
        }
        cache.put(d, new Cached(policy, now + (policy == DmarcPolicy.UNKNOWN ? failureTtl : ttl).toMillis()));
        return policy;
    }

    private DmarcPolicy lookUp(String domain) {
        Answer own = query(domain);
        if (own.failed()) {
            return DmarcPolicy.UNKNOWN;
        }
        if (own.tags().isPresent()) {
            return policy(own.tags().get().get("p"));
        }
        Optional<String> org = organisationalDomain(domain);
        if (org.isEmpty() || org.get().equals(domain)) {
            return DmarcPolicy.NO_RECORD;
        }
        Answer parent = query(org.get());
        if (parent.failed()) {
            return DmarcPolicy.UNKNOWN;
        }
        // RFC 7489 6.6.3: for a subdomain, the organisational record's sp= if present, else its p=.
        return parent.tags().map(t -> policy(t.getOrDefault("sp", t.get("p")))).orElse(DmarcPolicy.NO_RECORD);
    }

    /** The registrable domain (docomo.ne.jp for mail.docomo.ne.jp: ne.jp is a public suffix), if it has one. */
    static Optional<String> organisationalDomain(String domain) {
        try {
            InternetDomainName name = InternetDomainName.from(domain);
            return name.isUnderPublicSuffix() ? Optional.of(name.topPrivateDomain().toString()) : Optional.empty();
        } catch (IllegalArgumentException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    private Answer query(String domain) {
        Lookup lookup;
        try {
            lookup = new Lookup(Name.fromString("_dmarc." + domain + "."), Type.TXT);
        } catch (TextParseException e) {
            return Answer.NONE; // not a domain name we can ask about; nothing to protect
        }
        lookup.setResolver(resolver);
        lookup.setCache(null); // our own cache above; dnsjava's default one is process-wide
        Record[] records = lookup.run();
        switch (lookup.getResult()) {
            case Lookup.SUCCESSFUL:
                break;
            case Lookup.HOST_NOT_FOUND:
            case Lookup.TYPE_NOT_FOUND:
                return Answer.NONE;
            default:
                log.info("DMARC: no answer for _dmarc.{} ({}); treating it as p=reject", domain, lookup.getErrorString());
                return Answer.FAILED;
        }
        List<Map<String, String>> dmarc = new ArrayList<>();
        for (Record r : records) {
            if (r instanceof TXTRecord txt) {
                String text = String.join("", txt.getStrings()); // one record may be split into several strings
                if (text.strip().startsWith("v=DMARC1")) {
                    dmarc.add(tags(text));
                }
            }
        }
        // RFC 7489 6.6.3 step 5: more than one DMARC record means none applies.
        return dmarc.size() == 1 ? new Answer(Optional.of(dmarc.get(0)), false) : Answer.NONE;
    }

    static Map<String, String> tags(String record) {
        Map<String, String> tags = new java.util.HashMap<>();
        for (String part : record.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                tags.put(part.substring(0, eq).strip().toLowerCase(Locale.ROOT), part.substring(eq + 1).strip());
            }
        }
        return tags;
    }

    private static DmarcPolicy policy(String p) {
        if (p == null) {
            return DmarcPolicy.NONE; // RFC 7489 6.6.3: a record without a valid p= is treated as p=none
        }
        return switch (p.toLowerCase(Locale.ROOT)) {
            case "reject" -> DmarcPolicy.REJECT;
            case "quarantine" -> DmarcPolicy.QUARANTINE;
            default -> DmarcPolicy.NONE;
        };
    }
}
