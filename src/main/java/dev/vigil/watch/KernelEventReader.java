package dev.vigil.watch;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import dev.vigil.os.Libc;

/**
 * The read loop shared by the fanotify and inotify readers: sleep in poll(2) until the descriptor has events,
 * read them in large batches into a Java array, hand each batch over, until woken to stop. Errors come back
 * as return values, not exceptions: an idle watcher on a busy filesystem wakes often, and an exception per
 * empty read (EAGAIN) was a large part of its CPU.
 *
 * <p>The poll sleeps without a timeout (an idle watcher costs nothing) except while the sink owes the consumer
 * the count of dropped events: then it looks again every {@value #SETTLE_MILLIS} ms until the count is in.
 *
 * <p>With a bound on the kernel's backlog (fanotify's unlimited queue), the reader asks the kernel how much is queued
 * ({@code FIONREAD}) at most every {@value #BACKLOG_LOOK_MILLIS} ms while it reads, and past the bound reads and drops
 * what was queued, telling its owner ({@link Batches#skipped}), which reports it as a kernel overflow. Without it any
 * user could make the reader fall behind (events of their own, outside the areas, each costing a look-up) and the
 * queue grow in kernel memory without end, a change in an area read minutes late and never told as lost.
 */
final class KernelEventReader {

    /** What to do with each batch of raw event records. */
    interface Batches {
        void batch(byte[] batch, int length);

        /** Called when the descriptor has been drained, before sleeping again. */
        void drained();

        /** The kernel held more events than the bound: {@code events} of them were read and dropped unseen. */
        default void skipped(long events) {
            throw new IllegalStateException("a reader without a backlog bound skipped events");
        }
    }

    static final int BUFFER_SIZE = 256 * 1024;
    static final int SETTLE_MILLIS = 100;
    /** How often at most the backlog is asked for: fanotify's {@code FIONREAD} walks its whole queue under a lock. */
    static final int BACKLOG_LOOK_MILLIS = 100;

    private final int fd;
    private final Wakeup wakeup;
    private final EventSink sink;
    private final Memory buffer = new Memory(BUFFER_SIZE);
    private final byte[] batch = new byte[BUFFER_SIZE];

    /** Events queued in the kernel past which they are dropped unread; 0 for no bound (a bounded kernel queue). */
    private final long maxBacklog;
    /** When the backlog was last asked for: never, so the first batch asks (a backlog made before the reader ran). */
    private long lastBacklogLook = System.nanoTime() - BACKLOG_LOOK_MILLIS * 1_000_000L;

    KernelEventReader(int fd, Wakeup wakeup, EventSink sink, long maxBacklog) {
        this.fd = fd;
        this.wakeup = wakeup;
        this.sink = sink;
        this.maxBacklog = maxBacklog;
    }

    /** Reads until {@link Wakeup#wake()}; a read error other than EINTR ends the loop with an exception. */
    void run(Batches batches) {
        while (wakeup.await(fd, sink.owesCount() ? SETTLE_MILLIS : -1)) {
            while (true) {
                long n = Libc.read(fd, buffer, BUFFER_SIZE);
                if (n < 0) {
                    int errno = Native.getLastError();
                    if (errno == Libc.EINTR) {
                        continue;
                    }
                    if (errno == Libc.EAGAIN) {
                        break;
                    }
                    throw new IllegalStateException("read of kernel events failed, errno " + errno);
                }
                if (n == 0) {
                    break;
                }
                buffer.read(0, batch, 0, (int) n);
                batches.batch(batch, (int) n);
                long skipped = skipPastBacklog();
                if (skipped > 0) {
                    batches.skipped(skipped);
                    continue;
                }
                // a batch well short of the buffer means the queue was empty: poll again instead of a read
                // that would only say EAGAIN
                if (n < BUFFER_SIZE / 2) {
                    break;
                }
            }
            batches.drained();
            sink.settle();
        }
    }

    /**
     * When the kernel holds more than {@link #maxBacklog} events (asked at most every {@value #BACKLOG_LOOK_MILLIS}
     * ms), reads and drops as many as it held (fanotify's records, each led by its length); returns how many it
     * dropped, or 0.
     */
    private long skipPastBacklog() {
        if (maxBacklog <= 0 || System.nanoTime() - lastBacklogLook < BACKLOG_LOOK_MILLIS * 1_000_000L) {
            return 0;
        }
        lastBacklogLook = System.nanoTime();
        int[] queued = new int[1];
        try {
            Libc.ioctl(fd, Libc.FIONREAD, queued);
        } catch (LastErrorException e) {
            return 0;
        }
        long held = (queued[0] & 0xffffffffL) / Libc.FAN_EVENT_METADATA_LEN;
        if (held <= maxBacklog) {
            return 0;
        }
        long dropped = 0;
        while (dropped < held) {
            long n = Libc.read(fd, buffer, BUFFER_SIZE);
            if (n < 0 && Native.getLastError() == Libc.EINTR) {
                continue;
            }
            if (n <= 0) {
                break;
            }
            for (long at = 0; at + 4 <= n; dropped++) {
                int length = buffer.getInt(at);
                if (length <= 0) {
                    break;
                }
                at += length;
            }
        }
        return dropped;
    }
}
