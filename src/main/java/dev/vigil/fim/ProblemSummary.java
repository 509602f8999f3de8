package dev.vigil.fim;

import dev.vigil.os.PathBytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The problems of a pass over whole areas (a first baseline, a check), told in one line instead of one line
 * each: an ordinary user's first run over /etc meets dozens of files only root may read. A path already told
 * by a summary sharing the same {@code said} set is not told again: the daemon's watch, scheduled check and
 * trickle all pass over the same areas, and one unreadable file is one warning, not three.
 */
public final class ProblemSummary implements Scanner.Sink {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemSummary.class);
    private static final int EXAMPLES = 5;
    /** Paths remembered as told; beyond it a path may be told again, rather than memory grow with a hostile tree. */
    private static final int SAID_BOUND = 100_000;

    private final AtomicLong count = new AtomicLong();
    private final AtomicLong denied = new AtomicLong();
    private final List<String> examples = new ArrayList<>();
    private final Set<String> said;

    /** A summary that tells each pass's problems, whatever earlier passes told. */
    public ProblemSummary() {
        this(null);
    }

    /** A summary that tells only paths no summary sharing {@code said} has told (null: all of them). */
    public ProblemSummary(Set<String> said) {
        this.said = said;
    }

    @Override
    public void entry(FileRecord record) {
        // entries go to the baseline store, not here
    }

    @Override
    public void problem(byte[] path, String message) {
        String escaped = PathBytes.escape(path);
        if (said != null && (said.contains(escaped) || (said.size() < SAID_BOUND && !said.add(escaped)))) {
            return;
        }
        if (message.contains("permission denied")) {
            denied.incrementAndGet();
        }
        if (count.incrementAndGet() <= EXAMPLES) {
            synchronized (examples) {
                examples.add(escaped + ": " + message);
            }
        }
    }

    /** Logs the count with a few examples, if there was any problem, and starts counting again. */
    public void log(String who) {
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
