package dev.vigil.watch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Test helper: drains a watcher's queue and waits (generously) for the events a test expects. */
final class EventLog {

    private static final long PATIENCE_MILLIS = 15_000;

    private final BlockingQueue<FileEvent> queue;
    private final List<FileEvent> seen = new ArrayList<>();

    EventLog(NativeWatcher watcher) {
        this.queue = watcher.events();
    }

    /** The first event (already seen or arriving) matching {@code wanted}; fails after a long patience. */
    FileEvent await(String what, Predicate<FileEvent> wanted) throws InterruptedException {
        for (FileEvent e : seen) {
            if (wanted.test(e)) {
                return e;
            }
        }
        long deadline = System.currentTimeMillis() + PATIENCE_MILLIS;
        while (true) {
            long left = deadline - System.currentTimeMillis();
            FileEvent e = left <= 0 ? null : queue.poll(left, TimeUnit.MILLISECONDS);
            if (e == null) {
                throw new AssertionError("no event: " + what + "; seen: " + seen);
            }
            seen.add(e);
            if (wanted.test(e)) {
                return e;
            }
        }
    }

    FileEvent await(EventType type, Path path) throws InterruptedException {
        return await(type + " " + path, e -> e.is(type) && path.equals(e.path()));
    }

    /** Everything seen so far plus whatever arrives until {@code done} holds (or patience runs out). */
    List<FileEvent> collectUntil(Predicate<List<FileEvent>> done) throws InterruptedException {
        long deadline = System.currentTimeMillis() + PATIENCE_MILLIS;
        while (!done.test(seen)) {
            long left = deadline - System.currentTimeMillis();
            FileEvent e = left <= 0 ? null : queue.poll(left, TimeUnit.MILLISECONDS);
            if (e == null) {
                break;
            }
            seen.add(e);
        }
        return seen;
    }

    void forget() {
        seen.clear();
    }
}
