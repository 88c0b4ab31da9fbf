package jp.kitamoto.lists.mail.intake;

import org.junit.jupiter.api.Test;

import static jp.kitamoto.lists.mail.intake.LenientMailCmdHandler.carrierAddress;
import static org.assertj.core.api.Assertions.assertThat;

class LenientMailCmdHandlerTest {

    @Test
    void carrierAddressesAreRecognisedPlainOrQuoted() {
        assertThat(carrierAddress("FROM:<taro..yamada.@docomo.ne.jp>")).contains("taro..yamada.@docomo.ne.jp");
        assertThat(carrierAddress("FROM: <.hanako@ezweb.ne.jp> SIZE=1200")).contains(".hanako@ezweb.ne.jp");
        assertThat(carrierAddress("from:<\"taro..yamada.\"@docomo.ne.jp>")).contains("taro..yamada.@docomo.ne.jp");
    }

    @Test
    void everythingElseIsLeftToJames() {
        assertThat(carrierAddress("FROM:<yamada@example.jp>")).isEmpty();
        assertThat(carrierAddress("FROM:<>")).isEmpty();
        assertThat(carrierAddress("FROM:<a..b@localhost>")).as("no dotted domain").isEmpty();
        assertThat(carrierAddress("FROM:<a b..@docomo.ne.jp>")).isEmpty();
        assertThat(carrierAddress("FROM:<\"a\\\"..\"@docomo.ne.jp>")).as("escapes inside quotes").isEmpty();
        assertThat(carrierAddress("TO:<a..b@docomo.ne.jp>")).isEmpty();
        assertThat(carrierAddress(null)).isEmpty();
    }
}
