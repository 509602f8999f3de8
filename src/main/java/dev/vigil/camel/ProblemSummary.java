package dev.vigil.camel;

import dev.vigil.fim.FileRecord;
import dev.vigil.fim.Scanner;
import dev.vigil.os.PathBytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The problems of a pass over whole areas (a first baseline, a check), told in one line instead of one line
 * each: an ordinary user's first run over /etc meets dozens of files only root may read.
 */
final class ProblemSummary implements Scanner.Sink {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemSummary.class);
    private static final int EXAMPLES = 5;

    private final AtomicLong count = new AtomicLong();
    private final AtomicLong denied = new AtomicLong();
    private final List<String> examples = new ArrayList<>();

    @Override
    public void entry(FileRecord record) {
        // entries go to the baseline store, not here
    }

    @Override
    public void problem(byte[] path, String message) {
        if (message.contains("permission denied")) {
            denied.incrementAndGet();
        }
        if (count.incrementAndGet() <= EXAMPLES) {
            synchronized (examples) {
                examples.add(PathBytes.escape(path) + ": " + message);
            }
        }
    }

    /** Logs the count with a few examples, if there was any problem, and starts counting again. */
    void log(String who) {
        long n = count.getAndSet(0);
        long notPermitted = denied.getAndSet(0);
        if (n > 0) {
            // the hint only where it helps: root is denied nothing, yet meets names too long or entries that vanish
            String hint = notPermitted == 0 ? "" : " (" + notPermitted + " not permitted: run as root to cover them)";
            synchronized (examples) {
                LOG.warn("{}: {} entries could not be read completely{}, e.g. {}", who, n, hint, examples);
                examples.clear();
            }
        }
    }
}
