package dev.vigil.alert;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The characters of findings ({@link ReportGate#textChars}) that the report pools sharing it may list together
 * ({@link ReportGate#sharingTextBudget}): each pool is bounded by {@code vigil.report.<source>.maxChars}, but a
 * collector keeps a pool per host, and a thousand hosts' pools, each within its bound, would not fit its heap. And
 * one host's pools together take at most {@code hostMax} of it ({@link #forHost}): a host's findings are its root's
 * to write, and without a share of its own one host flooding its pools kept every other host's findings counted, not
 * listed. A finding that would pass either is counted in its report's UNLISTED finding, as one past its own pool's
 * bound is; the event history keeps it whole. Thread-safe: the collector's pools are offered findings on several
 * threads.
 */
public final class TextBudget {

    private final long max;
    private final long hostMax;
    private final AtomicLong used = new AtomicLong();
    private final Map<String, Share> hosts = new ConcurrentHashMap<>();

    /**
     * @param max     the characters all pools list together
     * @param hostMax the characters the pools of one host list together
     */
    public TextBudget(long max, long hostMax) {
        if (max < 1 || hostMax < 1) {
            throw new IllegalArgumentException("a budget of at least one character: " + max + ", " + hostMax);
        }
        this.max = max;
        this.hostMax = hostMax;
    }

    /** The share of {@code host}'s pools: the same for each of them. */
    public Share forHost(String host) {
        return hosts.computeIfAbsent(host, name -> new Share());
    }

    /** The characters taken now, by every host. */
    public long used() {
        return used.get();
    }

    /** What one host's pools take of the budget. */
    public final class Share {

        private final AtomicLong taken = new AtomicLong();

        private Share() {
        }

        /** Takes {@code chars} if they fit the host's share and the whole budget; false, taking none, if not. */
        boolean take(long chars) {
            if (!reserve(taken, hostMax, chars)) {
                return false;
            }
            if (!reserve(used, max, chars)) {
                taken.addAndGet(-chars);
                return false;
            }
            return true;
        }

        /** Takes {@code chars} whether they fit or not: a critical finding reported at once is listed whatever is pooled. */
        void takeAnyway(long chars) {
            taken.addAndGet(chars);
            used.addAndGet(chars);
        }

        /** Gives back what a pool took, when it has let go of those findings. */
        void give(long chars) {
            taken.addAndGet(-chars);
            used.addAndGet(-chars);
        }

        /** The characters this host's pools take now. */
        public long used() {
            return taken.get();
        }
    }

    private static boolean reserve(AtomicLong counter, long limit, long chars) {
        long now;
        do {
            now = counter.get();
            if (chars > limit - now) {
                return false;
            }
        } while (!counter.compareAndSet(now, now + chars));
        return true;
    }
}
