package dev.vigil.camel;

import dev.vigil.alert.Source;
import dev.vigil.store.DaemonStatus;

import java.util.Set;

/**
 * What a source's consumer says about itself, in one place: which source its findings are ({@link #source}), what
 * it does in a few words for the daemon's one "ready:" line ({@link #announcement}), how it runs for the fleet's
 * heartbeats ({@link #mode}), and where it stands for the status model ({@link #status}: whether it runs, what
 * fails, the facts of its work). {@link #status} is called on another thread than the source's own, so it reads
 * only what is safe to read from there.
 */
public interface SourceConsumer {

    /** The source whose findings it makes. */
    Source source();

    /** What the started consumer does, e.g. "watching [/etc] (fanotify)"; empty when it does nothing. */
    String announcement();

    /**
     * How it runs, as a heartbeat and the status say it: "on", or for the files fanotify, inotify, trickle or scan;
     * empty when it does nothing.
     */
    default String mode() {
        return announcement().isEmpty() ? "" : "on";
    }

    /** The names of the trickles it runs, whose order of verification the store keeps for them. */
    default Set<String> trickles() {
        return Set.of();
    }

    /** Where it stands: running, failing with what, and its facts. */
    DaemonStatus.SourceStatus status();
}
