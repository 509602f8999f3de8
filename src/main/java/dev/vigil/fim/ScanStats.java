package dev.vigil.fim;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/** Running counters of one scan, read by the progress line while workers add to them. */
public final class ScanStats {
    public final LongAdder entries = new LongAdder();
    public final LongAdder bytesHashed = new LongAdder();
    public final LongAdder errors = new LongAdder();
    public final long startNanos = System.nanoTime();

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** "N entries, X MB hashed in Ts (R entries/s)": the scan so far, or whole once it ended. */
    public String summary() {
        double s = Math.max(elapsedSeconds(), 1e-3);
        long n = entries.sum();
        return String.format("%,d entries, %,.0f MB hashed in %.0fs (%,.0f entries/s)%s", n, bytesHashed.sum() / 1e6, s, n / s,
                errors.sum() == 0 ? "" : String.format(", %,d unreadable", errors.sum()));
    }

    /** Hands {@link #summary()} to {@code line} every {@code period} until closed: a long scan's progress on a log. */
    public Reporting reportEvery(Duration period, Consumer<String> line) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigil-scan-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> line.accept(summary()), period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return timer::shutdownNow;
    }

    /** A running {@link #reportEvery}; closing it stops the reports. */
    public interface Reporting extends AutoCloseable {
        @Override
        void close();
    }
}
