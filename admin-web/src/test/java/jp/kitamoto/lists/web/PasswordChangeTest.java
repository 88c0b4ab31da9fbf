package jp.kitamoto.lists.web;

import jp.kitamoto.lists.testing.HttpSession;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Staff change their own password; the old one stops working, a wrong current password changes nothing. */
class PasswordChangeTest {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dataDir;
    WebTestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new WebTestServer(dataDir, smarthost.getSmtp().getPort());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void adminChangesTheBootstrapPasswordAndOnlyTheNewOneWorks() throws Exception {
        HttpSession http = new HttpSession(server.base());
        http.login("admin", WebTestServer.ADMIN_PASSWORD);
        http.get("/staff/password");
        HttpResponse<String> r = http.post("/staff/password",
                Map.of("current", WebTestServer.ADMIN_PASSWORD, "password", "新しい合言葉-2026", "again", "新しい合言葉-2026"), true);
        assertThat(r.statusCode()).isEqualTo(302);

        new HttpSession(server.base()).login("admin", "新しい合言葉-2026");
        assertThatThrownBy(() -> new HttpSession(server.base()).login("admin", WebTestServer.ADMIN_PASSWORD))
                .hasMessageContaining("login failed");
    }

    @Test
    void aWrongCurrentPasswordOrAMismatchChangesNothing() throws Exception {
        HttpSession http = new HttpSession(server.base());
        http.login("admin", WebTestServer.ADMIN_PASSWORD);
        http.get("/staff/password");
        HttpResponse<String> wrong = http.post("/staff/password",
                Map.of("current", "not-the-password", "password", "another-password-1", "again", "another-password-1"), true);
        assertThat(wrong.statusCode()).isEqualTo(200);
        assertThat(wrong.body()).contains("現在のパスワードが違います");
        HttpResponse<String> mismatch = http.post("/staff/password",
                Map.of("current", WebTestServer.ADMIN_PASSWORD, "password", "another-password-1", "again", "another-password-2"), true);
        assertThat(mismatch.body()).contains("一致しません");
        HttpResponse<String> noCsrf = http.post("/staff/password",
                Map.of("current", WebTestServer.ADMIN_PASSWORD, "password", "another-password-1", "again", "another-password-1"), false);
        assertThat(noCsrf.statusCode()).isEqualTo(403);

        new HttpSession(server.base()).login("admin", WebTestServer.ADMIN_PASSWORD);
    }
}
