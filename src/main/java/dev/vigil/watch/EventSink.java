package dev.vigil.watch;

import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The bounded hand-over from a kernel reader thread to whoever consumes events. The reader must never wait
 * (the kernel queue would overflow behind it), so a full queue drops events. One slot is kept for an OVERFLOW
 * event that goes in at the first drop, so the consumer learns of the loss even if nothing else ever happens;
 * once the consumer has caught up, a second OVERFLOW event says how many were lost in all, with the next event
 * or, if none comes, when the reader looks again ({@link #settle()}): what was dropped after the consumer began
 * to act on the first one is then checked too. The kernel reader and the mount watch offer, each briefly holding
 * the sink's lock.
 */
final class EventSink {

    private final BlockingQueue<FileEvent> queue;
    private final int capacity;
    private long dropped;
    /** Events dropped since start, and OVERFLOW events seen (the kernel's and the sink's), for the status and metrics. */
    private long droppedTotal;
    private long overflows;

    EventSink(int capacity) {
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity + 1);
    }

    BlockingQueue<FileEvent> queue() {
        return queue;
    }

    /** Whether events were dropped that no OVERFLOW event has counted yet. */
    synchronized boolean owesCount() {
        return dropped > 0;
    }

    /** Puts in the OVERFLOW event that counts the drops, if any are uncounted and the consumer has made room. */
    synchronized void settle() {
        if (dropped > 0 && queue.remainingCapacity() > 1) {
            queue.offer(FileEvent.overflow(null, Instant.now(), dropped + " events dropped in all: the consumer "
                    + "did not keep up with the watcher queue (capacity " + capacity + ")"));
            dropped = 0;
        }
    }

    synchronized void emit(FileEvent event) {
        if (event.overflow()) {
            overflows++;
        }
        settle();
        if (queue.remainingCapacity() > 1) {
            queue.offer(event);
        } else if (event.overflow() && queue.remainingCapacity() > 0) {
            queue.offer(event);
        } else {
            if (dropped == 0) {
                // the reserved slot: the loss is known at once, its size when the consumer is back
                overflows++;
                queue.offer(FileEvent.overflow(null, Instant.now(), "watcher queue full (capacity " + capacity
                        + "): events are being dropped"));
            }
            dropped++;
            droppedTotal++;
        }
    }

    synchronized long droppedTotal() {
        return droppedTotal;
    }

    synchronized long overflows() {
        return overflows;
    }
}
