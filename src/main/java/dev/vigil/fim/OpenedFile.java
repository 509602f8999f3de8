package dev.vigil.fim;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.vigil.os.Libc;
import dev.vigil.os.PathBytes;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.SortedMap;

/**
 * A file of a hostile tree opened for reading through libc: never through a symlink ({@code O_NOFOLLOW}) and
 * without blocking ({@code O_NONBLOCK}), so a FIFO or device swapped in after the entry was stat'ed is opened at
 * once instead of hanging the reader. What was opened is told by {@link #stat()} (fstat on the descriptor, not
 * the path), which each reader checks is a regular file before reading. The hasher and the ignore files read
 * this way.
 */
final class OpenedFile implements AutoCloseable {

    private final byte[] path;
    private final int fd;

    private OpenedFile(byte[] path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /**
     * Opens the file at the absolute raw path {@code path}.
     *
     * @throws NoSuchFileException   if it does not exist
     * @throws AccessDeniedException if it may not be read
     * @throws FileSystemException   for any other failure (a symlink: "Too many levels of symbolic links"), and on
     *                               an architecture whose {@code open} flags {@link Libc} does not know
     */
    static OpenedFile open(byte[] path) throws IOException {
        return openAt(Libc.AT_FDCWD, PathBytes.cString(path), path);
    }

    /**
     * As {@link #open}, the entry named by the NUL-terminated {@code name} in the directory open as {@code dirFd}
     * (at the absolute raw path {@code path}, which errors name).
     */
    static OpenedFile openAt(int dirFd, byte[] name, byte[] path) throws IOException {
        if (!Libc.KNOWN_FLAGS) {
            throw new FileSystemException(PathBytes.escape(path), null, "cannot be opened without following a symlink on this architecture");
        }
        try {
            return new OpenedFile(path, Libc.openat(dirFd, name,
                    Libc.O_RDONLY | Libc.O_NOFOLLOW | Libc.O_NONBLOCK | Libc.O_CLOEXEC));
        } catch (LastErrorException e) {
            throw Libc.failure(path, e.getErrorCode());
        }
    }

    /** The absolute raw path it was opened by. */
    byte[] path() {
        return path;
    }

    /** Its extended attributes, read from the descriptor (see {@link Xattrs#read(int)}). */
    SortedMap<String, String> xattrs() {
        return Xattrs.read(fd);
    }

    /** As {@link #open}, refusing what is not a regular file once open ("no longer a regular file"). */
    static OpenedFile openRegular(byte[] path) throws IOException {
        OpenedFile f = open(path);
        try {
            if (!f.regular()) {
                throw new FileSystemException(PathBytes.escape(path), null, "no longer a regular file");
            }
            return f;
        } catch (IOException | RuntimeException e) {
            f.close();
            throw e;
        }
    }

    /** What is open: fstat of the descriptor. */
    Statx stat() throws IOException {
        try {
            return Statx.of(fd);
        } catch (LastErrorException e) {
            throw Libc.failure(path, e.getErrorCode());
        }
    }

    /** Whether what is open is a regular file (a FIFO or device may have been swapped in since it was stat'ed). */
    boolean regular() throws IOException {
        return EntryType.fromMode(stat().mode()) == EntryType.FILE;
    }

    /** Reads at most {@code count} bytes into {@code buffer}; 0 at the end of the file. */
    long read(Pointer buffer, long count) throws IOException {
        long n = Libc.read(fd, buffer, count);
        if (n < 0) {
            throw Libc.failure(path, Native.getLastError());
        }
        return n;
    }

    @Override
    public void close() {
        try {
            Libc.close(fd);
        } catch (LastErrorException e) {
            // a read-only descriptor: nothing was to be written back, what was read stands
        }
    }
}
