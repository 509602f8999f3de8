package dev.vigil.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One daemon per database: {@code vigil run} holds a lock on {@code DATABASE.lock} for as long as it runs, and a
 * second daemon on the same database refuses to start, naming the first one's pid. Two daemons would watch,
 * pool and deliver everything twice. The lock is the kernel's (an open file description lock through
 * {@link FileChannel#tryLock()}), so a daemon killed with SIGKILL leaves no stale lock behind; the pid in the file
 * is only for the message. The commands ({@code check}, {@code accept}, ...) take no lock: they share the
 * database with a running daemon by design.
 */
public final class DaemonLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DaemonLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** A daemon already runs on the database. */
    public static final class HeldException extends IllegalStateException {
        HeldException(String message) {
            super(message);
        }
    }

    /** Takes the lock of {@code database}, or throws {@link HeldException} naming the daemon that holds it. */
    public static DaemonLock acquire(Path database) throws IOException {
        Path file = lockFile(database);
        PrivateFiles.createDirectories(file.getParent());
        FileChannel channel = PrivateFiles.openReadWrite(file);
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameProcess) {
                lock = null;
            }
            if (lock == null) {
                throw new HeldException("another vigil daemon" + holder(channel) + " already runs on " + database
                        + " (its lock: " + file + "); stop it first");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            return new DaemonLock(channel, lock);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * The pid of the daemon that runs on {@code database} (holds its lock), or empty if none does; 0 for one
     * whose pid cannot be read. The lock is only tried, never kept.
     */
    public static java.util.Optional<Long> holder(Path database) throws IOException {
        Path file = lockFile(database);
        if (!java.nio.file.Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return java.util.Optional.empty();
        }
        try (FileChannel channel = PrivateFiles.openReadWrite(file)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameProcess) {
                lock = null;
            }
            if (lock != null) {
                lock.release();
                return java.util.Optional.empty();
            }
            String pid = holder(channel);
            return java.util.Optional.of(pid.isEmpty() ? 0L : Long.parseLong(pid.replaceAll("\\D", "")));
        }
    }

    private static Path lockFile(Path database) {
        return database.resolveSibling(database.getFileName() + ".lock");
    }

    /** " (pid N)" as the holder wrote it, or nothing if the file says nothing readable. */
    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        String pid = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
        return pid.matches("\\d{1,10}") ? " (pid " + pid + ")" : "";
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
