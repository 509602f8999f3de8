package dev.vigil.fim;

import com.sun.jna.LastErrorException;
import dev.vigil.os.Libc;
import dev.vigil.os.PathBytes;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Walks trees in parallel and records every entry: one fork/join task per directory, so idle workers steal
 * whole subtrees, and each worker hashes the files of the directory it lists with its own {@link Hasher}.
 *
 * <p>Hostile trees never hang or end the scan: symlinks are recorded and never followed (so a symlink loop is
 * just a link); FIFOs, sockets and devices are recorded and never opened; an entry that vanishes is reported
 * and skipped; an unreadable file or directory is recorded with its error and counted; a file whose size or
 * times change while it is hashed is recorded with an error saying so. A directory is walked through its
 * descriptor ({@link OpenDirectory}): listed with its entries' types, its entries stat'ed and opened by name in
 * it, and a directory replaced since it was stat'ed is refused.
 */
public final class Scanner {

    /** Receives results from many worker threads at once. */
    public interface Sink {
        void entry(FileRecord record);

        void problem(byte[] path, String message);
    }

    private final ScanOptions options;
    private final ThreadLocal<Hasher> hashers;

    public Scanner(ScanOptions options) {
        this.options = options;
        this.hashers = ThreadLocal.withInitial(() -> new Hasher(options.algorithm()));
    }

    public ScanOptions options() {
        return options;
    }

    /** Records every entry under each root (roots themselves included) into {@code sink}, counting in {@code stats}. */
    public void scan(List<Path> roots, Sink sink, ScanStats stats) {
        ForkJoinPool pool = new ForkJoinPool(Math.max(1, options.threads()));
        try {
            for (Path root : roots) {
                pool.invoke(new RootTask(root, sink, stats));
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Stats one entry (without hashing it), or returns null if it does not exist or cannot be stat'ed (said to the sink). */
    public FileRecord record(byte[] raw, Sink sink, ScanStats stats) {
        try {
            return stat(raw, sink, stats);
        } catch (NoSuchFileException e) {
            problem(sink, stats, raw, "vanished before it could be read");
            return null;
        }
    }

    /**
     * As {@link #record}, for a caller to whom a missing entry is news rather than a problem (the trickle
     * scan, where it means the entry was deleted): that case throws instead of being said to the sink.
     */
    public FileRecord stat(byte[] raw, Sink sink, ScanStats stats) throws NoSuchFileException {
        Statx st;
        try {
            st = Statx.of(raw);
        } catch (LastErrorException e) {
            problem(sink, stats, raw, "cannot stat: " + Libc.reason(e.getErrorCode()));
            return null;
        }
        FileRecord r = record(raw, st, () -> Xattrs.readLink(raw), sink, stats);
        return options.xattrs() ? withXattrs(r, sink, stats) : r;
    }

    /** The record of the entry at {@code raw} stat'ed as {@code st}, with its symlink target read by {@code link}. */
    private static FileRecord record(byte[] raw, Statx st, Supplier<byte[]> link, Sink sink, ScanStats stats) {
        EntryType type = EntryType.fromMode(st.mode());
        String error = null;
        byte[] target = null;
        try {
            if (type == EntryType.SYMLINK) {
                target = link.get();
            }
        } catch (LastErrorException e) {
            error = "cannot read link: errno " + e.getErrorCode();
            problem(sink, stats, raw, error);
        }
        return new FileRecord(raw, type, st.size(), st.mode(), st.uid(), st.gid(), st.inode(), st.device(),
                st.links(), st.mtimeNs(), st.ctimeNs(), target, null, null, error);
    }

    /** The record with the entry's extended attributes, read now; an error reading them is said to the sink. */
    public FileRecord withXattrs(FileRecord r, Sink sink, ScanStats stats) {
        return withXattrs(r, null, sink, stats);
    }

    /**
     * As {@link #withXattrs(FileRecord, Sink, ScanStats)}, read from {@code open} where it is not null, else by the
     * record's path. No lambda passes the reading in: under the launcher's quick compiler every capturing lambda made
     * is a call into the VM ({@code Unsafe.allocateInstance}), and a hashed file made five.
     */
    private static FileRecord withXattrs(FileRecord r, OpenedFile open, Sink sink, ScanStats stats) {
        try {
            return r.withXattrs(open == null ? Xattrs.read(r.path()) : open.xattrs(), r.error());
        } catch (LastErrorException e) {
            String error = "cannot read xattrs: errno " + e.getErrorCode();
            problem(sink, stats, r.path(), error);
            return r.withXattrs(r.xattrs(), r.error() == null ? error : r.error() + "; " + error);
        }
    }

    /** The record with its content hash, if this scan hashes and the entry has content. */
    private FileRecord withContent(FileRecord r, Sink sink, ScanStats stats) {
        return options.hashContent() && r.type().hasContent() ? hash(r, sink, stats) : r;
    }

    /** Hashes a file record's content and re-stats it, so a file changing under the hash is said so. */
    public FileRecord hash(FileRecord r, Sink sink, ScanStats stats) {
        return hash(r, sink, stats, Integer.MAX_VALUE, n -> { });
    }

    /**
     * As {@link #hash(FileRecord, Sink, ScanStats)}, reading at most {@code chunk} bytes at a time and
     * calling {@code afterRead} with each read's length, which may block to pace the reading.
     */
    public FileRecord hash(FileRecord r, Sink sink, ScanStats stats, int chunk, IntConsumer afterRead) {
        return hashed(r, null, chunk, afterRead, sink, stats);
    }

    /**
     * The record with its content's hash, read from {@code open} where it is not null (a regular file opened and
     * stat'ed as {@code r}), else opened by the record's path, and checked against a stat after it (of the same
     * descriptor, or by the path), so a file changing under the hash is said so; an error is said to the sink and
     * recorded. Read from {@code open}, it is read whole ({@code chunk} and {@code afterRead} are for the paced
     * readers, which open by path).
     */
    private FileRecord hashed(FileRecord r, OpenedFile open, int chunk, IntConsumer afterRead, Sink sink, ScanStats stats) {
        try {
            Hasher hasher = hashers.get();
            String h = open == null ? hasher.hash(r.path(), chunk, r.size(), afterRead) : hasher.hash(open, r.size());
            stats.bytesHashed.add(r.size());
            Statx now = open == null ? Statx.of(r.path()) : open.stat();
            if (now.size() != r.size() || now.mtimeNs() != r.mtimeNs() || now.ctimeNs() != r.ctimeNs()) {
                String what = now.size() > r.size() ? "grew" : "changed";
                problem(sink, stats, r.path(), what + " while being hashed");
                return r.withHash(h, what + " while being hashed");
            }
            return r.withHash(h, null);
        } catch (NoSuchFileException e) {
            problem(sink, stats, r.path(), "vanished while being hashed");
            return r.withHash(null, "vanished while being hashed");
        } catch (IOException e) {
            problem(sink, stats, r.path(), "cannot read: " + reason(e));
            return r.withHash(null, "cannot read: " + reason(e));
        } catch (LastErrorException e) {
            problem(sink, stats, r.path(), "cannot stat: " + Libc.reason(e.getErrorCode()));
            return r.withHash(null, "cannot stat: " + Libc.reason(e.getErrorCode()));
        }
    }

    /** An entry of a directory being listed, while the directory is open: where it is, and its absolute raw path. */
    private interface EntryVisitor {
        void visit(OpenDirectory dir, OpenDirectory.Entry entry, byte[] path);
    }

    /**
     * Lists the directory {@code dir} records as a walk does (see {@link #children}), handing each entry's
     * absolute raw path to {@code each}; a directory that vanished, cannot be listed or was replaced since it was
     * stat'ed is said to the sink.
     */
    public void list(FileRecord dir, Sink sink, ScanStats stats, Consumer<byte[]> each) {
        listOpen(dir, sink, stats, n -> { }, (d, e, path) -> each.accept(path));
    }

    /**
     * Opens the directory {@code dir} records, refusing it if it is no longer that directory (see
     * {@link OpenDirectory}), lists it, takes in its {@link Excludes#IGNORE_FILE} if the listing has one (and
     * forgets the rules of one it had before otherwise), tells {@code listed} how many entries it has, then hands each
     * entry to {@code each} while the directory is open; a directory that vanished or cannot be listed is said to the
     * sink.
     */
    private void listOpen(FileRecord dir, Sink sink, ScanStats stats, IntConsumer listed, EntryVisitor each) {
        byte[] raw = dir.path();
        try (OpenDirectory d = OpenDirectory.open(dir)) {
            List<OpenDirectory.Entry> entries = d.list();
            // Looked for in the listing: probing every directory for one cost two exceptions per directory.
            boolean ignoreFile = false;
            for (OpenDirectory.Entry e : entries) {
                ignoreFile |= Arrays.equals(e.name(), 0, e.name().length - 1,
                        Excludes.IGNORE_FILE_NAME, 0, Excludes.IGNORE_FILE_NAME.length);
            }
            if (ignoreFile) {
                loadIgnoreFile(raw, sink, stats);
            } else {
                options.excludes().forgetIgnoreFile(raw);
            }
            listed.accept(entries.size());
            for (OpenDirectory.Entry e : entries) {
                each.visit(d, e, PathBytes.child(raw, e.rawName()));
            }
        } catch (NoSuchFileException e) {
            options.excludes().forgetIgnoreFile(raw);
            problem(sink, stats, raw, "vanished before it could be listed");
        } catch (IOException e) {
            options.excludes().forgetIgnoreFile(raw);
            problem(sink, stats, raw, "cannot list directory: " + reason(e));
        }
    }

    private void loadIgnoreFile(byte[] raw, Sink sink, ScanStats stats) {
        try {
            options.excludes().loadIgnoreFile(raw);
        } catch (IOException e) {
            problem(sink, stats, PathBytes.child(raw, Excludes.IGNORE_FILE_NAME), "cannot read: " + reason(e));
        }
    }

    private static void problem(Sink sink, ScanStats stats, byte[] path, String message) {
        stats.errors.increment();
        sink.problem(path, message);
    }

    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemLoopException) {
            return "file system loop";
        }
        String m = e.getMessage();
        String file = e instanceof java.nio.file.FileSystemException fse ? fse.getFile() : null;
        String r = e instanceof java.nio.file.FileSystemException fse ? fse.getReason() : null;
        return r != null ? r : m != null && file != null ? m.replace(file, "").strip() : String.valueOf(m);
    }

    /** One recorded entry of a listed directory, and whether a walk goes into it. */
    record Listed(FileRecord record, boolean descend) {
    }

    /**
     * Records a root of a walk, with its content if this scan hashes; null if it cannot be stat'ed (said to the
     * sink). Its device is the one {@link ScanOptions#oneFilesystem()} keeps to.
     */
    FileRecord root(byte[] raw, Sink sink, ScanStats stats) {
        FileRecord r = record(raw, sink, stats);
        if (r == null) {
            return null;
        }
        stats.entries.increment();
        return withContent(r, sink, stats);
    }

    /**
     * Lists the directory {@code dir} records and records its entries that are not excluded, with content if this
     * scan hashes. An entry the listing says is a directory or not is excluded or kept before it is stat'ed; one
     * whose type the listing does not give, or gives wrongly (it was replaced since), is decided once stat'ed.
     */
    List<Listed> children(FileRecord dir, long rootDevice, Sink sink, ScanStats stats) {
        Excludes.InDirectory excludes = options.excludes().inDirectory(dir.path());
        // sized once listed: grown from ten entries, the list was copied a few times a directory (about 1.5 % of a
        // quick check's CPU in the walkers' adds)
        ArrayList<Listed> out = new ArrayList<>();
        listOpen(dir, sink, stats, out::ensureCapacity, (d, e, path) -> {
            boolean listedDirectory = e.type() == OpenDirectory.DT_DIR;
            boolean typeKnown = e.type() != OpenDirectory.DT_UNKNOWN;
            if (typeKnown && excludes.excluded(path, listedDirectory)) {
                return;
            }
            FileRecord r = entry(d, e, path, sink, stats);
            if (r == null) {
                return;
            }
            boolean directory = r.type() == EntryType.DIRECTORY;
            if ((!typeKnown || directory != listedDirectory) && excludes.excluded(path, directory)) {
                return;
            }
            out.add(new Listed(r, directory && (!options.oneFilesystem() || r.device() == rootDevice)));
        });
        // counted once a directory, not once an entry: two walkers adding to the shared counter for every entry
        // were about 4 % of a walker's time in a quick check (contended cells of the LongAdder)
        stats.entries.add(out.size());
        return out;
    }

    /**
     * Records an entry of an open directory, with content if this scan hashes; null if it vanished or cannot be
     * stat'ed (said to the sink).
     */
    private FileRecord entry(OpenDirectory d, OpenDirectory.Entry e, byte[] path, Sink sink, ScanStats stats) {
        if (e.type() == OpenDirectory.DT_REG && options.hashContent()) {
            FileRecord r = regularFile(d, e, path, sink, stats);
            if (r != null) {
                return r;
            }
        }
        Statx st;
        try {
            st = d.stat(e, path);
        } catch (NoSuchFileException x) {
            problem(sink, stats, path, "vanished before it could be read");
            return null;
        } catch (LastErrorException x) {
            problem(sink, stats, path, "cannot stat: " + Libc.reason(x.getErrorCode()));
            return null;
        }
        // the target's reader made for a symlink only: under the quick compiler each capturing lambda made is a
        // call into the VM (Unsafe.allocateInstance), about 1 % of a quick check's CPU when made for every entry
        Supplier<byte[]> link = EntryType.fromMode(st.mode()) == EntryType.SYMLINK ? () -> d.readLink(e, path) : null;
        FileRecord r = record(path, st, link, sink, stats);
        return withContent(options.xattrs() ? withXattrs(r, sink, stats) : r, sink, stats);
    }

    /**
     * Records a regular file through one descriptor: opened (never through a symlink, never blocking), stat'ed,
     * its extended attributes and content read and stat'ed again to tell a change while it was hashed, with no path
     * looked up again; the record is of what was read. Null if it cannot be opened or is no longer a regular file,
     * for the caller to record it by name, which says why.
     */
    private FileRecord regularFile(OpenDirectory d, OpenDirectory.Entry e, byte[] path, Sink sink, ScanStats stats) {
        try (OpenedFile f = d.openFile(e, path)) {
            Statx st = f.stat();
            if (EntryType.fromMode(st.mode()) != EntryType.FILE) {
                return null;
            }
            FileRecord r = record(path, st, null, sink, stats);
            if (options.xattrs()) {
                r = withXattrs(r, f, sink, stats);
            }
            return hashed(r, f, Integer.MAX_VALUE, null, sink, stats);
        } catch (IOException x) {
            return null;
        }
    }

    private final class RootTask extends RecursiveAction {
        private final Path root;
        private final Sink sink;
        private final ScanStats stats;

        RootTask(Path root, Sink sink, ScanStats stats) {
            this.root = root;
            this.sink = sink;
            this.stats = stats;
        }

        @Override
        protected void compute() {
            Path abs = root.toAbsolutePath().normalize();
            byte[] raw = PathBytes.of(abs);
            FileRecord r = root(raw, sink, stats);
            if (r == null) {
                return;
            }
            sink.entry(r);
            if (r.type() == EntryType.DIRECTORY) {
                new DirectoryTask(r, r.device(), sink, stats).compute();
            }
        }
    }

    private final class DirectoryTask extends RecursiveAction {
        private final FileRecord dir;
        private final long rootDevice;
        private final Sink sink;
        private final ScanStats stats;

        DirectoryTask(FileRecord dir, long rootDevice, Sink sink, ScanStats stats) {
            this.dir = dir;
            this.rootDevice = rootDevice;
            this.sink = sink;
            this.stats = stats;
        }

        @Override
        protected void compute() {
            List<DirectoryTask> subdirs = new ArrayList<>();
            for (Listed child : children(dir, rootDevice, sink, stats)) {
                sink.entry(child.record());
                if (child.descend()) {
                    subdirs.add(new DirectoryTask(child.record(), rootDevice, sink, stats));
                }
            }
            invokeAll(subdirs);
        }
    }
}
