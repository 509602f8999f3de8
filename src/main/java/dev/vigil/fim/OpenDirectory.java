package dev.vigil.fim;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import dev.vigil.os.Libc;
import dev.vigil.os.PathBytes;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A directory of a hostile tree opened once for a walk: listed with {@code getdents64(2)}, which gives each
 * entry's type with its name, and its entries stat'ed, opened and read relative to its descriptor, so the kernel
 * looks up one name per call instead of every component of an absolute path.
 *
 * <p>It is opened by its absolute path without following a symlink ({@code O_NOFOLLOW}) and must then be the
 * directory the walk stat'ed in its parent (same device and inode): one replaced since, by a symlink, or by a
 * directory moved there through a symlinked parent, is refused rather than listed. Hand-written because the JDK's
 * {@code DirectoryStream} gives neither the entries' types nor a descriptor to resolve them against, and makes a
 * {@code Path} of every name.
 */
final class OpenDirectory implements AutoCloseable {

    /** {@code d_type} of an entry whose type the file system does not give in the listing: stat it to know. */
    static final int DT_UNKNOWN = 0;
    static final int DT_DIR = 4;
    static final int DT_REG = 8;

    /** The listing's buffer: a few hundred entries a call; one per thread, reused. */
    private static final int BUFFER = 32 * 1024;
    private static final ThreadLocal<Memory> BUFFERS = ThreadLocal.withInitial(() -> new Memory(BUFFER));

    /** Offsets in a {@code struct linux_dirent64}: inode (8), offset (8), record length (2), type (1), name. */
    private static final int RECLEN = 16;
    private static final int TYPE = 18;
    private static final int NAME = 19;

    /**
     * One entry of the listing.
     *
     * @param name  its raw name and a NUL, as the calls relative to the directory take it
     * @param type  its {@code d_type}, {@link #DT_UNKNOWN} where the file system does not say
     */
    record Entry(byte[] name, int type) {
        /** Its raw name without the NUL. */
        byte[] rawName() {
            return Arrays.copyOf(name, name.length - 1);
        }
    }

    private final byte[] path;
    private final int fd;

    private OpenDirectory(byte[] path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /**
     * Opens the directory {@code dir} records, if it is still that one.
     *
     * @throws NoSuchFileException if it is gone
     * @throws IOException         if it cannot be opened (permission denied; a symlink now: "Too many levels of
     *                             symbolic links"; not a directory now) or is another directory than the one stat'ed
     *                             ("replaced before it could be listed")
     */
    static OpenDirectory open(FileRecord dir) throws IOException {
        byte[] path = dir.path();
        int fd;
        try {
            fd = Libc.openat(Libc.AT_FDCWD, PathBytes.cString(path),
                    Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_NOFOLLOW | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw OpenedFile.failure(path, e.getErrorCode());
        }
        OpenDirectory d = new OpenDirectory(path, fd);
        try {
            Statx st = Statx.of(fd);
            if (st.device() != dir.device() || st.inode() != dir.inode()) {
                throw new FileSystemException(PathBytes.escape(path), null, "replaced before it could be listed");
            }
            return d;
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /** The absolute raw path it was opened by. */
    byte[] path() {
        return path;
    }

    /** Its entries but {@code .} and {@code ..}, in the order the file system lists them. */
    List<Entry> list() throws IOException {
        Memory buffer = BUFFERS.get();
        byte[] bytes = new byte[BUFFER];
        List<Entry> out = new ArrayList<>();
        while (true) {
            long n;
            try {
                n = Libc.getdents64(fd, buffer, BUFFER);
            } catch (LastErrorException e) {
                throw OpenedFile.failure(path, e.getErrorCode());
            }
            if (n <= 0) {
                return out;
            }
            buffer.read(0, bytes, 0, (int) n);
            for (int at = 0; at < n; ) {
                int length = Short.toUnsignedInt(buffer.getShort(at + RECLEN));
                int end = at + NAME;
                while (bytes[end] != 0) {
                    end++;
                }
                int name = at + NAME;
                boolean dots = bytes[name] == '.' && (end == name + 1 || (end == name + 2 && bytes[name + 1] == '.'));
                if (!dots) {
                    out.add(new Entry(Arrays.copyOfRange(bytes, name, end + 1), bytes[at + TYPE]));
                }
                at += length;
            }
        }
    }

    /**
     * The entry {@code e}, without following a symlink.
     *
     * @param entryPath its absolute raw path, which an error names
     */
    Statx stat(Entry e, byte[] entryPath) throws NoSuchFileException {
        return Statx.at(fd, e.name(), entryPath);
    }

    /** Opens the entry {@code e} as {@link OpenedFile#open} does (never through a symlink, never blocking). */
    OpenedFile openFile(Entry e, byte[] entryPath) throws IOException {
        return OpenedFile.openAt(fd, e.name(), entryPath);
    }

    /** The raw target of the symlink {@code e}. */
    byte[] readLink(Entry e) {
        return Xattrs.readLinkAt(fd, e.name());
    }

    @Override
    public void close() {
        try {
            Libc.close(fd);
        } catch (LastErrorException e) {
            // a read-only descriptor: nothing was to be written back, what was listed stands
        }
    }
}
