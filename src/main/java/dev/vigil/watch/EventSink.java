package dev.vigil.watch;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The bounded hand-over from a kernel reader thread to whoever consumes events. The reader must never wait (the
 * kernel queue would overflow behind it), so when the queue is full events go to a bounded spill instead, where
 * those of one path by one process are coalesced into one (its kinds merged, the latest time): a change made during
 * a burst elsewhere still reaches the consumer with its process. The spill holds at most a share of its room per
 * directory, so a flood in one directory (a cache, an unpacked archive, a hostile process hiding a change) cannot
 * take the room of the others; what does not fit is dropped and its directory remembered. Once the spill has gone
 * into the queue, one OVERFLOW event per such directory says how many events were lost there, so a check of that
 * directory makes up for them; with more such directories than remembered, or when the kernel lost events, one
 * OVERFLOW event for all areas. While the spill holds anything every new event goes to it too, so the events of a
 * path stay in order. The kernel reader and the mount watch offer, each briefly holding the sink's lock; the
 * reader calls {@link #settle()} when it looks again, to move the spill on as the consumer makes room.
 * Hand-written: no library coalesces a bounded queue by key with a share per group.
 */
final class EventSink {

    /** Directories with lost events remembered before the loss is told for all areas. */
    static final int LOST_DIRECTORIES = 64;
    /** The spill holds at most this share of its room per directory: a flood in one leaves room for 63 others. */
    private static final int DIRECTORY_SHARES = 64;

    private final BlockingQueue<FileEvent> queue;
    private final int capacity;
    private final int spillCapacity;
    private final int perDirectory;
    /** Events waiting for room in the queue, oldest first. */
    private final ArrayDeque<Spilled> spill = new ArrayDeque<>();
    /** The spilled events later events may still be coalesced into, by path and process. */
    private final Map<Coalescing, Spilled> open = new HashMap<>();
    /** Raised by every spilled move: no event after it is coalesced into one before it. */
    private long moves;
    /** Spilled file events by directory, against {@link #perDirectory}. */
    private final Map<Path, Integer> spilledIn = new HashMap<>();
    /** Directories whose events were dropped, with how many, not yet told by an OVERFLOW event. */
    private final LinkedHashMap<Path, Long> lostIn = new LinkedHashMap<>();
    /** Dropped in no remembered directory: told, with what the kernel said it lost, by one OVERFLOW event for all areas. */
    private long lostAnywhere;
    /** What the kernel said when it lost events: a few fixed texts, kept once each. */
    private final Set<String> lostAnywhereWhy = new LinkedHashSet<>();
    /** Events dropped since start, coalesced into another, and OVERFLOW events queued, for the status and metrics. */
    private long droppedTotal;
    private long coalescedTotal;
    private long overflows;

    /** One spilled event; {@code key} is where {@link #open} has it, null for an event never coalesced. */
    private static final class Spilled {
        private FileEvent event;
        private final Coalescing key;

        Spilled(FileEvent event, Coalescing key) {
            this.event = event;
            this.key = key;
        }
    }

    /** One path's events by one process between two moves: the event without its kinds, time and note. */
    private record Coalescing(FileEvent identity, long moves) {
    }

    EventSink(int capacity) {
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.spillCapacity = Math.max(2, capacity / 2);
        this.perDirectory = Math.max(1, spillCapacity / DIRECTORY_SHARES);
    }

    BlockingQueue<FileEvent> queue() {
        return queue;
    }

    /** Whether events wait in the spill or losses are untold: the reader should look again soon ({@link #settle()}). */
    synchronized boolean owesCount() {
        return !spill.isEmpty() || !lostIn.isEmpty() || lostAnywhere > 0 || !lostAnywhereWhy.isEmpty();
    }

    /** Moves what the spill holds into the room the consumer made, then the OVERFLOW events of what was lost. */
    synchronized void settle() {
        while (!spill.isEmpty() && queue.remainingCapacity() > 0) {
            Spilled s = spill.poll();
            if (s.key != null) {
                open.remove(s.key, s);
            }
            if (!s.event.overflow() && !s.event.mountChange()) {
                spilledIn.computeIfPresent(s.event.path().getParent(), (dir, n) -> n == 1 ? null : n - 1);
            }
            offer(s.event);
        }
        if (!spill.isEmpty()) {
            return;
        }
        if ((lostAnywhere > 0 || !lostAnywhereWhy.isEmpty()) && queue.remainingCapacity() > 0) {
            long dropped = lostAnywhere + lostIn.values().stream().mapToLong(Long::longValue).sum();
            if (dropped > 0) {
                lostAnywhereWhy.add(dropped + " events dropped: the consumer did not keep up with the watcher queue (capacity "
                        + capacity + ")");
            }
            offer(FileEvent.overflow(null, Instant.now(), String.join("; ", lostAnywhereWhy)));
            lostAnywhere = 0;
            lostAnywhereWhy.clear();
            lostIn.clear();
        }
        for (Iterator<Map.Entry<Path, Long>> it = lostIn.entrySet().iterator(); it.hasNext() && queue.remainingCapacity() > 0; ) {
            Map.Entry<Path, Long> lost = it.next();
            it.remove();
            offer(FileEvent.overflow(lost.getKey(), Instant.now(), lost.getValue() + " events dropped in this directory: "
                    + "the consumer did not keep up with the watcher queue (capacity " + capacity + ")"));
        }
    }

    synchronized void emit(FileEvent event) {
        settle();
        if (event.overflow() && event.path() == null) {
            // lost anywhere (by the kernel): told after what is queued, by the one OVERFLOW event for all areas
            lostAnywhereWhy.add(event.detail());
            settle();
            return;
        }
        if (spill.isEmpty() && queue.remainingCapacity() > 0) {
            offer(event);
            return;
        }
        if (event.overflow() || event.mountChange()) {
            // rare and made by the kernel or root, not by writing in a tree: kept whatever the spill holds
            spill.add(new Spilled(event, null));
            return;
        }
        Path dir = event.path().getParent();
        if (moves(event)) {
            moves++;
            if (room(dir)) {
                spill.add(new Spilled(event, null));
                spilledIn.merge(dir, 1, Integer::sum);
            } else {
                drop(dir);
                Path from = event.oldPath() == null ? null : event.oldPath().getParent();
                if (from != null && !from.equals(dir)) {
                    lost(from, 0); // counted once, checked on both sides
                }
            }
            return;
        }
        Coalescing key = new Coalescing(coalesced(event, Set.of(), Instant.EPOCH), moves);
        Spilled held = open.get(key);
        if (held != null) {
            Set<EventType> types = EnumSet.copyOf(held.event.types());
            types.addAll(event.types());
            held.event = coalesced(event, types, event.time());
            coalescedTotal++;
        } else if (room(dir)) {
            Spilled s = new Spilled(event, key);
            spill.add(s);
            open.put(key, s);
            spilledIn.merge(dir, 1, Integer::sum);
        } else {
            drop(dir);
        }
    }

    private void offer(FileEvent event) {
        queue.offer(event);
        if (event.overflow()) {
            overflows++;
        }
    }

    /** What coalescing keeps of {@code e} (its path and process), with {@code types} at {@code time}. */
    private static FileEvent coalesced(FileEvent e, Set<EventType> types, Instant time) {
        return new FileEvent(types, e.path(), null, e.directory(), time, e.pid(), e.ppid(), e.comm(), e.exe(), e.uid(),
                e.user(), e.attributed(), null);
    }

    private static boolean moves(FileEvent e) {
        return e.oldPath() != null || e.is(EventType.MOVED) || e.is(EventType.MOVED_FROM) || e.is(EventType.MOVED_TO);
    }

    private boolean room(Path dir) {
        return spill.size() < spillCapacity && spilledIn.getOrDefault(dir, 0) < perDirectory;
    }

    private void drop(Path dir) {
        droppedTotal++;
        lost(dir, 1);
    }

    private void lost(Path dir, long events) {
        if (lostIn.containsKey(dir) || lostIn.size() < LOST_DIRECTORIES) {
            lostIn.merge(dir, events, Long::sum);
        } else {
            lostAnywhere += Math.max(events, 1);
        }
    }

    synchronized long droppedTotal() {
        return droppedTotal;
    }

    synchronized long coalescedTotal() {
        return coalescedTotal;
    }

    synchronized long overflows() {
        return overflows;
    }
}
