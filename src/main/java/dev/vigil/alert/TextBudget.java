package dev.vigil.alert;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The characters of findings ({@link ReportGate#textChars}) that the report pools sharing it may list together
 * ({@link ReportGate#sharingTextBudget}): each pool is bounded by {@code vigil.report.<source>.maxChars}, but a
 * collector keeps a pool per host, and a thousand hosts' pools, each within its bound, would not fit its heap. A
 * finding that would pass it is counted in its report's UNLISTED finding, as one past its own pool's bound is; the
 * event history keeps it whole. Thread-safe: the collector's pools are offered findings on several threads.
 */
public final class TextBudget {

    private final long max;
    private final AtomicLong used = new AtomicLong();

    public TextBudget(long max) {
        if (max < 1) {
            throw new IllegalArgumentException("a budget of at least one character: " + max);
        }
        this.max = max;
    }

    /** Takes {@code chars} if they fit; false, taking none, if they do not. */
    boolean take(long chars) {
        long now;
        do {
            now = used.get();
            if (chars > max - now) {
                return false;
            }
        } while (!used.compareAndSet(now, now + chars));
        return true;
    }

    /** Takes {@code chars} whether they fit or not: a critical finding reported at once is listed whatever is pooled. */
    void takeAnyway(long chars) {
        used.addAndGet(chars);
    }

    /** Gives back what a pool took, when it has let go of those findings. */
    void give(long chars) {
        used.addAndGet(-chars);
    }

    /** The characters taken now. */
    public long used() {
        return used.get();
    }
}
