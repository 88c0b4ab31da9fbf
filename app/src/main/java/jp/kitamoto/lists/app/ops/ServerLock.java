package jp.kitamoto.lists.app.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An operating-system lock on {@code <database file>.server-lock}, held by a running server (and by {@code restore}
 * while it swaps the file), so that a restore never replaces the database under a running server and a server never
 * starts on a half-restored file.
 *
 * <p>Why a kernel file lock and not a PID file or a look at the ports: the kernel releases the lock when the process
 * ends in any way (SIGKILL and power loss included), so it is never stale and needs no PID check (PIDs are reused);
 * ports can be 0, changed between runs, or taken by another program. The file also holds the holder's PID and what it
 * is, for the message. Within one JVM (tests) a second lock on the same file is refused as well
 * ({@link OverlappingFileLockException}), which is the same answer.
 */
public final class ServerLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private ServerLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Thrown when another process (or this one) holds the lock; the message says who. */
    public static final class HeldException extends RuntimeException {
        public HeldException(String message) {
            super(message);
        }
    }

    public static Path fileFor(Path databaseFile) {
        return databaseFile.resolveSibling(databaseFile.getFileName() + ".server-lock");
    }

    /** Takes the lock or throws {@link HeldException}; {@code holder} ("server smtp 2525 web 8080", "restore") is recorded. */
    public static ServerLock acquire(Path databaseFile, String holder) {
        Path file = fileFor(databaseFile);
        FileChannel ch = null;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String who = describe(file);
                ch.close();
                throw new HeldException(databaseFile + " is in use by " + who + " (lock " + file + ")");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ": " + holder + "\n")
                    .getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(false);
            return new ServerLock(ch, lock);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UncheckedIOException("cannot use the lock file " + file, e);
        }
    }

    /** Rewrites what the lock file says about its holder (a server, once it knows its real ports). */
    public void describeAs(String holder) {
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ": " + holder + "\n")
                    .getBytes(StandardCharsets.UTF_8)), 0);
        } catch (IOException e) {
            // Only the description is lost; the lock itself holds.
        }
    }

    private static String describe(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? "another process" : s;
        } catch (IOException e) {
            return "another process";
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing is all that is left to do
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // the channel's close below releases it too
        }
        closeQuietly(channel);
    }
}
