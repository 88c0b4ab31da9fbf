package jp.kitamoto.lists.mail.routing;

import jp.kitamoto.lists.domain.CommandKind;
import jp.kitamoto.lists.domain.ListAddresses;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RecipientParserTest {
    private final RecipientParser parser = new RecipientParser(Set.of("bunka", "bosai-council", "foo", "foo-owner")::contains);

    @ParameterizedTest(name = "{0} -> list={1} command={2} token={3}")
    @CsvSource(nullValues = "-", value = {
            "bunka,                      bunka,         -,        -",
            "BUNKA,                      bunka,         -,        -",
            "bunka-request,              bunka,         REQUEST,  -",
            "bunka-join,                 bunka,         JOIN,     -",
            "bunka-leave,                bunka,         LEAVE,    -",
            "bunka-owner,                bunka,         OWNER,    -",
            "bunka-bounces+abc234,       bunka,         BOUNCES,  abc234",
            "bunka-bounces,              bunka,         BOUNCES,  -",
            "bunka-leave+abcdefghijklmnopqrstuvwxyz234, bunka, LEAVE, abcdefghijklmnopqrstuvwxyz234",
            "BUNKA-LEAVE+ABCDEFGHIJKLMNOPQRSTUVWXYZ234, bunka, LEAVE, abcdefghijklmnopqrstuvwxyz234",
            "bosai-council-leave+abcdefghijklmnopqrstuvwxyz234, bosai-council, LEAVE, abcdefghijklmnopqrstuvwxyz234",
            "bosai-council,              bosai-council, -,        -",
            "bosai-council-leave,        bosai-council, LEAVE,    -",
            "bosai-council-bounces+x7,   bosai-council, BOUNCES,  x7",
            "foo-owner,                  foo-owner,     -,        -",
            "foo-owner-owner,            foo-owner,     OWNER,    -",
    })
    void knownAddressesAreRouted(String localPart, String list, String command, String token) {
        Optional<ListAddress> parsed = parser.parse(localPart);
        assertThat(parsed).isPresent();
        assertThat(parsed.get().listName()).isEqualTo(list);
        assertThat(parsed.get().command()).isEqualTo(Optional.ofNullable(command).map(CommandKind::valueOf));
        assertThat(parsed.get().token()).isEqualTo(Optional.ofNullable(token));
    }

    @ParameterizedTest
    @CsvSource({"postmaster", "abuse", "nosuchlist", "bunka-unknown", "bunka-bounces+",
            "bunka-request+x", "bunka+tag", "-owner", "bosai", "bunka-bounces+a.b",
            // A personal unsubscribe address needs exactly a token's shape (29 base32 letters), nothing else.
            "bunka-leave+", "bunka-leave+abc234", "bunka-leave+abcdefghijklmnopqrstuvwxyz2345",
            "bunka-leave+abcdefghijklmnopqrstuvwxyz230", "bunka-leave+abcdefghijklmnopqrstuvwxyz23.",
            "nosuchlist-leave+abcdefghijklmnopqrstuvwxyz234", "bunka-join+abcdefghijklmnopqrstuvwxyz234"})
    void everythingElseIsNotOurs(String localPart) {
        assertThat(parser.parse(localPart)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void thePersonalUnsubscribeAddressListAddressesWritesRoutesBackWithItsToken() {
        String token = jp.kitamoto.lists.service.Tokens.newToken();
        String written = new ListAddresses("bosai-council", "ml.example.jp").leave(token);

        assertThat(parser.parse(written.substring(0, written.indexOf('@'))))
                .contains(new ListAddress("bosai-council", Optional.of(CommandKind.LEAVE), Optional.of(token)));
    }

    @ParameterizedTest
    @EnumSource(CommandKind.class)
    void everyAddressListAddressesWritesShouldRouteBackToItsKind(CommandKind kind) {
        ListAddresses bosai = new ListAddresses("bosai-council", "ml.example.jp");
        String written = kind == CommandKind.BOUNCES ? bosai.bounces("k3x9") : bosai.command(kind);

        Optional<ListAddress> parsed = parser.parse(written.substring(0, written.indexOf('@')));

        assertThat(parsed).contains(new ListAddress("bosai-council", Optional.of(kind),
                kind == CommandKind.BOUNCES ? Optional.of("k3x9") : Optional.empty()));
    }
}
