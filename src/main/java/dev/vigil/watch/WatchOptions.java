package dev.vigil.watch;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a {@link NativeWatcher} can be told, one field per option so that the Camel component maps its
 * endpoint options onto it one to one.
 *
 * @param areas            the trees to watch (absolute); events elsewhere are dropped as early as possible
 * @param excludes         prefixes under the areas whose events are dropped (caches, spools, ...)
 * @param ignored          exact files that are Vigil's own (database, WAL, alert log): their events are dropped
 * @param mode             AUTO (fanotify, else inotify), FANOTIFY only, or INOTIFY forced; default AUTO
 * @param markScope        fanotify mark on the whole FILESYSTEM (default; sees every mount of it, events outside
 *                         the areas are dropped after one cached handle lookup per directory) or on the MOUNT
 *                         only. In FID mode the kernel refuses CREATE/DELETE/MOVE/RENAME/ATTRIB on mount marks
 *                         (EINVAL, checked on Linux 6.18), so MOUNT fails to start and is only kept for kernels
 *                         that lift this
 * @param extraEvents      optional kinds beyond the default set: MODIFY, OPEN_EXEC, ACCESS (each costs events;
 *                         MODIFY fires on every write(), ACCESS on every read())
 * @param queueCapacity    size of the bounded queue between the kernel reader and the consumer; when it is full
 *                         events are coalesced in a spill half its size, the rest dropped and told by OVERFLOW
 *                         events of their directories (default 131,072)
 * @param unlimitedKernelQueue ask fanotify for an unbounded kernel queue (default true: the reader never blocks,
 *                         so the kernel queue only grows while a burst is being drained, up to
 *                         {@link #kernelBacklogBound()}, past which the reader drops it unread as an OVERFLOW; false
 *                         caps it at {@code fs.fanotify.max_queued_events} and a burst beyond it is an OVERFLOW)
 * @param attribution      follow process exec/fork/exit through the netlink process connector so short-lived
 *                         processes are named (default true; needs root; without it, identity is read from
 *                         /proc when the event is read, and a process already gone stays unknown)
 */
public record WatchOptions(List<Path> areas, List<Path> excludes, Set<Path> ignored, Mode mode,
                           MarkScope markScope, Set<EventType> extraEvents, int queueCapacity,
                           boolean unlimitedKernelQueue, boolean attribution) {

    /** Which kernel interface to use. */
    public enum Mode { AUTO, FANOTIFY, INOTIFY }

    /** What a fanotify mark covers. */
    public enum MarkScope { FILESYSTEM, MOUNT }

    public static final int DEFAULT_QUEUE_CAPACITY = 131_072;

    public WatchOptions {
        Objects.requireNonNull(areas, "areas");
        if (areas.isEmpty()) {
            throw new IllegalArgumentException("no area to watch");
        }
        areas = areas.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        excludes = excludes == null ? List.of() : excludes.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        ignored = ignored == null ? Set.of()
                : Set.copyOf(ignored.stream().map(p -> p.toAbsolutePath().normalize()).toList());
        mode = mode == null ? Mode.AUTO : mode;
        markScope = markScope == null ? MarkScope.FILESYSTEM : markScope;
        extraEvents = extraEvents == null ? Set.of() : Set.copyOf(extraEvents);
        for (EventType extra : extraEvents) {
            if (extra != EventType.MODIFY && extra != EventType.OPEN_EXEC && extra != EventType.ACCESS) {
                throw new IllegalArgumentException("not an optional event kind: " + extra);
            }
        }
        if (queueCapacity <= 0) {
            queueCapacity = DEFAULT_QUEUE_CAPACITY;
        }
    }

    /** The defaults for these areas. */
    public static WatchOptions of(Path... areas) {
        return new WatchOptions(List.of(areas), List.of(), Set.of(), Mode.AUTO, MarkScope.FILESYSTEM, Set.of(),
                DEFAULT_QUEUE_CAPACITY, true, true);
    }

    public WatchOptions withMode(Mode newMode) {
        return new WatchOptions(areas, excludes, ignored, newMode, markScope, extraEvents, queueCapacity,
                unlimitedKernelQueue, attribution);
    }

    public WatchOptions withExcludes(List<Path> newExcludes, Set<Path> newIgnored) {
        return new WatchOptions(areas, newExcludes, newIgnored, mode, markScope, extraEvents, queueCapacity,
                unlimitedKernelQueue, attribution);
    }

    public WatchOptions withQueue(int capacity, boolean unlimitedKernel) {
        return new WatchOptions(areas, excludes, ignored, mode, markScope, extraEvents, capacity, unlimitedKernel,
                attribution);
    }

    /**
     * The most events the unlimited kernel queue may hold before the reader drops them unread, told as an OVERFLOW:
     * two hand-over queues' worth (262,144 events by default, some 40 MB of kernel memory), and never fewer than the
     * kernel's own bound on a limited queue ({@value #KERNEL_QUEUE_DEFAULT}, {@code fs.fanotify.max_queued_events});
     * far more than a burst the reader keeps up with leaves behind, and a bound on one it cannot (any user's events,
     * outside the areas too).
     */
    public long kernelBacklogBound() {
        return Math.max(2L * queueCapacity, KERNEL_QUEUE_DEFAULT);
    }

    /** {@code fs.fanotify.max_queued_events} as the kernel sets it. */
    static final int KERNEL_QUEUE_DEFAULT = 16_384;

    /** Whether a path is inside an area, not under an exclude, and not one of Vigil's own files. */
    public boolean covers(Path path) {
        if (path == null || ignored.contains(path)) {
            return false;
        }
        boolean inside = false;
        for (Path area : areas) {
            if (path.startsWith(area)) {
                inside = true;
                break;
            }
        }
        if (!inside) {
            return false;
        }
        for (Path exclude : excludes) {
            if (path.startsWith(exclude)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether entries of this directory can be covered: it is inside an area and not excluded, or it is the
     * parent of an area root (so the root's own deletion or rename is seen).
     */
    boolean relevantDirectory(Path dir) {
        for (Path area : areas) {
            if (dir.startsWith(area)) {
                for (Path exclude : excludes) {
                    if (dir.startsWith(exclude)) {
                        return false;
                    }
                }
                return true;
            }
            if (dir.equals(area.getParent())) {
                return true;
            }
        }
        return false;
    }
}
