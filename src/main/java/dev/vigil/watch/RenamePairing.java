package dev.vigil.watch;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * A rename as both kernel readers tell it. The kernel reports a rename as a MOVED_FROM and a MOVED_TO that follow
 * each other and share a key (inotify's cookie, the moved object's file handle for fanotify without its RENAME
 * event); a MOVED_FROM whose MOVED_TO does not come next left the watched tree. A rename whose two ends are known is
 * one event: MOVED when both ends are in the areas, MOVED_FROM when it left them, MOVED_TO when it came in.
 */
final class RenamePairing {

    /** The first half of a rename, waiting for its second. */
    record Half(Object key, Path from, boolean directory, int pid, Instant time) {
    }

    private final WatchOptions options;
    private final EventSink sink;
    private final IntFunction<ProcessInfo> processes;
    private Half waiting;

    /** {@code processes} names the process of a pid, or gives null when the reader cannot tell (inotify). */
    RenamePairing(WatchOptions options, EventSink sink, IntFunction<ProcessInfo> processes) {
        this.options = options;
        this.sink = sink;
        this.processes = processes;
    }

    /** A MOVED_FROM: waits for the MOVED_TO with the same key. The caller has {@link #flush flushed} the one before. */
    void movedFrom(Object key, Path from, boolean directory, int pid, Instant time) {
        waiting = new Half(key, from, directory, pid, time);
    }

    /** The MOVED_FROM a MOVED_TO with {@code key} completes, no longer waiting; null if it is not the one waiting. */
    Half movedTo(Object key) {
        if (waiting == null || !waiting.key().equals(key)) {
            return null;
        }
        Half from = waiting;
        waiting = null;
        return from;
    }

    /**
     * Tells the MOVED_FROM still waiting, if any, as moved out of the areas (anything else came, or the queue is
     * drained: its MOVED_TO is not coming); returns it, or null.
     */
    Half flush() {
        Half left = waiting;
        waiting = null;
        if (left != null && options.covers(left.from())) {
            sink.emit(FileEvent.attributed(Set.of(EventType.MOVED_FROM), left.from(), null, left.directory(),
                    left.time(), processes.apply(left.pid())));
        }
        return left;
    }

    /**
     * Tells a rename from {@code from} to {@code to} (either null where the reader cannot name it) by which ends
     * the areas cover; returns the kind told, or null when neither end is watched.
     */
    EventType tell(Path from, Path to, boolean directory, int pid, Instant time) {
        boolean fromCovered = from != null && options.covers(from);
        boolean toCovered = to != null && options.covers(to);
        EventType kind = fromCovered && toCovered ? EventType.MOVED : fromCovered ? EventType.MOVED_FROM
                : toCovered ? EventType.MOVED_TO : null;
        if (kind != null) {
            Path path = kind == EventType.MOVED_FROM ? from : to;
            Path oldPath = kind == EventType.MOVED_FROM ? null : from;
            sink.emit(FileEvent.attributed(Set.of(kind), path, oldPath, directory, time, processes.apply(pid)));
        }
        return kind;
    }
}
