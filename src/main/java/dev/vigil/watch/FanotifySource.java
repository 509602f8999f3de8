package dev.vigil.watch;

import dev.vigil.os.PathBytes;
import dev.vigil.os.ByteKey;
import dev.vigil.os.Libc;
import com.sun.jna.LastErrorException;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads fanotify in FID mode (directory handle + name per event, Linux 5.9+; one RENAME event with both
 * ends on 5.17+) from marks on the filesystems (or mounts) holding the areas, names the directories of the
 * events through {@link DirectoryHandles}, drops everything outside the areas, attributes each event to its
 * process and hands it on. The bytes are taken apart by {@link FanotifyRecords}.
 */
final class FanotifySource implements Source {

    private static final Logger LOG = LoggerFactory.getLogger(FanotifySource.class);

    private final WatchOptions options;
    private final ProcessTable processes;
    private final EventSink sink;
    private final int fd;
    private final boolean renameEvents;
    private final String notice;
    private final List<Path> uncovered = new ArrayList<>();
    private final DirectoryHandles handles;
    /** The directories learned at start, whose handles the areas' events carry: each area, or a single file's parent. */
    private final List<Path> learnedRoots = new ArrayList<>();
    private final RenamePairing renames;
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
    /** The process of the last MODIFY of each path, while nothing else happened to it: a write() each repeats it. */
    private final Map<Path, Integer> lastModify = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Integer> eldest) {
            return size() > 4096;
        }
    };
    private final Wakeup wakeup = new Wakeup();
    private boolean caughtUp;
    /** A walk after the start: a directory without a handle, or on a filesystem not marked at start, is left out. */
    private static final DirectoryHandles.Walk NO_NEW_MOUNTS = new DirectoryHandles.Walk() {
        @Override
        public FileVisitResult noHandle(Path dir, LastErrorException e) {
            return FileVisitResult.SKIP_SUBTREE;
        }

        @Override
        public Long newMount(Path dir, byte[] path) {
            return null;
        }
    };
    /**
     * The kernel said it lost events in the batch being read: the areas' directories are learned again after it, and
     * only then is the overflow told, so the check it asks for comes after what was learned.
     */
    private boolean lostInBatch;

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
        this.handles = new DirectoryHandles(options, this::unresolvable);
        this.renames = new RenamePairing(options, sink, this::process);
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
        Set<EventType> asked = EnumSet.of(EventType.CREATE, EventType.DELETE, EventType.CLOSE_WRITE, EventType.ATTRIB,
                EventType.DELETE_SELF, EventType.MOVE_SELF);
        asked.addAll(renameEvents ? Set.of(EventType.MOVED) : Set.of(EventType.MOVED_FROM, EventType.MOVED_TO));
        asked.addAll(options.extraEvents());
        if (options.attribution()) {
            // MODIFY names the writer: a process that only closes a descriptor it inherited gets CLOSE_WRITE alone
            asked.add(EventType.MODIFY);
            asked.add(EventType.OPEN_EXEC);
        }
        return EventType.fanotifyMask(asked) | Libc.FAN_ONDIR;
    }

    /** Marks every filesystem under the areas and learns the handles of the directories in them. */
    private void markAndLearn() throws WatchException {
        int scope = options.markScope() == WatchOptions.MarkScope.MOUNT ? Libc.FAN_MARK_MOUNT
                : Libc.FAN_MARK_FILESYSTEM;
        for (Path area : options.areas()) {
            Path root = Files.isDirectory(area) ? area : area.getParent(); // a single file: its directory's handle
            learnedRoots.add(root);
            try {
                handles.learn(root, new DirectoryHandles.Walk() {
                    @Override
                    public FileVisitResult noHandle(Path dir, LastErrorException e) {
                        notCovered(dir, new WatchException("no file handle for " + dir + " (" + e.getMessage()
                                + "): fanotify in FID mode cannot watch this filesystem", e));
                        return FileVisitResult.SKIP_SUBTREE;
                    }

                    @Override
                    public Long newMount(Path dir, byte[] path) {
                        try {
                            return markFilesystem(dir, path, scope);
                        } catch (WatchException e) {
                            notCovered(dir, e);
                            return null;
                        }
                    }

                    /** An area root that cannot be watched fails the start; a mount inside it is left uncovered. */
                    private void notCovered(Path dir, WatchException why) {
                        if (dir.equals(root)) {
                            throw new WatchMarkFailure(why);
                        }
                        LOG.warn("{}; left to a trickle check", why.getMessage());
                        uncovered.add(dir);
                    }
                });
            } catch (IOException e) {
                throw new WatchException("cannot walk " + root + ": " + e.getMessage(), e);
            } catch (WatchMarkFailure e) {
                throw e.cause;
            }
        }
        if (!handles.any()) {
            throw new WatchException("no area could be marked (do they exist?): " + options.areas());
        }
        if (options.attribution()) {
            // programs usually live elsewhere than the areas: their exec opens name short-lived processes
            for (String bin : List.of("/usr/bin", "/bin", "/usr/sbin", "/usr/local/bin")) {
                Path dir = Path.of(bin);
                if (Files.isDirectory(dir)) {
                    try {
                        markExec(dir, PathBytes.cString(dir), scope);
                    } catch (WatchException e) {
                        LOG.debug("no exec mark on {}: {}", dir, e.getMessage());
                    }
                }
            }
        }
    }

    /**
     * After events lost unread (the kernel's overflow, or past the backlog bound), where the areas' directories are is
     * asked again ({@link DirectoryHandles#relearn}): a directory renamed among them was named where it had been, and
     * one moved in from a directory remembered as foreign had its events taken for foreign ones. At every loss, which
     * costs a call per directory of the areas, not a walk of every entry (a walk of a tree of 400,000 files being
     * removed held the reader for seconds, which the backlog it was reading behind only grew in).
     */
    private void relearnAreas() {
        lostInBatch = false;
        lastModify.clear(); // a write repeated after events lost is no repeat of the last one seen
        handles.relearn(learnedRoots);
    }

    private void markExec(Path dir, byte[] path, int scope) throws WatchException {
        handles.openFilesystem(dir, path);
        try {
            Libc.fanotify_mark(fd, Libc.FAN_MARK_ADD | scope, Libc.FAN_OPEN_EXEC, Libc.AT_FDCWD, path);
        } catch (LastErrorException e) {
            throw new WatchException("fanotify_mark on " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Carries a checked WatchException out of a file visitor. */
    private static final class WatchMarkFailure extends RuntimeException {
        private final WatchException cause;

        WatchMarkFailure(WatchException cause) {
            super(cause);
            this.cause = cause;
        }
    }

    private long markFilesystem(Path dir, byte[] path, int scope) throws WatchException {
        long fsid = handles.openFilesystem(dir, path);
        try {
            Libc.fanotify_mark(fd, Libc.FAN_MARK_ADD | scope, mask(), Libc.AT_FDCWD, path);
        } catch (LastErrorException e) {
            throw new WatchException("fanotify_mark on " + dir + " refused: " + e.getMessage()
                    + (e.getErrorCode() == 22 ? " (event kinds not supported for this mark scope or filesystem)"
                    : e.getErrorCode() == 18 || e.getErrorCode() == 95
                    ? " (filesystem without file handles or with a zero fsid)" : ""), e);
        }
        return fsid;
    }

    @Override
    public void run() {
        Instant[] now = new Instant[1];
        FanotifyRecords.Events events = new FanotifyRecords.Events() {
            @Override
            public void overflow() {
                renames.flush();
                lostInBatch = true;
            }

            @Override
            public void event(FanotifyRecords.Event event) {
                FanotifySource.this.event(event, now[0]);
            }
        };
        // FIONREAD through the fixed-argument binding of a variadic ioctl: sound on x86-64 and aarch64 only
        long maxBacklog = options.unlimitedKernelQueue() && (Platform.isIntel() || Platform.isARM())
                ? options.kernelBacklogBound() : 0;
        new KernelEventReader(fd, wakeup, sink, maxBacklog).run(new KernelEventReader.Batches() {
            @Override
            public void batch(byte[] batch, int length) {
                caughtUp = false;
                movedInRead = movedInUnsettled.size();
                now[0] = Instant.now();
                FanotifyRecords.parse(batch, length, events);
                if (lostInBatch) {
                    relearnAreas();
                    sink.emit(FileEvent.overflow(null, Instant.now(), "fanotify queue overflow: kernel dropped events"));
                }
            }

            @Override
            public void drained() {
                renames.flush();
                movedInUnsettled.subList(0, movedInRead).clear();
                movedInRead = 0;
            }

            @Override
            public void skipped(long events) {
                renames.flush();
                relearnAreas();
                sink.emit(FileEvent.overflow(null, Instant.now(), "fanotify reader fell behind: " + events
                        + " events queued in the kernel, more than " + maxBacklog + ", were dropped unread"));
            }
        });
    }

    private void event(FanotifyRecords.Event e, Instant now) {
        long mask = e.mask();
        int pid = e.pid();
        if ((mask & Libc.FAN_OPEN_EXEC) != 0 && options.attribution()) {
            noteExec(e.plain(), pid);
            if (!options.extraEvents().contains(EventType.OPEN_EXEC)) {
                mask &= ~Libc.FAN_OPEN_EXEC;
                if ((mask & ~Libc.FAN_ONDIR) == 0) {
                    return;
                }
            }
        }
        Path plain = path(e.plain());
        Path oldName = path(e.oldName());
        Path newName = path(e.newName());
        ByteKey object = e.object();
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
        Path path = plain;
        if (path == null && object != null && (mask & (Libc.FAN_DELETE_SELF | Libc.FAN_MOVE_SELF)) != 0) {
            path = handles.ours(object);
        }
        if (path == null) {
            return;
        }
        boolean renameWaits = false;
        if ((mask & Libc.FAN_MOVED_FROM) != 0) {
            renames.flush();
            if (object != null) {
                renames.movedFrom(object, path, directory, pid, now);
                renameWaits = true;
                mask &= ~Libc.FAN_MOVED_FROM;
                if ((mask & ~Libc.FAN_ONDIR) == 0) {
                    return;
                }
            }
        }
        RenamePairing.Half from = (mask & Libc.FAN_MOVED_TO) != 0 && object != null ? renames.movedTo(object) : null;
        if (from != null) {
            rename(from.from(), path, directory, pid, now);
            return;
        }
        // the rest of an event the kernel merged with a MOVED_FROM (a write not read yet) is told of the old path,
        // and must not end the wait for the MOVED_TO: that would tell the rename as MOVED_FROM and MOVED_TO
        if (!renameWaits) {
            renames.flush();
        }
        if (!options.covers(path)) {
            return;
        }
        Set<EventType> types = withoutRepeatedModify(EventType.ofFanotify(mask), path, pid);
        if (!types.isEmpty()) {
            sink.emit(FileEvent.attributed(types, path, null, directory, now, process(pid)));
        }
    }

    /** The path a directory-and-name record gives, when its directory is ours; else null. */
    private Path path(FanotifyRecords.DirName name) {
        if (name == null) {
            return null;
        }
        Path dir = handles.directory(name);
        return dir == null ? null : name.in(dir);
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
    private void noteExec(FanotifyRecords.DirName program, int pid) {
        Path dir = program == null ? null : handles.anyDirectory(program);
        if (dir != null) {
            catchUp();
            processes.noteExec(pid, program.in(dir));
        }
    }

    private void rename(Path from, Path to, boolean directory, int pid, Instant now) {
        if (directory && from != null && to != null) {
            handles.moved(from, to);
        }
        if (from != null) {
            lastModify.remove(from);
        }
        if (to != null) {
            lastModify.remove(to);
        }
        renames.tell(from, to, directory, pid, now);
    }

    /** Keeps the handle → path map of our directories right as directories come, go and move. */
    private void trackDirectory(long mask, ByteKey object, Path plain, Path oldName, Path newName) {
        if (object == null) {
            return;
        }
        if ((mask & Libc.FAN_CREATE) != 0 && plain != null && options.relevantDirectory(plain)) {
            handles.ours(object, plain);
        }
        if ((mask & Libc.FAN_DELETE) != 0 && plain != null) {
            handles.forget(object);
        }
        if ((mask & (Libc.FAN_RENAME | Libc.FAN_MOVED_TO | Libc.FAN_MOVED_FROM)) != 0) {
            // a directory moved between "ours" and "foreign" invalidates what we knew of its whole subtree
            handles.forgetForeign();
            Path target = newName != null ? newName : (mask & Libc.FAN_MOVED_TO) != 0 ? plain : null;
            if (target != null && options.relevantDirectory(target)) {
                handles.ours(object, target);
                if (oldName == null || !options.relevantDirectory(oldName)) {
                    if (learnTree(target)) {
                        movedInUnsettled.add(target);
                    } else {
                        movedInChanged(target);
                    }
                }
            } else if (target != null) {
                handles.forget(object);
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
     * A directory handle no longer opens. One removed before the walk of a moved-in tree could list it looks just
     * like a foreign one removed: while such a walk is unsettled, it makes us ask for a check.
     */
    private void unresolvable() {
        movedInUnsettled.forEach(this::movedInChanged);
        movedInUnsettled.clear();
        movedInRead = 0;
    }

    /**
     * Adds the handles of every directory under {@code root} (moved in from outside) so that their events can
     * be named even after an rm -rf; false when the tree was already gone or changing under the walk.
     */
    private boolean learnTree(Path root) {
        try {
            return handles.learn(root, NO_NEW_MOUNTS);
        } catch (IOException e) {
            return false;
        }
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
        handles.close();
        Libc.close(fd);
        wakeup.close();
    }
}
