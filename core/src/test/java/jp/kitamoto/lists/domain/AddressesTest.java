package jp.kitamoto.lists.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The addresses members type and send from: what is accepted, what is refused, and how typing is forgiven. */
class AddressesTest {
    @Test
    void fullWidthTypingIsTurnedIntoTheAsciiAddress() {
        assertThat(Addresses.normalise(" ｔａｒｏ．ｙａｍａｄａ＠ｄｏｃｏｍｏ．ｎｅ．ｊｐ　")).isEqualTo("taro.yamada@docomo.ne.jp");
        assertThat(Addresses.normalise("hanako＿01＠ezweb.ne.jp")).isEqualTo("hanako_01@ezweb.ne.jp");
        assertThat(Addresses.isPlausible(Addresses.normalise("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ"))).isTrue();
    }

    @Test
    void carrierAddressesThatBreakRfc5322AreStillAccepted() {
        assertThat(Addresses.isPlausible("taro..yamada.@docomo.ne.jp")).isTrue();
        assertThat(Addresses.isPlausible(".hanako@ezweb.ne.jp")).isTrue();
    }

    @Test
    void addressesDeliveryCannotWriteAreRefused() {
        // Not ASCII: without SMTPUTF8 every copy would fail with 553 5.6.7.
        assertThat(Addresses.isPlausible("たろう@example.jp")).isFalse();
        assertThat(Addresses.isPlausible(Addresses.normalise("たろう＠example.jp"))).isFalse();
        assertThat(Addresses.isPlausible("taro@例え.jp")).isFalse();
        assertThat(Addresses.isPlausible("taro yamada@example.jp")).isFalse();
        assertThat(Addresses.isPlausible("taro@example")).isFalse();
        assertThat(Addresses.isPlausible("taro@")).isFalse();
        assertThat(Addresses.isPlausible("<taro>@example.jp")).isFalse();
        assertThat(Addresses.isPlausible("taro\u007f@example.jp")).isFalse();
    }

    @Test
    void theBareAddressIsFoundInAHeaderValue() {
        assertThat(Addresses.extract("\"山田 太郎\" <taro..yamada.@docomo.ne.jp>")).contains("taro..yamada.@docomo.ne.jp");
        assertThat(Addresses.extract("hanako@example.jp (花子)")).contains("hanako@example.jp");
        assertThat(Addresses.extract("山田 <たろう@example.jp>")).isEmpty();
    }
}
