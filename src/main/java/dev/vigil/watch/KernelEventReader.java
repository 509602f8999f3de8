package dev.vigil.watch;

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
 */
final class KernelEventReader {

    /** What to do with each batch of raw event records. */
    interface Batches {
        void batch(byte[] batch, int length);

        /** Called when the descriptor has been drained, before sleeping again. */
        void drained();
    }

    static final int BUFFER_SIZE = 256 * 1024;
    static final int SETTLE_MILLIS = 100;

    private final int fd;
    private final Wakeup wakeup;
    private final EventSink sink;
    private final Memory buffer = new Memory(BUFFER_SIZE);
    private final byte[] batch = new byte[BUFFER_SIZE];

    KernelEventReader(int fd, Wakeup wakeup, EventSink sink) {
        this.fd = fd;
        this.wakeup = wakeup;
        this.sink = sink;
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
}
