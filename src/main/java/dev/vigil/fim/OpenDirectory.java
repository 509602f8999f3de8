package dev.vigil.fim;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import dev.vigil.os.Libc;
import dev.vigil.os.PathBytes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
 *
 * <p>Where glibc lacks {@code getdents64} (before 2.30) or {@link Libc} does not know this architecture's
 * {@code open} flags, the directory is listed by the JDK instead, without types, and its entries are looked up by
 * their absolute paths, as every walk did before.
 */
final class OpenDirectory implements AutoCloseable {

    /** {@code d_type} of an entry whose type the file system does not give in the listing: stat it to know. */
    static final int DT_UNKNOWN = 0;
    static final int DT_DIR = 4;
    static final int DT_REG = 8;

    /** The longest path the kernel takes, its NUL included. */
    private static final int PATH_MAX = 4096;

    /**
     * The listing's buffer, a few hundred entries a call, and the heap copy it is parsed from: one pair per thread,
     * reused (a directory of a million-file tree lists a few hundred bytes; a fresh 32 KiB array each was garbage).
     */
    private static final int BUFFER = 32 * 1024;
    private record Buffers(Memory listed, byte[] copied) {
    }
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(
            () -> new Buffers(new Memory(BUFFER), new byte[BUFFER]));

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

    /** Whether directories are opened, listed with getdents64 and their entries looked up in them. */
    static final boolean BY_DESCRIPTOR = Libc.KNOWN_FLAGS && Libc.Dirents.AVAILABLE;

    private final byte[] path;
    /** The directory's descriptor; {@link Libc#AT_FDCWD} where it is listed by the JDK (see the class comment). */
    private final int fd;
    /**
     * The opening thread's buffers for its entries' {@code statx}: a directory is listed and its entries stat'ed by
     * the thread that opened it, and looking them up in the thread's map for each entry was about 1.5 % of a quick
     * check's CPU.
     */
    private final Statx.Buffers statx = Statx.buffers();

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
        if (!BY_DESCRIPTOR) {
            return byPath(path);
        }
        int fd;
        try {
            fd = Libc.openat(Libc.AT_FDCWD, PathBytes.cString(path),
                    Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_NOFOLLOW | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw Libc.failure(path, e.getErrorCode());
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

    /** The directory at the absolute raw path {@code path}, listed by the JDK and its entries looked up by path. */
    static OpenDirectory byPath(byte[] path) {
        return new OpenDirectory(path, Libc.AT_FDCWD);
    }

    /** The absolute raw path it was opened by. */
    byte[] path() {
        return path;
    }

    /** Its entries but {@code .} and {@code ..}, in the order the file system lists them. */
    List<Entry> list() throws IOException {
        if (fd == Libc.AT_FDCWD) {
            return listByJdk();
        }
        Memory buffer = BUFFERS.get().listed();
        byte[] bytes = BUFFERS.get().copied();
        ByteBuffer view = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        List<Entry> out = new ArrayList<>();
        while (true) {
            long n;
            try {
                n = Libc.Dirents.getdents64(fd, buffer, BUFFER);
            } catch (LastErrorException e) {
                throw Libc.failure(path, e.getErrorCode());
            }
            if (n <= 0) {
                return out;
            }
            buffer.read(0, bytes, 0, (int) n);
            for (int at = 0; at < n; ) {
                // read from the heap copy: from the native buffer each read is a call of its own
                int length = Short.toUnsignedInt(view.getShort(at + RECLEN));
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

    private List<Entry> listByJdk() throws IOException {
        List<Entry> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PathBytes.toPath(path))) {
            for (Path child : entries) {
                out.add(new Entry(PathBytes.cString(PathBytes.name(child)), DT_UNKNOWN));
            }
        } catch (UncheckedIOException | DirectoryIteratorException e) {
            throw (IOException) e.getCause(); // an I/O error part-way through a listing comes out of the iterator
        }
        return out;
    }

    /**
     * What the calls look {@code e} up by: its name in the directory, or its absolute path without a descriptor.
     * An entry whose absolute path is longer than the kernel takes is refused as a lookup by that path would be
     * ("File name too long"): every other part of Vigil (the checks, the trickle, the watch) finds an entry again
     * by its absolute path, so one recorded beyond it could never be checked.
     */
    private byte[] lookup(Entry e, byte[] entryPath) {
        if (entryPath.length >= PATH_MAX) {
            throw new LastErrorException(Libc.ENAMETOOLONG);
        }
        return fd == Libc.AT_FDCWD ? PathBytes.cString(entryPath) : e.name();
    }

    /**
     * The entry {@code e}, without following a symlink.
     *
     * @param entryPath its absolute raw path, which an error names
     */
    Statx stat(Entry e, byte[] entryPath) throws NoSuchFileException {
        return Statx.at(statx, fd, lookup(e, entryPath), entryPath);
    }

    /** Opens the entry {@code e} as {@link OpenedFile#open} does (never through a symlink, never blocking). */
    OpenedFile openFile(Entry e, byte[] entryPath) throws IOException {
        try {
            return OpenedFile.openAt(fd, lookup(e, entryPath), entryPath);
        } catch (LastErrorException x) {
            throw Libc.failure(entryPath, x.getErrorCode());
        }
    }

    /** The raw target of the symlink {@code e}, at {@code entryPath}. */
    byte[] readLink(Entry e, byte[] entryPath) {
        return Xattrs.readLinkAt(fd, lookup(e, entryPath));
    }

    @Override
    public void close() {
        if (fd == Libc.AT_FDCWD) {
            return;
        }
        try {
            Libc.close(fd);
        } catch (LastErrorException e) {
            // a read-only descriptor: nothing was to be written back, what was listed stands
        }
    }
}
