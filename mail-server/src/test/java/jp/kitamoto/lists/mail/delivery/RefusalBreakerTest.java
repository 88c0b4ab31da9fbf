package jp.kitamoto.lists.mail.delivery;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalBreakerTest {
    private static final String RELAY = "554 5.7.1 <taro@example.jp>: Relay access denied";
    private static final String[] DOMAINS = {"docomo.ne.jp", "ezweb.ne.jp", "gmail.com", "yahoo.co.jp"};
    final RefusalBreaker breaker = new RefusalBreaker();
    long now = 1_750_000_000_000L;

    private RefusalBreaker.Change refuse(int n, int domains) {
        for (int i = 0; i < n; i++) {
            breaker.refused(now, "m" + i + "@" + DOMAINS[i % domains], RELAY);
        }
        return breaker.decide(now);
    }

    @Test
    void tenRefusalsToThreeDomainsOutnumberingTheAcceptedOpenIt() {
        assertThat(refuse(9, 3)).isEqualTo(RefusalBreaker.Change.NONE);
        assertThat(breaker.isOpen()).isFalse();
        assertThat(refuse(1, 3)).isEqualTo(RefusalBreaker.Change.OPENED);
        assertThat(breaker.isOpen()).isTrue();
        BreakerListener.Trip trip = breaker.lastTrip();
        assertThat(trip.refused()).isEqualTo(10);
        assertThat(trip.domains()).isEqualTo(3);
        assertThat(trip.reply()).isEqualTo("554 5.7.1 <…>: Relay access denied").doesNotContain("taro");
        assertThat(refuse(5, 3)).as("opens once").isEqualTo(RefusalBreaker.Change.NONE);
    }

    @Test
    void oneDomainRefusingUsDoesNotOpenIt() {
        assertThat(refuse(100, 2)).isEqualTo(RefusalBreaker.Change.NONE);
        assertThat(breaker.isOpen()).isFalse();
    }

    @Test
    void aLargeListWithManyDeadAddressesDoesNotOpenIt() {
        breaker.accepted(now, 500);
        assertThat(refuse(400, 4)).isEqualTo(RefusalBreaker.Change.NONE);
        assertThat(breaker.isOpen()).isFalse();
    }

    @Test
    void refusalsFartherApartThanTheWindowDoNotAddUp() {
        refuse(6, 3);
        now += RefusalBreaker.WINDOW_MILLIS + 1;
        assertThat(refuse(6, 3)).isEqualTo(RefusalBreaker.Change.NONE);
        now += RefusalBreaker.WINDOW_MILLIS / 2;
        assertThat(refuse(4, 3)).as("6 + 4 within the window").isEqualTo(RefusalBreaker.Change.OPENED);
    }

    @Test
    void staysOpenWhileIdleAndClosesWhenTheSmarthostAcceptsAsManyAsItRefuses() {
        long refusedAt = now;
        refuse(12, 4);
        assertThat(breaker.isOpen()).isTrue();
        now += 3_600_000L; // an idle hour: the window is empty, but nothing showed the smarthost is fixed
        assertThat(breaker.decide(now)).isEqualTo(RefusalBreaker.Change.NONE);
        assertThat(breaker.isOpen()).isTrue();
        refuse(4, 4);
        breaker.accepted(now, 3);
        assertThat(breaker.decide(now)).isEqualTo(RefusalBreaker.Change.NONE);
        breaker.accepted(now, 1);
        assertThat(breaker.decide(now)).isEqualTo(RefusalBreaker.Change.CLOSED);
        assertThat(breaker.isOpen()).isFalse();
        assertThat(breaker.openAtOrAfter(refusedAt - 1)).as("it was open since then").isTrue();
        assertThat(breaker.openAtOrAfter(now + 1)).isFalse();
    }

    @Test
    void neverOpenMeansNoRefusalIsHeldBack() {
        refuse(5, 3);
        assertThat(breaker.openAtOrAfter(now - 1)).isFalse();
    }

    @Test
    void addressesAreMaskedInReplies() {
        assertThat(RefusalBreaker.withoutAddresses("550 Unknown user taro@docomo.ne.jp"))
                .isEqualTo("550 Unknown user <…>");
        assertThat(RefusalBreaker.withoutAddresses("550 5.1.1 <hanako@example.jp>... User unknown"))
                .isEqualTo("550 5.1.1 <…>... User unknown");
        assertThat(RefusalBreaker.withoutAddresses("554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked"))
                .isEqualTo("554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked");
    }
}
