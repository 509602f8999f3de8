package dev.vigil.os;

import com.sun.jna.LastErrorException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * A regular file opened for reading as a {@link FileChannel}, by a path whose last component is not followed if it
 * is a symlink ({@code O_NOFOLLOW}) and without blocking ({@code O_NONBLOCK}): a FIFO swapped in for a log after it
 * was stat'ed would otherwise block the open until someone writes to it, and the reader with it. What was opened is
 * checked through {@code /proc/self/fd}, the descriptor's own inode whatever the path names by then, and the channel
 * is opened there. Hand-written because the JDK's {@code FileChannel.open} has no non-blocking open and follows the
 * path again.
 */
public final class RegularFileChannel {

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;

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
     * @throws FileSystemException                 if it is a symlink ("Too many levels of symbolic links"), not a
     *                                             regular file, or on an architecture whose open flags {@link Libc}
     *                                             does not know
     */
    public static Opened open(Path path) throws IOException {
        byte[] raw = PathBytes.of(path);
        if (!Libc.KNOWN_FLAGS) {
            throw new FileSystemException(path.toString(), null, "cannot be opened without following a symlink on this architecture");
        }
        int fd;
        try {
            fd = Libc.openat(Libc.AT_FDCWD, PathBytes.cString(raw), Libc.O_RDONLY | Libc.O_NOFOLLOW | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw Libc.failure(raw, e.getErrorCode());
        }
        try {
            Path opened = Path.of("/proc/self/fd/" + fd);
            Map<String, Object> a = Files.readAttributes(opened, "unix:mode,dev,ino");
            if ((((Number) a.get("mode")).intValue() & S_IFMT) != S_IFREG) {
                throw new FileSystemException(path.toString(), null, "not a regular file");
            }
            return new Opened(FileChannel.open(opened, StandardOpenOption.READ), ((Number) a.get("dev")).longValue(),
                    ((Number) a.get("ino")).longValue());
        } finally {
            Libc.close(fd);
        }
    }
}
