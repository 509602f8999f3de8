package dev.vigil.fim;

import java.util.concurrent.atomic.LongAdder;

/** Running counters of one scan, read by the progress line while workers add to them. */
public final class ScanStats {
    public final LongAdder entries = new LongAdder();
    public final LongAdder bytesHashed = new LongAdder();
    public final LongAdder errors = new LongAdder();
    public final long startNanos = System.nanoTime();

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
