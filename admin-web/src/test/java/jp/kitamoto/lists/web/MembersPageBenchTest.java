package jp.kitamoto.lists.web;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jp.kitamoto.lists.domain.SubscriptionState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The members page of a list with 10,000 members, measured over HTTP end to end (query, template, transfer) on the
 * real SQLite file. Issue 3 asks for under 100 ms a page; the figures go to target/bench/members-page.txt.
 */
class MembersPageBenchTest {
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
    void membersPageOfTenThousandMembersRendersInUnder100Ms() throws Exception {
        long bunka = server.listId("bunka");
        server.db.inTransaction(s -> {
            for (int i = 0; i < 10_000; i++) {
                server.members.subscribe(s, bunka, String.format("member%05d@example.jp", i), "会員 " + i,
                        i % 50 == 0 ? SubscriptionState.SUSPENDED : SubscriptionState.ACTIVE);
            }
            return null;
        });
        HttpSession http = new HttpSession(server.base());
        http.login("admin", WebTestServer.ADMIN_PASSWORD);
        String[] paths = {"/staff/lists/" + bunka + "/members", "/staff/lists/" + bunka + "/members?page=150",
                "/staff/lists/" + bunka + "/members?q=member0999", "/staff/lists/" + bunka + "/members?q=%E4%BC%9A%E5%93%A1+12"};
        StringBuilder report = new StringBuilder("members page, 10,000 members, SQLite, over HTTP (ms)\n");
        for (String path : paths) {
            for (int i = 0; i < 5; i++) { // warm-up: JIT, statement cache
                http.get(path);
            }
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                long t0 = System.nanoTime();
                HttpResponse<String> r = http.get(path);
                ms.add((System.nanoTime() - t0) / 1e6);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).contains("member-count");
            }
            Collections.sort(ms);
            double median = ms.get(ms.size() / 2);
            double p90 = ms.get((int) (ms.size() * 0.9));
            report.append(String.format("%-60s median %6.1f  p90 %6.1f  max %6.1f%n", path.replaceAll("/staff/lists/\\d+", ""),
                    median, p90, ms.get(ms.size() - 1)));
            assertThat(median).as(path).isLessThan(100.0);
        }
        System.out.print(report);
        Path out = Path.of("target", "bench", "members-page.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }
}
