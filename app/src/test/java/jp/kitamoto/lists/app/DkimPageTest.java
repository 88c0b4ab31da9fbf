package jp.kitamoto.lists.app;

import jp.kitamoto.lists.testing.HttpSession;
import jp.kitamoto.lists.testing.TestSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The staff page that shows the DKIM record to publish. */
class DkimPageTest {
    private static final String PASSWORD = "dkim-page-password-01";

    @TempDir
    Path dataDir;
    Application app;

    @BeforeEach
    void start() throws Exception {
        System.setProperty("KITAMOTO_ADMIN_INITIAL_PASSWORD", PASSWORD);
        try {
            app = Application.start(TestSettings.forTest(dataDir, 25), false);
        } finally {
            System.clearProperty("KITAMOTO_ADMIN_INITIAL_PASSWORD");
        }
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void staffSeeTheRecordToPublishAndVisitorsDoNot() throws Exception {
        HttpSession visitor = new HttpSession("http://127.0.0.1:" + app.webPort());
        HttpResponse<String> anonymous = visitor.get(DkimPage.PATH);
        assertThat(anonymous.body()).doesNotContain("v=DKIM1");

        HttpSession http = new HttpSession("http://127.0.0.1:" + app.webPort());
        http.login("admin", PASSWORD);
        HttpResponse<String> page = http.get(DkimPage.PATH);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("kitamoto._domainkey." + app.settings().server().domain())
                .contains(app.mail().dkim().txtValue()).contains("DKIM（送信ドメイン認証）");
    }
}
