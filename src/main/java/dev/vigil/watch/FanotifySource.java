package dev.vigil.watch;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import dev.vigil.os.ByteKey;
import dev.vigil.os.Libc;
import dev.vigil.os.PathBytes;
import dev.vigil.os.Proc;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads fanotify in FID mode (directory handle + name per event, Linux 5.9+; one RENAME event with both
 * ends on 5.17+) from marks on the filesystems (or mounts) holding the areas, resolves directory handles to
 * paths, drops everything outside the areas, attributes each event to its process and hands it on.
 *
 * <p>Handles of the directories inside the areas are learned up front (name_to_handle_at over the tree) and
 * kept current from the events themselves: a tree deleted by {@code rm -rf} is already gone when its events
 * are read, and open_by_handle_at could no longer name it. Other directories are resolved with
 * open_by_handle_at and remembered in a bounded cache as "not ours".
 */
final class FanotifySource implements Source {

    private static final Logger LOG = LoggerFactory.getLogger(FanotifySource.class);
    private static final int MAX_HANDLE_SZ = 128;
    private static final int FOREIGN_CACHE_SIZE = 16_384;

    private final WatchOptions options;
    private final ProcessTable processes;
    private final EventSink sink;
    private final int fd;
    private final boolean renameEvents;
    private final String notice;
    private final Map<Long, Integer> mountFds = new HashMap<>();
    private final List<Path> uncovered = new ArrayList<>();
    /**
     * Trees moved in from outside and walked, until a read begun after their walk has drained the kernel queue.
     * The walk runs after the batch holding the move was read, while an rm may still be deleting the tree: a
     * directory it removed before the walk listed its parent is never learned, and the deletions inside it are
     * already queued but only come in the next read. Settling at the drain that ends the move's own batch would
     * let those events through as "foreign", unreported and without an overflow.
     */
    private final List<Path> movedInUnsettled = new ArrayList<>();
    /** How many of {@link #movedInUnsettled} (the oldest) were walked before the latest read began. */
    private int movedInRead;
    private final Map<Integer, Long> fsidByMount = new HashMap<>();
    private final Map<ByteKey, Path> programDirs = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteKey, Path> eldest) {
            return size() > 1024;
        }
    };
    private final Map<ByteKey, Path> ours = new HashMap<>();
    private final Map<ByteKey, Boolean> foreign = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteKey, Boolean> eldest) {
            return size() > FOREIGN_CACHE_SIZE;
        }
    };
    /** The process of the last MODIFY of each path, while nothing else happened to it: a write() each repeats it. */
    private final Map<Path, Integer> lastModify = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Integer> eldest) {
            return size() > 4096;
        }
    };
    private final Memory handle = new Memory(MAX_HANDLE_SZ + 8);
    private final Wakeup wakeup = new Wakeup();
    private Pending pendingMove;
    private boolean caughtUp;

    /** A MOVED_FROM waiting for its MOVED_TO (kernels without FAN_RENAME). */
    private record Pending(ByteKey object, Path from, boolean directory, int pid, Instant time) {
    }

    /** One directory-handle + name record of an event, resolved. */
    private record Named(Path dir, Path path) {
    }

    /**
     * Opens the fanotify group and marks the areas' filesystems.
     *
     * @throws WatchException when the kernel refuses (not root, too old, filesystem without file handles)
     */
    FanotifySource(WatchOptions options, ProcessTable processes, EventSink sink) throws WatchException {
        if (!Libc.SUPPORTED) {
            throw new WatchException("fanotify needs 64-bit Linux");
        }
        this.options = options;
        this.processes = processes;
        this.sink = sink;
        int base = Libc.FAN_CLASS_NOTIF | Libc.FAN_CLOEXEC | Libc.FAN_NONBLOCK | Libc.FAN_REPORT_DFID_NAME
                | Libc.FAN_REPORT_FID | (options.unlimitedKernelQueue() ? Libc.FAN_UNLIMITED_QUEUE : 0);
        int group;
        boolean rename = true;
        try {
            group = Libc.fanotify_init(base | Libc.FAN_REPORT_TARGET_FID, Libc.O_RDONLY | Libc.O_CLOEXEC);
        } catch (LastErrorException e) {
            try {
                group = Libc.fanotify_init(base, Libc.O_RDONLY | Libc.O_CLOEXEC);
                rename = false;
            } catch (LastErrorException again) {
                throw new WatchException("fanotify_init in FID mode refused: " + again.getMessage()
                        + " (needs root/CAP_SYS_ADMIN and Linux 5.9+)", again);
            }
        }
        this.fd = group;
        this.renameEvents = rename;
        try {
            markAndLearn();
        } catch (WatchException | RuntimeException e) {
            close();
            throw e;
        }
        this.notice = "file watch: fanotify (" + options.markScope().name().toLowerCase() + " marks, "
                + (rename ? "rename events" : "moved_from/moved_to pairs") + ", attribution "
                + (processes.connected() ? "with process connector" : "from /proc only: short-lived processes "
                + "may be unknown") + ") on " + options.areas();
    }

    private long mask() {
        long mask = Libc.FAN_CREATE | Libc.FAN_DELETE | Libc.FAN_CLOSE_WRITE | Libc.FAN_ATTRIB
                | Libc.FAN_DELETE_SELF | Libc.FAN_MOVE_SELF | Libc.FAN_ONDIR;
        mask |= renameEvents ? Libc.FAN_RENAME : Libc.FAN_MOVED_FROM | Libc.FAN_MOVED_TO;
        Set<EventType> extra = options.extraEvents();
        // MODIFY names the writer: a process that only closes a descriptor it inherited gets CLOSE_WRITE alone
        if (extra.contains(EventType.MODIFY) || options.attribution()) {
            mask |= Libc.FAN_MODIFY;
        }
        if (extra.contains(EventType.OPEN_EXEC) || options.attribution()) {
            mask |= Libc.FAN_OPEN_EXEC;
        }
        if (extra.contains(EventType.ACCESS)) {
            mask |= Libc.FAN_ACCESS;
        }
        return mask;
    }

    /** Marks every filesystem under the areas and learns the handles of the directories in them. */
    private void markAndLearn() throws WatchException {
        int scope = options.markScope() == WatchOptions.MarkScope.MOUNT ? Libc.FAN_MARK_MOUNT
                : Libc.FAN_MARK_FILESYSTEM;
        for (Path area : options.areas()) {
            if (!Files.isDirectory(area)) {
                // a single file: its parent directory's handle is what its events carry
                area = area.getParent();
            }
            Path root = area;
            try {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                        if (!dir.equals(root) && !options.relevantDirectory(dir)) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        byte[] path = PathBytes.cString(dir);
                        int[] mountId = new int[1];
                        handle.setInt(0, MAX_HANDLE_SZ);
                        try {
                            Libc.name_to_handle_at(Libc.AT_FDCWD, path, handle, mountId, 0);
                        } catch (LastErrorException e) {
                            return notCovered(dir, new WatchException("no file handle for " + dir + " ("
                                    + e.getMessage() + "): fanotify in FID mode cannot watch this filesystem", e));
                        }
                        Long fsid = fsidByMount.get(mountId[0]);
                        if (fsid == null) {
                            try {
                                fsid = markFilesystem(dir, path, scope);
                            } catch (WatchMarkFailure e) {
                                return notCovered(dir, e.cause);
                            }
                            fsidByMount.put(mountId[0], fsid);
                        }
                        ours.put(key(fsid, handle.getByteArray(0, 8 + handle.getInt(0))), dir);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException exc) {
                        return FileVisitResult.CONTINUE;
                    }

                    /** An area root that cannot be watched fails the start; a mount inside it is left uncovered. */
                    private FileVisitResult notCovered(Path dir, WatchException why) {
                        if (dir.equals(root)) {
                            throw new WatchMarkFailure(why);
                        }
                        LOG.warn("{}; left to a trickle check", why.getMessage());
                        uncovered.add(dir);
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                });
            } catch (IOException e) {
                throw new WatchException("cannot walk " + area + ": " + e.getMessage(), e);
            } catch (WatchMarkFailure e) {
                throw e.cause;
            }
        }
        if (mountFds.isEmpty()) {
            throw new WatchException("no area could be marked (do they exist?): " + options.areas());
        }
        if (options.attribution()) {
            // programs usually live elsewhere than the areas: their exec opens name short-lived processes
            for (String bin : List.of("/usr/bin", "/bin", "/usr/sbin", "/usr/local/bin")) {
                Path dir = Path.of(bin);
                if (Files.isDirectory(dir)) {
                    try {
                        markExec(dir, PathBytes.cString(dir), scope);
                    } catch (WatchMarkFailure e) {
                        LOG.debug("no exec mark on {}: {}", dir, e.cause.getMessage());
                    }
                }
            }
        }
    }

    private void markExec(Path dir, byte[] path, int scope) {
        openMountFd(dir, path);
        try {
            Libc.fanotify_mark(fd, Libc.FAN_MARK_ADD | scope, Libc.FAN_OPEN_EXEC, Libc.AT_FDCWD, path);
        } catch (LastErrorException e) {
            throw new WatchMarkFailure(new WatchException("fanotify_mark on " + dir + ": " + e.getMessage(), e));
        }
    }

    /** Opens (once per filesystem) the descriptor open_by_handle_at needs and returns the filesystem id. */
    private long openMountFd(Path dir, byte[] path) {
        int mountFd;
        try {
            mountFd = Libc.open(path, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new WatchMarkFailure(new WatchException("cannot open " + dir + ": " + e.getMessage(), e));
        }
        long fsid;
        try (Memory statfs = new Memory(120)) {
            Libc.fstatfs(mountFd, statfs);
            fsid = statfs.getLong(56);
        }
        Integer previous = mountFds.putIfAbsent(fsid, mountFd);
        if (previous != null) {
            Libc.close(mountFd);
        }
        return fsid;
    }

    /** Carries a checked WatchException out of a file visitor. */
    private static final class WatchMarkFailure extends RuntimeException {
        private final WatchException cause;

        WatchMarkFailure(WatchException cause) {
            super(cause);
            this.cause = cause;
        }
    }

    private long markFilesystem(Path dir, byte[] path, int scope) {
        long fsid = openMountFd(dir, path);
        try {
            Libc.fanotify_mark(fd, Libc.FAN_MARK_ADD | scope, mask(), Libc.AT_FDCWD, path);
        } catch (LastErrorException e) {
            throw new WatchMarkFailure(new WatchException("fanotify_mark on " + dir + " refused: " + e.getMessage()
                    + (e.getErrorCode() == 22 ? " (event kinds not supported for this mark scope or filesystem)"
                    : e.getErrorCode() == 18 || e.getErrorCode() == 95
                    ? " (filesystem without file handles or with a zero fsid)" : ""), e));
        }
        return fsid;
    }

    private static ByteKey key(long fsid, byte[] fileHandle) {
        byte[] bytes = new byte[8 + fileHandle.length];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(fsid).put(fileHandle);
        return ByteKey.of(bytes);
    }

    @Override
    public void run() {
        new KernelEventReader(fd, wakeup, sink).run(new KernelEventReader.Batches() {
            @Override
            public void batch(byte[] batch, int length) {
                caughtUp = false;
                movedInRead = movedInUnsettled.size();
                parseBatch(batch, length, Instant.now());
            }

            @Override
            public void drained() {
                flushPendingMove();
                movedInUnsettled.subList(0, movedInRead).clear();
                movedInRead = 0;
            }
        });
    }

    private void parseBatch(byte[] batch, int length, Instant now) {
        ByteBuffer buf = ByteBuffer.wrap(batch, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        int off = 0;
        while (off + 24 <= length) {
            int eventLength = buf.getInt(off);
            if (eventLength < 24 || off + eventLength > length) {
                break;
            }
            int metadataLength = buf.getShort(off + 6) & 0xffff;
            long mask = buf.getLong(off + 8);
            int pid = buf.getInt(off + 20);
            if ((mask & Libc.FAN_Q_OVERFLOW) != 0) {
                flushPendingMove();
                sink.emit(FileEvent.overflow(null, now, "fanotify queue overflow: kernel dropped events"));
            } else {
                event(batch, buf, off + metadataLength, off + eventLength, mask, pid, now);
            }
            off += eventLength;
        }
    }

    private void event(byte[] batch, ByteBuffer buf, int start, int end, long mask, int pid, Instant now) {
        Named plain = null;
        Named oldName = null;
        Named newName = null;
        ByteKey object = null;
        if ((mask & Libc.FAN_OPEN_EXEC) != 0 && options.attribution()) {
            noteExec(batch, buf, start, end, pid);
            if (!options.extraEvents().contains(EventType.OPEN_EXEC)) {
                mask &= ~Libc.FAN_OPEN_EXEC;
                if ((mask & ~Libc.FAN_ONDIR) == 0) {
                    return;
                }
            }
        }
        for (int i = start; i + 4 <= end; ) {
            int type = batch[i] & 0xff;
            int recordLength = buf.getShort(i + 2) & 0xffff;
            if (recordLength < 4 || i + recordLength > end) {
                break;
            }
            if (type == Libc.FAN_EVENT_INFO_TYPE_FID || type == Libc.FAN_EVENT_INFO_TYPE_DFID
                    || type == Libc.FAN_EVENT_INFO_TYPE_DFID_NAME || type == Libc.FAN_EVENT_INFO_TYPE_OLD_DFID_NAME
                    || type == Libc.FAN_EVENT_INFO_TYPE_NEW_DFID_NAME) {
                int handleBytes = buf.getInt(i + 12);
                int keyEnd = i + 20 + handleBytes;
                ByteKey key = ByteKey.copyOf(batch, i + 4, keyEnd - (i + 4));
                if (type == Libc.FAN_EVENT_INFO_TYPE_FID) {
                    object = key;
                } else if (type != Libc.FAN_EVENT_INFO_TYPE_DFID) {
                    Path dir = directory(key, buf.getLong(i + 4), batch, i + 12, 8 + handleBytes);
                    if (dir != null) {
                        int nameEnd = keyEnd;
                        while (nameEnd < i + recordLength && batch[nameEnd] != 0) {
                            nameEnd++;
                        }
                        Path path = nameEnd - keyEnd == 1 && batch[keyEnd] == '.' ? dir
                                : PathBytes.child(dir, batch, keyEnd, nameEnd - keyEnd);
                        Named named = new Named(dir, path);
                        if (type == Libc.FAN_EVENT_INFO_TYPE_OLD_DFID_NAME) {
                            oldName = named;
                        } else if (type == Libc.FAN_EVENT_INFO_TYPE_NEW_DFID_NAME) {
                            newName = named;
                        } else {
                            plain = named;
                        }
                    }
                }
            }
            i += recordLength;
        }
        boolean directory = (mask & Libc.FAN_ONDIR) != 0;
        if (directory) {
            trackDirectory(mask, object, plain, oldName, newName);
        }
        if ((mask & Libc.FAN_RENAME) != 0) {
            rename(oldName, newName, directory, pid, now);
            mask &= ~Libc.FAN_RENAME;
            if ((mask & ~(Libc.FAN_ONDIR)) == 0) {
                return;
            }
        }
        Path path = plain != null ? plain.path : null;
        if (path == null && object != null && (mask & (Libc.FAN_DELETE_SELF | Libc.FAN_MOVE_SELF)) != 0) {
            path = ours.get(object);
        }
        if (path == null) {
            return;
        }
        if ((mask & Libc.FAN_MOVED_FROM) != 0) {
            flushPendingMove();
            if (object != null) {
                pendingMove = new Pending(object, path, directory, pid, now);
                mask &= ~Libc.FAN_MOVED_FROM;
                if ((mask & ~Libc.FAN_ONDIR) == 0) {
                    return;
                }
            }
        }
        if ((mask & Libc.FAN_MOVED_TO) != 0 && pendingMove != null && pendingMove.object.equals(object)) {
            Pending from = pendingMove;
            pendingMove = null;
            rename(new Named(from.from.getParent(), from.from), new Named(path.getParent(), path), directory, pid,
                    now);
            return;
        }
        flushPendingMove();
        if (!options.covers(path)) {
            return;
        }
        Set<EventType> types = withoutRepeatedModify(types(mask), path, pid);
        if (!types.isEmpty()) {
            sink.emit(FileEvent.attributed(types, path, null, directory, now, process(pid)));
        }
    }

    /**
     * The kinds of this event less a MODIFY that repeats the same process's MODIFY of the path with no event
     * without one in between: the kernel sends one per write() once the reader has taken the previous one, and
     * the history needs one per writer.
     */
    private Set<EventType> withoutRepeatedModify(Set<EventType> types, Path path, int pid) {
        if (!types.contains(EventType.MODIFY)) {
            lastModify.remove(path);
            return types;
        }
        Integer last = lastModify.put(path, pid);
        if (last == null || last != pid) {
            return types;
        }
        Set<EventType> rest = EnumSet.copyOf(types);
        rest.remove(EventType.MODIFY);
        return rest;
    }

    /**
     * Lets the process table apply the exec/fork messages that preceded the current batch, once per batch and
     * only for a batch that needs a process: most batches on a filesystem mark are foreign and dropped.
     */
    private void catchUp() {
        if (!caughtUp) {
            processes.catchUp();
            caughtUp = true;
        }
    }

    private ProcessInfo process(int pid) {
        catchUp();
        return processes.lookup(pid);
    }

    /** Tells the process table which program {@code pid} just executed (from the DFID_NAME record). */
    private void noteExec(byte[] batch, ByteBuffer buf, int start, int end, int pid) {
        for (int i = start; i + 20 <= end; ) {
            int recordLength = buf.getShort(i + 2) & 0xffff;
            if (recordLength < 4) {
                return;
            }
            if ((batch[i] & 0xff) == Libc.FAN_EVENT_INFO_TYPE_DFID_NAME) {
                int handleBytes = buf.getInt(i + 12);
                int keyEnd = i + 20 + handleBytes;
                ByteKey key = ByteKey.copyOf(batch, i + 4, keyEnd - (i + 4));
                Path dir = ours.get(key);
                if (dir == null) {
                    dir = programDirs.get(key);
                }
                if (dir == null) {
                    dir = open(buf.getLong(i + 4), batch, i + 12, 8 + handleBytes);
                    if (dir == null) {
                        return;
                    }
                    programDirs.put(key, dir);
                }
                int nameEnd = keyEnd;
                while (nameEnd < i + recordLength && batch[nameEnd] != 0) {
                    nameEnd++;
                }
                catchUp();
                processes.noteExec(pid, PathBytes.child(dir, batch, keyEnd, nameEnd - keyEnd));
                return;
            }
            i += recordLength;
        }
    }

    private void rename(Named from, Named to, boolean directory, int pid, Instant now) {
        boolean fromCovered = from != null && options.covers(from.path);
        boolean toCovered = to != null && options.covers(to.path);
        if (directory && from != null && to != null) {
            movePrefix(from.path, to.path);
        }
        if (from != null) {
            lastModify.remove(from.path);
        }
        if (to != null) {
            lastModify.remove(to.path);
        }
        ProcessInfo process = fromCovered || toCovered ? process(pid) : null;
        if (fromCovered && toCovered) {
            sink.emit(FileEvent.attributed(Set.of(EventType.MOVED), to.path, from.path, directory, now, process));
        } else if (fromCovered) {
            sink.emit(FileEvent.attributed(Set.of(EventType.MOVED_FROM), from.path, null, directory, now, process));
        } else if (toCovered) {
            sink.emit(FileEvent.attributed(Set.of(EventType.MOVED_TO), to.path, from == null ? null : from.path,
                    directory, now, process));
        }
    }

    private void flushPendingMove() {
        if (pendingMove != null) {
            Pending p = pendingMove;
            pendingMove = null;
            if (options.covers(p.from)) {
                sink.emit(FileEvent.attributed(Set.of(EventType.MOVED_FROM), p.from, null, p.directory, p.time,
                        process(p.pid)));
            }
        }
    }

    /** Keeps the handle → path map of our directories right as directories come, go and move. */
    private void trackDirectory(long mask, ByteKey object, Named plain, Named oldName, Named newName) {
        if (object == null) {
            return;
        }
        if ((mask & Libc.FAN_CREATE) != 0 && plain != null && options.relevantDirectory(plain.path)) {
            ours.put(object, plain.path);
            foreign.remove(object);
        }
        if ((mask & Libc.FAN_DELETE) != 0 && plain != null) {
            ours.remove(object);
        }
        if ((mask & (Libc.FAN_RENAME | Libc.FAN_MOVED_TO | Libc.FAN_MOVED_FROM)) != 0) {
            // a directory moved between "ours" and "foreign" invalidates what we knew of its whole subtree
            foreign.clear();
            Named target = newName != null ? newName : (mask & Libc.FAN_MOVED_TO) != 0 ? plain : null;
            if (target != null && options.relevantDirectory(target.path)) {
                ours.put(object, target.path);
                if (oldName == null || !options.relevantDirectory(oldName.path)) {
                    if (learnTree(target.path)) {
                        movedInUnsettled.add(target.path);
                    } else {
                        movedInChanged(target.path);
                    }
                }
            } else if (target != null) {
                ours.remove(object);
            }
        }
    }

    /**
     * A tree moved in from outside changed before it could be followed: events under it may name directories
     * that no longer exist, so the caller is told to check it.
     */
    private void movedInChanged(Path root) {
        sink.emit(FileEvent.overflow(root, Instant.now(), "directory moved into the watched area changed before "
                + "it could be followed; check it"));
    }

    /**
     * Adds the handles of every directory under {@code root} (moved in from outside) so that their events can
     * be named even after an rm -rf; false when the tree was already gone or changing under the walk.
     */
    private boolean learnTree(Path root) {
        boolean[] complete = {Files.isDirectory(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)};
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!options.relevantDirectory(dir)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    int[] mountId = new int[1];
                    handle.setInt(0, MAX_HANDLE_SZ);
                    try {
                        Libc.name_to_handle_at(Libc.AT_FDCWD, PathBytes.cString(dir), handle, mountId, 0);
                    } catch (LastErrorException e) {
                        complete[0] = false;
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    Long fsid = fsidByMount.get(mountId[0]);
                    if (fsid == null) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    ours.put(key(fsid, handle.getByteArray(0, 8 + handle.getInt(0))), dir);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    complete[0] = false;
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            complete[0] = false;
        }
        return complete[0];
    }

    private void movePrefix(Path from, Path to) {
        List<Map.Entry<ByteKey, Path>> moved = new ArrayList<>();
        for (Map.Entry<ByteKey, Path> e : ours.entrySet()) {
            if (e.getValue().startsWith(from)) {
                moved.add(e);
            }
        }
        for (Map.Entry<ByteKey, Path> e : moved) {
            Path now = to.resolve(from.relativize(e.getValue()));
            if (options.relevantDirectory(now)) {
                ours.put(e.getKey(), now);
            } else {
                ours.remove(e.getKey());
            }
        }
    }

    /**
     * Our directory for this handle; null when it is not ours or can no longer be opened (a directory deleted
     * before its first event was read: ours are all learned in advance, so such a one is foreign).
     */
    private Path directory(ByteKey key, long fsid, byte[] batch, int handleOffset, int handleLength) {
        Path known = ours.get(key);
        if (known != null) {
            return known;
        }
        if (foreign.containsKey(key)) {
            return null;
        }
        Path dir = open(fsid, batch, handleOffset, handleLength);
        if (dir == null) {
            // a directory removed before the walk of a moved-in tree could list it looks just like a foreign one
            // removed: while such a walk is unsettled, an unresolvable directory makes us ask for a check
            movedInUnsettled.forEach(this::movedInChanged);
            movedInUnsettled.clear();
            movedInRead = 0;
            // a handle that no longer opens never will (handles carry the inode generation)
            foreign.put(key, Boolean.TRUE);
            return null;
        }
        if (options.relevantDirectory(dir)) {
            ours.put(key, dir);
            return dir;
        }
        foreign.put(key, Boolean.TRUE);
        return null;
    }

    /** The path of a directory handle through open_by_handle_at, null when it no longer exists. */
    private Path open(long fsid, byte[] batch, int handleOffset, int handleLength) {
        Integer mountFd = mountFds.get(fsid);
        if (mountFd == null) {
            return null;
        }
        handle.write(0, batch, handleOffset, handleLength);
        int dirFd;
        try {
            dirFd = Libc.open_by_handle_at(mountFd, handle, Libc.O_PATH | Libc.O_CLOEXEC);
        } catch (LastErrorException e) {
            return null;
        }
        try {
            return Proc.fdPath(dirFd);
        } catch (IOException e) {
            return null;
        } finally {
            Libc.close(dirFd);
        }
    }

    private static Set<EventType> types(long mask) {
        EnumSet<EventType> types = EnumSet.noneOf(EventType.class);
        if ((mask & Libc.FAN_CREATE) != 0) {
            types.add(EventType.CREATE);
        }
        if ((mask & Libc.FAN_MODIFY) != 0) {
            types.add(EventType.MODIFY);
        }
        if ((mask & Libc.FAN_CLOSE_WRITE) != 0) {
            types.add(EventType.CLOSE_WRITE);
        }
        if ((mask & Libc.FAN_ATTRIB) != 0) {
            types.add(EventType.ATTRIB);
        }
        if ((mask & Libc.FAN_DELETE) != 0) {
            types.add(EventType.DELETE);
        }
        if ((mask & Libc.FAN_MOVED_FROM) != 0) {
            types.add(EventType.MOVED_FROM);
        }
        if ((mask & Libc.FAN_MOVED_TO) != 0) {
            types.add(EventType.MOVED_TO);
        }
        if ((mask & Libc.FAN_DELETE_SELF) != 0) {
            types.add(EventType.DELETE_SELF);
        }
        if ((mask & Libc.FAN_MOVE_SELF) != 0) {
            types.add(EventType.MOVE_SELF);
        }
        if ((mask & Libc.FAN_OPEN_EXEC) != 0) {
            types.add(EventType.OPEN_EXEC);
        }
        if ((mask & Libc.FAN_ACCESS) != 0) {
            types.add(EventType.ACCESS);
        }
        return types;
    }

    @Override
    public String notice() {
        return notice;
    }

    @Override
    public List<Path> uncovered() {
        return List.copyOf(uncovered);
    }

    @Override
    public void stop() {
        wakeup.wake();
    }

    @Override
    public void close() {
        for (int mountFd : mountFds.values()) {
            Libc.close(mountFd);
        }
        mountFds.clear();
        Libc.close(fd);
        wakeup.close();
    }
}
