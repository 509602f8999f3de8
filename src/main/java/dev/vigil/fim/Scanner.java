package dev.vigil.fim;

import com.sun.jna.LastErrorException;
import dev.vigil.os.Libc;
import dev.vigil.os.PathBytes;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Walks trees in parallel and records every entry: one fork/join task per directory, so idle workers steal
 * whole subtrees, and each worker hashes the files of the directory it lists with its own {@link Hasher}.
 *
 * <p>Hostile trees never hang or end the scan: symlinks are recorded and never followed (so a symlink loop is
 * just a link); FIFOs, sockets and devices are recorded and never opened; an entry that vanishes is reported
 * and skipped; an unreadable file or directory is recorded with its error and counted; a file whose size or
 * times change while it is hashed is recorded with an error saying so.
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
        EntryType type = EntryType.fromMode(st.mode());
        String error = null;
        byte[] target = null;
        try {
            if (type == EntryType.SYMLINK) {
                target = Xattrs.readLink(raw);
            }
        } catch (LastErrorException e) {
            error = "cannot read link: errno " + e.getErrorCode();
            problem(sink, stats, raw, error);
        }
        FileRecord r = new FileRecord(raw, type, st.size(), st.mode(), st.uid(), st.gid(), st.inode(), st.device(),
                st.links(), st.mtimeNs(), st.ctimeNs(), target, null, null, error);
        return options.xattrs() ? withXattrs(r, sink, stats) : r;
    }

    /** The record with the entry's extended attributes, read now; an error reading them is said to the sink. */
    public FileRecord withXattrs(FileRecord r, Sink sink, ScanStats stats) {
        try {
            return r.withXattrs(Xattrs.read(r.path()), r.error());
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
        try {
            String h = hashers.get().hash(r.path(), chunk, r.size(), afterRead);
            stats.bytesHashed.add(r.size());
            Statx after = Statx.of(r.path());
            if (after.size() != r.size() || after.mtimeNs() != r.mtimeNs() || after.ctimeNs() != r.ctimeNs()) {
                String what = after.size() > r.size() ? "grew" : "changed";
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

    /** A directory's entry as listed: the path to open it by and its raw bytes. */
    public record Child(Path path, byte[] raw) {
    }

    /**
     * Lists the directory, takes in its {@link Excludes#IGNORE_FILE} if the listing has one (and forgets the
     * rules of one it had before otherwise), then hands each entry to {@code each}; a directory that vanished or
     * cannot be listed is said to the sink.
     */
    public void list(Path dir, byte[] raw, Sink sink, ScanStats stats, Consumer<Child> each) {
        List<Child> children = new ArrayList<>();
        boolean ignoreFile = false;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path child : entries) {
                byte[] name = PathBytes.name(child);
                ignoreFile |= Arrays.equals(name, Excludes.IGNORE_FILE_NAME);
                children.add(new Child(child, PathBytes.child(raw, name)));
            }
        } catch (NoSuchFileException e) {
            problem(sink, stats, raw, "vanished before it could be listed");
        } catch (IOException | java.io.UncheckedIOException | java.nio.file.DirectoryIteratorException e) {
            // an I/O error part-way through a listing comes out of the iterator, wrapped
            IOException io = e instanceof IOException ioe ? ioe : (IOException) e.getCause();
            problem(sink, stats, raw, "cannot list directory: " + reason(io));
        }
        // Looked for in the listing: probing every directory for one cost two exceptions per directory.
        if (ignoreFile) {
            loadIgnoreFile(raw, sink, stats);
        } else {
            options.excludes().forgetIgnoreFile(raw);
        }
        children.forEach(each);
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
    record Listed(Path path, FileRecord record, boolean descend) {
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

    /** Lists one directory and records its entries that are not excluded, with content if this scan hashes. */
    List<Listed> children(Path dir, byte[] raw, long rootDevice, Sink sink, ScanStats stats) {
        Excludes excludes = options.excludes();
        List<Listed> out = new ArrayList<>();
        list(dir, raw, sink, stats, child -> {
            FileRecord r = record(child.raw(), sink, stats);
            if (r == null || excludes.excludedInWalk(child.raw(), r.type() == EntryType.DIRECTORY)) {
                return;
            }
            stats.entries.increment();
            boolean descend = r.type() == EntryType.DIRECTORY && (!options.oneFilesystem() || r.device() == rootDevice);
            out.add(new Listed(child.path(), withContent(r, sink, stats), descend));
        });
        return out;
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
                new DirectoryTask(abs, raw, r.device(), sink, stats).compute();
            }
        }
    }

    private final class DirectoryTask extends RecursiveAction {
        private final Path dir;
        private final byte[] raw;
        private final long rootDevice;
        private final Sink sink;
        private final ScanStats stats;

        DirectoryTask(Path dir, byte[] raw, long rootDevice, Sink sink, ScanStats stats) {
            this.dir = dir;
            this.raw = raw;
            this.rootDevice = rootDevice;
            this.sink = sink;
            this.stats = stats;
        }

        @Override
        protected void compute() {
            List<DirectoryTask> subdirs = new ArrayList<>();
            for (Listed child : children(dir, raw, rootDevice, sink, stats)) {
                sink.entry(child.record());
                if (child.descend()) {
                    subdirs.add(new DirectoryTask(child.path(), child.record().path(), rootDevice, sink, stats));
                }
            }
            invokeAll(subdirs);
        }
    }
}
