package dev.vigil.watch;

import dev.vigil.os.PathBytes;
import dev.vigil.os.Libc;
import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fallback reader: inotify, one watch per directory, added recursively and for every directory that
 * appears (whose existing entries are then reported as created, since they may predate the new watch).
 * inotify cannot say which process made a change, so events are unattributed. When the per-user watch limit
 * is reached the directories left without a watch are listed in {@link #uncovered()} for the caller to check
 * another way (the daemon runs a trickle over them).
 * Java's WatchService is not used: it is not recursive on Linux, polls in a background thread, and reports
 * neither close-after-write nor rename pairs.
 */
final class InotifySource implements Source {

    private static final Logger LOG = LoggerFactory.getLogger(InotifySource.class);

    private final WatchOptions options;
    private final EventSink sink;
    private final int fd;
    private final int mask;
    private final Map<Integer, Path> paths = new HashMap<>();
    private final Map<Path, Integer> watches = new HashMap<>();
    /** Directories left without a watch (the limit), each once however often a walk meets it. */
    private final Set<Path> uncovered = Collections.synchronizedSet(new LinkedHashSet<>());
    private final Wakeup wakeup = new Wakeup();
    private final String reason;
    private final RenamePairing renames;
    private boolean limitReported;
    /**
     * The kernel said it lost events in the batch being read: the areas are walked again after it, and only then is
     * the overflow told, so the check it asks for comes after the walk (a file written in a directory made in the
     * lost window, between the check and the walk, would have been seen by neither).
     */
    private boolean lostInBatch;
    /** The watches a walk of {@link #rewatchAreas} met, while it walks; null otherwise. */
    private Set<Integer> met;
    /** A walk since {@link #rewatchAreas} began could not read part of a tree. */
    private boolean walkIncomplete;

    InotifySource(WatchOptions options, EventSink sink, String reason) throws WatchException {
        if (!Libc.SUPPORTED) {
            throw new WatchException("inotify needs 64-bit Linux");
        }
        this.options = options;
        this.sink = sink;
        this.reason = reason;
        this.renames = new RenamePairing(options, sink, pid -> null);
        try {
            fd = Libc.inotify_init1(Libc.IN_NONBLOCK | Libc.IN_CLOEXEC);
        } catch (LastErrorException e) {
            throw new WatchException("inotify_init1 refused: " + e.getMessage(), e);
        }
        Set<EventType> asked = EnumSet.of(EventType.CREATE, EventType.DELETE, EventType.CLOSE_WRITE, EventType.ATTRIB,
                EventType.MOVED_FROM, EventType.MOVED_TO, EventType.DELETE_SELF, EventType.MOVE_SELF);
        asked.addAll(options.extraEvents()); // those inotify has no bit for (OPEN_EXEC) add nothing
        mask = EventType.inotifyMask(asked);
        for (Path area : options.areas()) {
            addTree(area);
        }
        if (paths.isEmpty()) {
            close();
            throw new WatchException("no area could be watched (do they exist?): " + options.areas());
        }
    }

    /**
     * After the kernel lost events, the areas are walked again: a directory made among them had no watch (its events
     * never came, until a restart), one renamed among them was named where it had been (a watch added again is the
     * same one, named anew), and one moved out or removed kept its watch and its old path. Watches the walk does not
     * meet are removed. At every loss: a walk put off left the picture wrong while nothing else came to read.
     */
    private void rewatchAreas() {
        lostInBatch = false;
        met = new HashSet<>();
        walkIncomplete = false;
        try {
            for (Path area : options.areas()) {
                addTree(area);
            }
            if (walkIncomplete) {
                return; // a directory it could not list may hold watches it did not meet: none is taken as gone
            }
            for (Iterator<Map.Entry<Integer, Path>> it = paths.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Integer, Path> watch = it.next();
                if (!met.contains(watch.getKey())) {
                    it.remove();
                    watches.remove(watch.getValue(), watch.getKey());
                    try {
                        Libc.inotify_rm_watch(fd, watch.getKey());
                    } catch (LastErrorException e) {
                        // already gone with its directory
                    }
                }
            }
        } finally {
            met = null;
        }
    }

    /** What a walk could not read, unless it is only gone (removed while walked), makes the walk incomplete. */
    private void failed(IOException exc) {
        if (exc != null && !(exc instanceof NoSuchFileException)) {
            walkIncomplete = true;
        }
    }

    /** Watches the tree at {@code root} where it lacks watches; returns the topmost directories newly watched. */
    private List<Path> addTree(Path root) {
        List<Path> fresh = new ArrayList<>();
        if (!Files.isDirectory(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            addWatch(root, false);
            return fresh;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(root) && !options.relevantDirectory(dir)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    boolean known = watches.containsKey(dir);
                    if (!addWatch(dir, true)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (!known && fresh.stream().noneMatch(dir::startsWith)) {
                        fresh.add(dir);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    failed(exc);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) {
                    // a listing that failed part way (EIO, ESTALE) leaves the rest of the tree to walk
                    failed(exc);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            walkIncomplete = true;
            LOG.warn("cannot walk {}: {}", root, e.getMessage());
        }
        return fresh;
    }

    private boolean addWatch(Path path, boolean directory) {
        int wd;
        try {
            wd = Libc.inotify_add_watch(fd, PathBytes.cString(path),
                    mask | Libc.IN_DONT_FOLLOW | Libc.IN_EXCL_UNLINK | (directory ? Libc.IN_ONLYDIR : 0));
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Libc.ENOSPC) {
                uncovered.add(path);
                if (!limitReported) {
                    limitReported = true;
                    LOG.warn("inotify watch limit reached at {} ({} watches): raise it with "
                            + "'sysctl fs.inotify.max_user_watches=N'; directories without a watch are left to "
                            + "a trickle check", path, paths.size());
                }
            }
            return false;
        }
        if (met != null) {
            met.add(wd);
        }
        Path previous = paths.put(wd, path);
        if (previous != null && !previous.equals(path)) {
            // only if it still names this watch: a directory made at the old name since has a watch of its own
            watches.remove(previous, wd);
        }
        watches.put(path, wd);
        return true;
    }

    @Override
    public void run() {
        new KernelEventReader(fd, wakeup, sink, 0).run(new KernelEventReader.Batches() {
            @Override
            public void batch(byte[] batch, int length) {
                parseBatch(batch, length, Instant.now());
                if (lostInBatch) {
                    rewatchAreas();
                    sink.emit(FileEvent.overflow(null, Instant.now(), "inotify queue overflow: kernel dropped events"));
                }
            }

            @Override
            public void drained() {
                flushRename();
            }
        });
    }

    private void parseBatch(byte[] batch, int length, Instant now) {
        ByteBuffer buf = ByteBuffer.wrap(batch, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        int off = 0;
        while (off + 16 <= length) {
            int wd = buf.getInt(off);
            int m = buf.getInt(off + 4);
            int cookie = buf.getInt(off + 8);
            int nameLength = buf.getInt(off + 12);
            int nameEnd = off + 16;
            while (nameEnd < off + 16 + nameLength && batch[nameEnd] != 0) {
                nameEnd++;
            }
            event(wd, m, cookie, batch, off + 16, nameEnd, now);
            off += 16 + nameLength;
        }
    }

    private void event(int wd, int m, int cookie, byte[] batch, int nameStart, int nameEnd, Instant now) {
        if ((m & Libc.IN_Q_OVERFLOW) != 0) {
            flushRename();
            lostInBatch = true;
            return;
        }
        Path dir = paths.get(wd);
        if ((m & Libc.IN_IGNORED) != 0) {
            Path gone = paths.remove(wd);
            if (gone != null && Integer.valueOf(wd).equals(watches.get(gone))) {
                watches.remove(gone);
            }
            return;
        }
        if (dir == null) {
            return;
        }
        Path path = nameEnd > nameStart ? PathBytes.child(dir, batch, nameStart, nameEnd - nameStart) : dir;
        boolean directory = (m & Libc.IN_ISDIR) != 0;
        if ((m & Libc.IN_MOVED_FROM) != 0) {
            flushRename();
            renames.movedFrom(cookie, path, directory, -1, now);
            return;
        }
        RenamePairing.Half from = (m & Libc.IN_MOVED_TO) != 0 ? renames.movedTo(cookie) : null;
        if (from != null) {
            if (directory) {
                movePrefix(from.from(), path);
            }
            emitMove(from.from(), path, directory, now);
            return;
        }
        flushRename();
        if (directory && (m & (Libc.IN_CREATE | Libc.IN_MOVED_TO)) != 0 && options.relevantDirectory(path)) {
            addTree(path);
            // entries made before the watch existed are reported here; later ones come from the kernel
            announceContents(path, now);
        }
        if (!options.covers(path)) {
            return;
        }
        if ((m & (Libc.IN_DELETE_SELF | Libc.IN_MOVE_SELF)) != 0 && !options.areas().contains(path)) {
            // the parent already reported DELETE or the move; only an area root's own fate is news
            return;
        }
        Set<EventType> types = EventType.ofInotify(m);
        if (!types.isEmpty()) {
            sink.emit(FileEvent.unattributed(types, path, null, directory, now, -1));
        }
    }

    private void announceContents(Path dir, Instant now) {
        try (var entries = Files.walk(dir)) {
            entries.filter(p -> !p.equals(dir) && options.covers(p)).forEach(p -> sink.emit(FileEvent.unattributed(
                    Set.of(EventType.CREATE), p, null, Files.isDirectory(p), now, -1)));
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.debug("new directory {} vanished while listed: {}", dir, e.getMessage());
        }
    }

    private void emitMove(Path from, Path to, boolean directory, Instant now) {
        boolean toCovered = options.covers(to);
        // Watches first, so what is done in the moved tree once the move is told is seen. A directory moved in
        // needs them all. One moved within has its watches, but a directory made inside just before the move is
        // seen under its old name, when it can no longer be watched by that name (mkdir -p a/b && mv a c).
        List<Path> fresh = directory && toCovered && options.relevantDirectory(to) ? addTree(to) : List.of();
        EventType told = renames.tell(from, to, directory, -1, now);
        if (told == EventType.MOVED) {
            // what was made in such a directory before its watch existed is reported here, as for a new one
            fresh.forEach(d -> announceContents(d, now));
        }
        if (directory && told == EventType.MOVED_TO && !Files.isDirectory(to, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            sink.emit(FileEvent.overflow(to, now, "directory moved into the watched area changed before it "
                    + "could be watched; check it"));
        }
    }

    /** Tells a rename out of the watched tree whose MOVED_TO did not come; a directory's watches go with it. */
    private void flushRename() {
        RenamePairing.Half left = renames.flush();
        if (left != null && left.directory()) {
            // moved out of the watched tree: its watches would report under a stale path
            for (Map.Entry<Path, Integer> e : new ArrayList<>(watches.entrySet())) {
                if (e.getKey().startsWith(left.from())) {
                    try {
                        Libc.inotify_rm_watch(fd, e.getValue());
                    } catch (LastErrorException ignored) {
                        // already gone
                    }
                    watches.remove(e.getKey());
                    paths.remove(e.getValue());
                }
            }
        }
    }

    private void movePrefix(Path from, Path to) {
        for (Map.Entry<Path, Integer> e : new ArrayList<>(watches.entrySet())) {
            if (e.getKey().startsWith(from)) {
                Path moved = to.resolve(from.relativize(e.getKey()));
                watches.remove(e.getKey());
                watches.put(moved, e.getValue());
                paths.put(e.getValue(), moved);
            }
        }
    }

    @Override
    public String notice() {
        return "file watch: inotify (" + reason + "; no process attribution) on " + options.areas()
                + (uncovered.isEmpty() ? "" : "; " + uncovered.size() + " directories not covered (watch limit, "
                + "raise fs.inotify.max_user_watches), left to a trickle check");
    }

    @Override
    public List<Path> uncovered() {
        synchronized (uncovered) {
            return List.copyOf(uncovered);
        }
    }

    @Override
    public int uncoveredCount() {
        return uncovered.size();
    }

    @Override
    public void stop() {
        wakeup.wake();
    }

    @Override
    public void close() {
        Libc.close(fd);
        wakeup.close();
    }
}
