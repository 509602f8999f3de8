package dev.vigil.os;

import com.sun.jna.LastErrorException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * A regular file opened for reading as a {@link FileChannel}, by a path whose last component is not followed if it
 * is a symlink ({@code O_NOFOLLOW}) and without blocking ({@code O_NONBLOCK}): a FIFO swapped in for a log after it
 * was stat'ed would otherwise block the open until someone writes to it, and the reader with it. What was opened is
 * checked through {@code /proc/self/fd}, the descriptor's own inode whatever the path names by then, and the channel
 * is opened there. Hand-written because the JDK's {@code FileChannel.open} has no non-blocking open and follows the
 * path again. Where {@link Libc} does not know the open flags (riscv64, s390x) or {@code /proc} is not mounted, the
 * JDK's open is used, not following a last symlink, after a check of the type by path (a FIFO swapped in between
 * the two would block it there).
 */
public final class RegularFileChannel {

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final Path PROC_FDS = Path.of("/proc/self/fd");
    private static final boolean THROUGH_LIBC = Libc.KNOWN_FLAGS && Files.isDirectory(PROC_FDS);

    /** The channel, and the device and inode of the file it reads. */
    public record Opened(FileChannel channel, long device, long inode) {
    }

    private RegularFileChannel() {
    }

    /**
     * Opens {@code path} for reading.
     *
     * @throws java.nio.file.NoSuchFileException   if it does not exist
     * @throws java.nio.file.AccessDeniedException if it may not be read
     * @throws FileSystemException                 if it is a symlink ("Too many levels of symbolic links") or not a
     *                                             regular file
     */
    public static Opened open(Path path) throws IOException {
        if (!THROUGH_LIBC) {
            Map<String, Object> a = Files.readAttributes(path, "unix:mode,dev,ino", LinkOption.NOFOLLOW_LINKS);
            return opened(path, a, () -> FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
        }
        byte[] raw = PathBytes.of(path);
        int fd;
        try {
            fd = Libc.openat(Libc.AT_FDCWD, PathBytes.cString(raw), Libc.O_RDONLY | Libc.O_NOFOLLOW | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw Libc.failure(raw, e.getErrorCode());
        }
        try {
            Path descriptor = PROC_FDS.resolve(Integer.toString(fd));
            return opened(path, Files.readAttributes(descriptor, "unix:mode,dev,ino"),
                    () -> FileChannel.open(descriptor, StandardOpenOption.READ));
        } finally {
            try {
                Libc.close(fd);
            } catch (LastErrorException e) {
                // a descriptor only read from: nothing to write back, and the channel has its own
            }
        }
    }

    private interface ChannelOpen {
        FileChannel open() throws IOException;
    }

    /** The channel {@code open} makes, if the attributes {@code a} are a regular file's. */
    private static Opened opened(Path path, Map<String, Object> a, ChannelOpen open) throws IOException {
        if ((((Number) a.get("mode")).intValue() & S_IFMT) != S_IFREG) {
            throw new FileSystemException(path.toString(), null, "not a regular file");
        }
        return new Opened(open.open(), ((Number) a.get("dev")).longValue(), ((Number) a.get("ino")).longValue());
    }
}
