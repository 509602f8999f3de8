package dev.vigil.cli;

import dev.vigil.fim.ScanStats;
import dev.vigil.os.Libc;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The progress line on stderr during a long scan: entries, MB/s hashed, elapsed, and the share of the
 * previous run of the same area done. Shown only when stderr is a terminal, asked of isatty(3) through JNA:
 * the JDK's {@code System.console()} tells whether stdin and stdout are, which is wrong both ways for a scan
 * whose output is redirected, or whose stderr is.
 */
final class Progress implements AutoCloseable {

    private final ScheduledExecutorService timer;
    private final PrintStream err;

    private Progress(ScheduledExecutorService timer, PrintStream err) {
        this.timer = timer;
        this.err = err;
    }

    /** Starts showing progress of {@code stats} if stderr is a terminal; {@code previousEntries} 0 if unknown. */
    static Progress start(ScanStats stats, long previousEntries, PrintStream err) {
        return start(stats, previousEntries, err, stderrIsTerminal());
    }

    static Progress start(ScanStats stats, long previousEntries, PrintStream err, boolean terminal) {
        if (!terminal) {
            return new Progress(null, err);
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigil-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> {
            double s = stats.elapsedSeconds();
            long n = stats.entries.sum();
            String estimate = previousEntries > 0 ? String.format(", ~%d%% of last run", Math.min(99, n * 100 / previousEntries)) : "";
            err.printf("\r%,d entries, %.0f MB/s, %.1fs%s   ", n, stats.bytesHashed.sum() / 1e6 / Math.max(s, 1e-3), s, estimate);
        }, 500, 250, TimeUnit.MILLISECONDS);
        return new Progress(timer, err);
    }

    private static boolean stderrIsTerminal() {
        try {
            return Libc.isatty(2) == 1;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
            err.print("\r\033[K");
        }
    }
}
