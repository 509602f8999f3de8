package dev.vigil.watch;

import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The bounded hand-over from a kernel reader thread to whoever consumes events. The reader must never wait
 * (the kernel queue would overflow behind it), so a full queue drops the event, counts it, and as soon as
 * there is room again one OVERFLOW event tells the consumer how many were lost so it can check the areas.
 * One slot is kept free for that event. Only one thread (the reader) offers.
 */
final class EventSink {

    private final BlockingQueue<FileEvent> queue;
    private final int capacity;
    private long dropped;

    EventSink(int capacity) {
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity + 1);
    }

    BlockingQueue<FileEvent> queue() {
        return queue;
    }

    void emit(FileEvent event) {
        if (dropped > 0 && queue.remainingCapacity() > 0) {
            queue.offer(FileEvent.overflow(null, Instant.now(), dropped + " events dropped: the consumer did not "
                    + "keep up with the watcher queue (capacity " + capacity + ")"));
            dropped = 0;
        }
        if (queue.remainingCapacity() > 1 || (event.overflow() && queue.remainingCapacity() > 0)) {
            queue.offer(event);
        } else {
            dropped++;
        }
    }
}
