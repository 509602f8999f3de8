package dev.vigil.source;

import org.slf4j.Logger;

import java.util.concurrent.TimeUnit;

/**
 * A failure that repeats logged a line a minute, not a stack trace per attempt: on a full disk every batch the
 * watch stores fails, hundreds a second in a burst. The first failure is logged at once and, while they go
 * on, a line a minute with how many there were and the last one's message; the first success after says so.
 * Stack traces go to DEBUG.
 */
public final class RepeatedFailure {

    private static final long PERIOD_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Logger log;
    private final String what;
    private long failures;
    private long unlogged;
    private long lastLogged;
    private String lastMessage;

    /** {@code what} names what fails, as the start of a sentence: "fswatch:areas: storing a batch of events". */
    public RepeatedFailure(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    public synchronized void failed(Throwable e) {
        failures++;
        lastMessage = message(e);
        long now = System.nanoTime();
        if (failures > 1 && now - lastLogged < PERIOD_NANOS) {
            unlogged++;
            return;
        }
        String since = unlogged == 0 ? "" : " (and " + unlogged + " times since the last such line)";
        log.warn("{} failed{}: {}", what, since, message(e));
        log.debug(what + " failed", e);
        lastLogged = now;
        unlogged = 0;
    }

    /** Returns how many failures in a row this success ends (0 when there were none). */
    public synchronized long succeeded() {
        long ended = failures;
        if (ended > 0) {
            log.info("{} works again, after {} failures", what, ended);
            failures = 0;
            unlogged = 0;
            lastMessage = null;
        }
        return ended;
    }

    /** How many failures in a row there have been since the last success. */
    synchronized long failures() {
        return failures;
    }

    /** The last failure's message while failures go on, else empty. */
    public synchronized java.util.Optional<String> failing() {
        return failures == 0 ? java.util.Optional.empty() : java.util.Optional.of(lastMessage);
    }

    private static String message(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
