package dev.vigil;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waiting in tests for a condition a test can count or see (a finding stored, a check completed, a request
 * received), never for a fixed time: on a loaded machine the wait is long, on an idle one it is short.
 */
public final class Await {

    /** At least a minute: the machine running the tests may be busy with other work. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private Await() {
    }

    public static void until(String what, BooleanSupplier condition) throws InterruptedException {
        until(what, PATIENCE, condition);
    }

    /** Waits at least a minute, or longer where the work waited on is large. */
    public static void until(String what, Duration patience, BooleanSupplier condition) throws InterruptedException {
        Duration wait = patience.compareTo(PATIENCE) > 0 ? patience : PATIENCE;
        long deadline = System.nanoTime() + wait.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
