package dev.vigil.source;

import dev.vigil.alert.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * Keeps a source going whatever its work throws, so that nothing a monitored file contains can stop it. Every
 * source's loop (a scheduled check, a trickle, the watch's worker, a log tail, a PID check) runs its work
 * here: an exception is logged (a line a minute at most, see {@link RepeatedFailure}) and the work is tried again after a backoff
 * (1 s doubling to 60 s, from the first again after a success). An {@link Error} (memory exhausted, a broken
 * install) leaves the JVM in an unknown state: the process ends with a one-line message and status
 * {@value #EXIT_STATUS}, so that systemd starts it again, instead of staying up and watching nothing.
 */
public final class Supervisor {

    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

    /** The daemon's status after an Error, as the CLI's for any error. */
    public static final int EXIT_STATUS = 2;
    /** How long an orderly stop (pooled findings into the outbox) may take before the process is halted. */
    private static final Duration EXIT_GRACE = Duration.ofSeconds(20);
    private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ZERO,
            new Random());

    private final String who;
    /** Logs the failures, a line a minute at most, and counts them for the backoff. */
    private final RepeatedFailure log;
    private final Object lock = new Object();
    private boolean stopped;

    /** {@code who} names the source in the log lines: "fscan:files". */
    public Supervisor(String who) {
        this.who = who;
        this.log = new RepeatedFailure(LOG, who + ": its work (tried again after a backoff)");
    }

    /**
     * Runs {@code work} until it returns, trying again after a backoff while it throws; empty once stopped (or
     * after an Error, which ends the process).
     */
    public <T> Optional<T> run(Callable<T> work) {
        while (!stopped()) {
            try {
                T result = work.call();
                succeeded();
                return Optional.ofNullable(result);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // a stop: the executor's shutdown interrupts its threads
                return Optional.empty();
            } catch (Exception e) {
                log.failed(e);
            } catch (Error e) {
                stop();
                fatal(who, e);
                return Optional.empty();
            }
            if (!pause()) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The work succeeded: the next failure waits the first backoff again. */
    public void succeeded() {
        log.succeeded();
    }

    /** What the work failed with while it keeps failing (the status and health checks read it), else empty. */
    public Optional<String> failing() {
        return log.failing();
    }

    /** Ends {@link #run} at its next attempt, and a backoff wait at once. */
    public void stop() {
        synchronized (lock) {
            stopped = true;
            lock.notifyAll();
        }
    }

    private boolean stopped() {
        synchronized (lock) {
            return stopped;
        }
    }

    /** Waits the backoff of the failures so far; false when stopped (or interrupted) meanwhile. */
    private boolean pause() {
        synchronized (lock) {
            long until = System.nanoTime() + BACKOFF.delay((int) Math.min(Integer.MAX_VALUE, Math.max(1, log.failures()))).toNanos();
            try {
                for (long left = until - System.nanoTime(); !stopped && left > 0; left = until - System.nanoTime()) {
                    lock.wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            return !stopped;
        }
    }

    /**
     * Ends the process after an Error in {@code who}: one line on standard error, then an orderly exit on a
     * thread of its own (the failing thread may be one the stop waits for), halted if it takes longer than
     * {@link #EXIT_GRACE}. With the heap exhausted even starting a thread can fail: then the JVM halts at once.
     */
    public static void fatal(String who, Throwable error) {
        try {
            System.err.println("vigil: fatal: " + who + ": " + error + "; exiting with status " + EXIT_STATUS
                    + " (a daemon that watches nothing must not stay up)");
            Thread exit = new Thread(() -> System.exit(EXIT_STATUS), "vigil-exit");
            Thread halt = new Thread(() -> {
                try {
                    Thread.sleep(EXIT_GRACE.toMillis());
                } catch (InterruptedException e) {
                    // halting is all that is left
                }
                Runtime.getRuntime().halt(EXIT_STATUS);
            }, "vigil-halt");
            halt.setDaemon(true);
            halt.start();
            exit.start();
        } catch (Throwable cannotEvenThat) {
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
    }

    /**
     * For the daemon's own threads that are not run here (the watch's reader): an Error that ends one ends the
     * process as {@link #fatal} does; an exception is logged.
     */
    public static void exitOnErrors() {
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (e instanceof Error) {
                fatal("thread " + thread.getName(), e);
            } else {
                LOG.error("thread {} ended: {}", thread.getName(), Objects.toString(e), e);
            }
        });
    }
}
