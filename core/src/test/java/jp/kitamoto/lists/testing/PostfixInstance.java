package jp.kitamoto.lists.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Postfix (Debian's package) for a test, configured entirely in a temporary directory: its own
 * {@code main.cf}/{@code master.cf}, queue, data directory and log file, smtpd on a free port of 127.0.0.1. Started
 * with {@code postfix -c DIR start} and stopped with {@code postfix -c DIR stop}; several run side by side.
 *
 * <p>Needs root (Postfix's master starts as root and drops to the {@code postfix} user), as in CI. Where
 * {@code /usr/sbin/postfix} is missing the tests are skipped with a message, except under {@code CI=true}, where a
 * missing Postfix is a broken CI set-up and fails the test ({@code .ci/run} installs it).
 */
public final class PostfixInstance implements AutoCloseable {
    public static final Path POSTFIX = Path.of("/usr/sbin/postfix");

    /** Every service a relay-only Postfix uses; chroot off (the directory is not a chroot jail), no local delivery. */
    private static final List<String> SERVICES = List.of(
            "pickup    unix  n - n 60  1 pickup",
            "cleanup   unix  n - n -   0 cleanup",
            "qmgr      unix  n - n 300 1 qmgr",
            "rewrite   unix  - - n -   - trivial-rewrite",
            "bounce    unix  - - n -   0 bounce",
            "defer     unix  - - n -   0 bounce",
            "trace     unix  - - n -   0 bounce",
            "verify    unix  - - n -   1 verify",
            "flush     unix  n - n 1000? 0 flush",
            "proxymap  unix  - - n -   - proxymap",
            "smtp      unix  - - n -   - smtp",
            "relay     unix  - - n -   - smtp",
            "showq     unix  n - n -   - showq",
            "error     unix  - - n -   - error",
            "retry     unix  - - n -   - error",
            "discard   unix  - - n -   - discard",
            "anvil     unix  - - n -   1 anvil",
            "scache    unix  - - n -   1 scache",
            "postlog   unix-dgram n - n - 1 postlogd");

    private final String name;
    private final Path dir;
    private final int port;

    private PostfixInstance(String name, Path dir, int port) {
        this.name = name;
        this.dir = dir;
        this.port = port;
    }

    /** Skips the calling test when Postfix is not installed here; fails it under CI, which must have installed it. */
    public static void requireInstalled() {
        String why;
        if (!Files.isExecutable(POSTFIX)) {
            why = POSTFIX + " is missing: install Debian's postfix (see .ci/run) to run the Postfix tests";
        } else if (!"root".equals(System.getProperty("user.name"))) {
            why = "the Postfix tests start Postfix's master, which needs root (CI runs them as root)";
        } else {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail("CI=true but " + why);
        }
        Assumptions.abort(why);
    }

    /** A port that was free a moment ago (Postfix must be told its port in master.cf before it binds it). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * Writes the configuration under {@code parent/name} and starts Postfix. {@code settings} are main.cf lines
     * added to (and overriding) the common ones: no local domains, IPv4 on 127.0.0.1, no DNS.
     */
    public static PostfixInstance start(String name, Path parent, int port, Map<String, String> settings)
            throws IOException, InterruptedException {
        Path dir = parent.resolve(name);
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Path queue = Files.createDirectories(dir.resolve("queue"));
        Path data = Files.createDirectories(dir.resolve("data"));
        // Postfix's daemons run as the postfix user: they must reach the queue through every parent directory
        // (JUnit makes temporary directories private to root) and own the data directory.
        letOthersThrough(dir);
        UserPrincipal postfixUser = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postfix");
        Files.setOwner(data, postfixUser);

        Map<String, String> main = new LinkedHashMap<>();
        main.put("compatibility_level", "3.6");
        main.put("queue_directory", queue.toString());
        main.put("data_directory", data.toString());
        // Logs to a file through postlogd: no syslog on test machines. The file must lie under an allowed prefix.
        main.put("maillog_file", dir.resolve("maillog").toString());
        main.put("maillog_file_prefixes", dir.toString());
        main.put("mail_owner", "postfix");
        main.put("setgid_group", "postdrop");
        main.put("inet_interfaces", "127.0.0.1");
        main.put("inet_protocols", "ipv4");
        main.put("myhostname", name + ".test");
        main.put("mydestination", "");
        main.put("alias_maps", "");
        main.put("local_recipient_maps", "");
        main.put("local_transport", "error:5.1.1 no local delivery here");
        main.put("smtp_dns_support_level", "disabled");
        main.put("smtp_host_lookup", "native");
        main.put("biff", "no");
        // Fast retries, so a failed test does not leave mail waiting for minutes.
        main.put("queue_run_delay", "2s");
        main.put("minimal_backoff_time", "2s");
        main.put("maximal_backoff_time", "4s");
        main.putAll(settings);
        Files.writeString(conf.resolve("main.cf"), main.entrySet().stream()
                .map(e -> e.getKey() + " = " + e.getValue()).collect(Collectors.joining("\n", "", "\n")));
        Files.writeString(conf.resolve("master.cf"), "127.0.0.1:" + port + " inet n - n - - smtpd\n"
                + String.join("\n", SERVICES) + "\n");

        PostfixInstance instance = new PostfixInstance(name, dir, port);
        instance.postfix("start");
        return instance;
    }

    /**
     * Adds search (and read) permission for group and others to {@code dir} and each parent that lacks it, and
     * only adds: a shared parent such as /dev/shm (mode 1777) keeps its sticky, world-writable mode. Narrowing it
     * to 755 once broke PostgreSQL on the same machine, whose dynamic shared memory lives there.
     */
    private static void letOthersThrough(Path dir) throws IOException {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                continue;
            }
            Set<PosixFilePermission> wider = EnumSet.copyOf(perms);
            wider.addAll(List.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE));
            Files.setPosixFilePermissions(p, wider);
        }
    }

    private void postfix(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(POSTFIX.toString(), "-c", dir.resolve("conf").toString(), command)
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("postfix " + command + " (" + name + ") failed: " + output + "\n" + log());
        }
    }

    public int port() {
        return port;
    }

    /** What this Postfix logged so far (for assertions and failure messages). */
    public String log() {
        try {
            Path file = dir.resolve("maillog");
            return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "(no log yet)";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Messages in the queue (incoming, active, deferred, hold, maildrop): empty once everything has left. */
    public long queued() throws IOException {
        long n = 0;
        for (String q : List.of("maildrop", "incoming", "active", "deferred", "hold")) {
            Path d = dir.resolve("queue").resolve(q);
            if (Files.isDirectory(d)) {
                try (Stream<Path> files = Files.walk(d)) {
                    n += files.filter(Files::isRegularFile).count();
                }
            }
        }
        return n;
    }

    /** {@code postmap -q KEY TABLE} with this instance's configuration: the value, or empty when not found. */
    public String query(String table, String key) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/sbin/postmap", "-c", dir.resolve("conf").toString(), "-q", key, table)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    /** The version Postfix reports ({@code mail_version}). */
    public static String version() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/sbin/postconf", "-d", "-h", "mail_version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        postfix("stop");
    }
}
