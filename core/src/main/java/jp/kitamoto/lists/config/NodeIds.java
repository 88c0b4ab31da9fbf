package jp.kitamoto.lists.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The default name of a server process among several on one database: host name and process id. */
final class NodeIds {
    /** Computed once: the host name does not change while the process runs, and a DNS look-up may be slow. */
    private static final String DEFAULT = hostName() + "-" + ProcessHandle.current().pid();

    private NodeIds() {
    }

    static String defaultNodeId() {
        return DEFAULT.length() <= 128 ? DEFAULT : DEFAULT.substring(DEFAULT.length() - 128);
    }

    private static String hostName() {
        // The kernel's name first: no resolver involved (InetAddress.getLocalHost can wait on DNS).
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: ask Java.
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "node";
        }
    }
}
