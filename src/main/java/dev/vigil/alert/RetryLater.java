package dev.vigil.alert;

import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;

/**
 * A delivery the receiver asked to try again later, after a wait it named (an HTTP 429's or 503's
 * {@code Retry-After}): the outbox waits at least that long before the next attempt. An exception rather than a
 * message header, so the wait reaches the outbox from a step inside a split (a webhook sends a large report as parts),
 * whose headers Camel does not copy back when a part fails.
 */
public final class RetryLater extends RuntimeException {

    private final transient Duration wait;

    public RetryLater(String message, Duration wait) {
        super(message);
        this.wait = wait;
    }

    /** The wait asked for by {@code failure} or one of its causes, if one is a {@link RetryLater}. */
    public static Optional<Duration> requestedBy(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof RetryLater later) {
                return Optional.of(later.wait);
            }
        }
        return Optional.empty();
    }
}
