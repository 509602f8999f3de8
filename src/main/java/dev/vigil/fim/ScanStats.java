package dev.vigil.fim;

import dev.vigil.os.PathBytes;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
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
    /** About how many entries the scan will meet, once {@link #countAhead} has counted them; 0 until then. */
    private volatile long expected;

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** "N entries, X MB hashed in Ts (R entries/s)": the scan so far, or whole once it ended. */
    public String summary() {
        return describe("");
    }

    /**
     * {@link #summary()} while the scan runs: once {@link #countAhead} has counted, also the share done and an
     * estimate of the time left.
     */
    public String progress() {
        long n = entries.sum();
        long total = expected;
        return describe(total <= n || n == 0 ? "" : String.format(" of about %,d (%d%%, about %.0fs left)",
                total, n * 100 / total, (total - n) / (n / Math.max(elapsedSeconds(), 1e-3))));
    }

    private String describe(String share) {
        double s = Math.max(elapsedSeconds(), 1e-3);
        long n = entries.sum();
        return String.format("%,d entries%s, %,.0f MB hashed in %.0fs (%,.0f entries/s)%s", n, share,
                bytesHashed.sum() / 1e6, s, n / s, errors.sum() == 0 ? "" : String.format(", %,d unreadable", errors.sum()));
    }

    /**
     * Counts the entries under {@code roots} but those {@code excludes} leaves out, on a thread of its own (names
     * only: no hashing, no following a link),
     * so that a long first scan can say how far it is. Nothing to wait for: the count arrives when it arrives, and
     * a tree that cannot be listed is counted as far as it can be.
     */
    public void countAhead(List<Path> roots, Excludes excludes) {
        Thread counter = new Thread(() -> {
            long[] count = {0};
            for (Path root : roots) {
                try {
                    Files.walkFileTree(root, new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                            if (excludes.excluded(PathBytes.of(dir), true)) {
                                return FileVisitResult.SKIP_SUBTREE;
                            }
                            count[0]++;
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (!excludes.excluded(PathBytes.of(file), attrs.isDirectory())) {
                                count[0]++;
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            count[0]++;
                            return FileVisitResult.CONTINUE;
                        }
                    });
                } catch (IOException | RuntimeException e) {
                    // counted as far as the walk got: the estimate is only an estimate
                }
            }
            expected = count[0];
        }, "vigil-scan-count");
        counter.setDaemon(true);
        counter.start();
    }

    /** Hands {@link #progress()} to {@code line} every {@code period} until closed: a long scan's progress on a log. */
    public Reporting reportEvery(Duration period, Consumer<String> line) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigil-scan-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> line.accept(progress()), period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return timer::shutdownNow;
    }

    /** A running {@link #reportEvery}; closing it stops the reports. */
    public interface Reporting extends AutoCloseable {
        @Override
        void close();
    }
}
