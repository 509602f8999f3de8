package dev.vigil.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When to try a failed delivery again, and when to give up on it.
 *
 * <p>The n-th retry waits a random time between half and all of {@code min(max, initial * 2^(n-1))}
 * ("equal jitter"): doubling keeps a receiver that is down for an hour from being hammered, the random half
 * keeps the retries of many outbox rows from arriving in lock-step when it comes back, and the fixed half
 * keeps a retry from firing almost at once, as full jitter sometimes does. A delivery queued longer than
 * {@code maxAge} ago is given up; the last attempt is made at that deadline rather than skipped.
 *
 * <p>Thread-safe if the random generator is.
 */
public final class Backoff {

    /** The longest wait a receiver's {@code Retry-After} gets without a max age: years would overflow an Instant. */
    private static final Duration LONGEST_WAIT = Duration.ofDays(366);

    private final Duration initial;
    private final Duration max;
    /** Null: a delivery is never given up for its age ({@link #untilDelivered}). */
    private final Duration maxAge;
    private final RandomGenerator random;

    public Backoff(Duration initial, Duration max, Duration maxAge, RandomGenerator random) {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial delay must be positive: " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max delay " + max + " is below the initial delay " + initial);
        }
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("max age must not be negative: " + maxAge);
        }
        this.initial = initial;
        this.max = max;
        this.maxAge = maxAge;
        this.random = Objects.requireNonNull(random, "random");
    }

    private Backoff(Backoff delays) {
        this.initial = delays.initial;
        this.max = delays.max;
        this.maxAge = null;
        this.random = delays.random;
    }

    /** The same delays, with no max age: a delivery is retried until it is delivered, however old it is. */
    public Backoff untilDelivered() {
        return new Backoff(this);
    }

    /** The wait after the {@code failures}-th failed attempt (1 for the first), jitter included. */
    public Duration delay(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures counts from 1: " + failures);
        }
        long ceiling = ceilingMillis(failures);
        long half = ceiling / 2;
        return Duration.ofMillis(ceiling - half + (half == 0 ? 0 : random.nextLong(half + 1)));
    }

    /**
     * When to try again after the {@code failures}-th failure of a delivery queued at {@code queued} (when
     * the report was made, or when it was last re-queued by hand), or empty if it is now too old and should be
     * marked failed.
     */
    public Optional<Instant> nextAttempt(Instant queued, int failures, Instant now) {
        return nextAttempt(queued, failures, now, Duration.ZERO);
    }

    /** The same, waiting at least {@code atLeast}, e.g. a receiver's {@code Retry-After}. */
    public Optional<Instant> nextAttempt(Instant queued, int failures, Instant now, Duration atLeast) {
        Duration wait = delay(failures);
        if (atLeast.compareTo(wait) > 0) {
            wait = atLeast;
        }
        if (maxAge == null) {
            return Optional.of(now.plus(wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait));
        }
        Instant deadline = queued.plus(maxAge);
        if (!now.isBefore(deadline)) {
            return Optional.empty();
        }
        // compared before it is added: a receiver's Retry-After of years would overflow an Instant
        return Optional.of(wait.compareTo(Duration.between(now, deadline)) >= 0 ? deadline : now.plus(wait));
    }

    private long ceilingMillis(int failures) {
        long maxMillis = max.toMillis();
        long delay = initial.toMillis();
        for (int i = 1; i < failures && delay < maxMillis; i++) {
            delay *= 2;
        }
        return Math.min(delay, maxMillis);
    }
}
