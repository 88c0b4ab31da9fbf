package jp.kitamoto.lists.mail.dmarc;

import jp.kitamoto.lists.testing.MovableClock;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TXTRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import static org.assertj.core.api.Assertions.assertThat;

/** DMARC discovery against a fake resolver that answers like a recursive resolver would. */
class DnsDmarcPoliciesTest {
    private final MovableClock clock = new MovableClock();
    private final FakeResolver dns = new FakeResolver();
    private final DnsDmarcPolicies policies = new DnsDmarcPolicies(dns, clock, Duration.ofHours(1), Duration.ofMinutes(5));

    @Test
    void aDomainsOwnRecordDecides() {
        dns.txt("_dmarc.gmail.example", "v=DMARC1; p=none; rua=mailto:x@gmail.example");
        dns.txt("_dmarc.yahoo.example", "v=DMARC1; p=reject; pct=100");
        dns.txt("_dmarc.quarantine.example", "v=DMARC1;p=quarantine");
        assertThat(policies.policyFor("gmail.example")).isEqualTo(DmarcPolicy.NONE);
        assertThat(policies.policyFor("YAHOO.example")).isEqualTo(DmarcPolicy.REJECT);
        assertThat(policies.policyFor("quarantine.example")).isEqualTo(DmarcPolicy.QUARANTINE);
        assertThat(DmarcPolicy.NONE.needsFromRewrite()).isFalse();
        assertThat(DmarcPolicy.REJECT.needsFromRewrite()).isTrue();
    }

    @Test
    void noRecordAnywhereIsNoRecord() {
        assertThat(policies.policyFor("plain.example.jp")).isEqualTo(DmarcPolicy.NO_RECORD);
        assertThat(DmarcPolicy.NO_RECORD.needsFromRewrite()).isFalse();
        // example.jp is the organisational domain (.jp is the public suffix); it has no record either.
        assertThat(dns.asked).containsExactly("_dmarc.plain.example.jp.", "_dmarc.example.jp.");
        // An organisational domain is asked once, not twice.
        assertThat(policies.policyFor("npo.or.jp")).isEqualTo(DmarcPolicy.NO_RECORD);
        assertThat(dns.asked).hasSize(3);
    }

    @Test
    void aSubdomainFallsBackToItsOrganisationalDomainAndItsSubdomainPolicy() {
        dns.txt("_dmarc.city.co.jp", "v=DMARC1; p=reject; sp=quarantine");
        dns.txt("_dmarc.town.co.jp", "v=DMARC1; p=reject");
        assertThat(policies.policyFor("mail.city.co.jp")).isEqualTo(DmarcPolicy.QUARANTINE);
        assertThat(policies.policyFor("a.b.town.co.jp")).isEqualTo(DmarcPolicy.REJECT);
        assertThat(dns.asked).containsExactly("_dmarc.mail.city.co.jp.", "_dmarc.city.co.jp.",
                "_dmarc.a.b.town.co.jp.", "_dmarc.town.co.jp.");
        assertThat(DnsDmarcPolicies.organisationalDomain("docomo.ne.jp")).hasValue("docomo.ne.jp");
        assertThat(DnsDmarcPolicies.organisationalDomain("ezweb.ne.jp")).hasValue("ezweb.ne.jp");
        assertThat(DnsDmarcPolicies.organisationalDomain("x.softbank.ne.jp")).hasValue("softbank.ne.jp");
    }

    @Test
    void aCnameIsFollowed() {
        dns.cname("_dmarc.alias.example", "_dmarc.policy-host.example");
        dns.txt("_dmarc.policy-host.example", "v=DMARC1; p=reject");
        assertThat(policies.policyFor("alias.example")).isEqualTo(DmarcPolicy.REJECT);
    }

    @Test
    void aServerFailureCountsAsStrictAndIsAskedAgainSoon() {
        dns.servfail("_dmarc.down.example");
        assertThat(policies.policyFor("down.example")).isEqualTo(DmarcPolicy.UNKNOWN);
        assertThat(DmarcPolicy.UNKNOWN.needsFromRewrite()).isTrue();
        int asked = dns.asked.size();
        assertThat(policies.policyFor("down.example")).isEqualTo(DmarcPolicy.UNKNOWN);
        assertThat(dns.asked).as("cached").hasSize(asked);
        clock.advance(Duration.ofMinutes(6));
        dns.txt("_dmarc.down.example", "v=DMARC1; p=none");
        assertThat(policies.policyFor("down.example")).isEqualTo(DmarcPolicy.NONE);
    }

    @Test
    void answersAreCachedForTheirTtl() {
        dns.txt("_dmarc.cached.example", "v=DMARC1; p=reject");
        policies.policyFor("cached.example");
        policies.policyFor("cached.example");
        assertThat(dns.asked).hasSize(1);
        clock.advance(Duration.ofMinutes(61));
        policies.policyFor("cached.example");
        assertThat(dns.asked).hasSize(2);
    }

    @Test
    void twoDmarcRecordsMeanNoneAndOtherTxtRecordsAreIgnored() {
        dns.txt("_dmarc.twice.example", "v=DMARC1; p=reject", "v=DMARC1; p=none");
        dns.txt("_dmarc.spf.example", "v=spf1 -all");
        assertThat(policies.policyFor("twice.example")).isEqualTo(DmarcPolicy.NO_RECORD);
        assertThat(policies.policyFor("spf.example")).isEqualTo(DmarcPolicy.NO_RECORD);
    }

    /** Answers from a table; NXDOMAIN for names it does not know. */
    static final class FakeResolver implements Resolver {
        final List<String> asked = new ArrayList<>();
        private final Map<Name, List<Record>> answers = new HashMap<>();
        private final Map<Name, Integer> failures = new HashMap<>();

        private static Name name(String s) {
            try {
                return Name.fromString(s + ".");
            } catch (Exception e) {
                throw new IllegalArgumentException(e);
            }
        }

        void txt(String owner, String... values) {
            List<Record> records = new ArrayList<>();
            for (String v : values) {
                records.add(new TXTRecord(name(owner), DClass.IN, 300, v));
            }
            answers.put(name(owner), records);
            failures.remove(name(owner));
        }

        void cname(String owner, String target) {
            answers.put(name(owner), List.of(new CNAMERecord(name(owner), DClass.IN, 300, name(target))));
        }

        void servfail(String owner) {
            failures.put(name(owner), Rcode.SERVFAIL);
        }

        @Override
        public Message send(Message query) {
            Record question = query.getQuestion();
            asked.add(question.getName().toString());
            Message response = new Message(query.getHeader().getID());
            response.getHeader().setFlag(Flags.QR);
            response.getHeader().setFlag(Flags.RA);
            response.addRecord(question, Section.QUESTION);
            Integer failure = failures.get(question.getName());
            if (failure != null) {
                response.getHeader().setRcode(failure);
                return response;
            }
            List<Record> records = answers.get(question.getName());
            if (records == null) {
                response.getHeader().setRcode(Rcode.NXDOMAIN);
                return response;
            }
            for (Record r : records) {
                response.addRecord(r, Section.ANSWER);
                if (r instanceof CNAMERecord c && answers.containsKey(c.getTarget())) {
                    answers.get(c.getTarget()).forEach(t -> response.addRecord(t, Section.ANSWER));
                }
            }
            return response;
        }

        @Override
        public CompletionStage<Message> sendAsync(Message query) {
            return CompletableFuture.completedFuture(send(query));
        }

        @Override
        public CompletionStage<Message> sendAsync(Message query, Executor executor) {
            return sendAsync(query);
        }

        @Override
        public void setPort(int port) {
        }

        @Override
        public void setTCP(boolean flag) {
        }

        @Override
        public void setIgnoreTruncation(boolean flag) {
        }

        @Override
        public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {
        }

        @Override
        public void setTSIGKey(TSIG key) {
        }

        @Override
        public void setTimeout(Duration timeout) {
        }
    }
}
