package dev.vigil.camel;

import dev.vigil.alert.Source;

/**
 * A source that says, in a few words, what it is doing, for the daemon's one "ready:" line, and how it runs, for
 * the fleet's heartbeats.
 */
public interface Announced {

    /** What the started consumer does, e.g. "watching [/etc] (fanotify)"; empty when it does nothing. */
    String announcement();

    /** The source whose findings it makes. */
    Source source();

    /**
     * How it runs, as a heartbeat says it: "on", or for the files fanotify, inotify, trickle or scan; empty when
     * it does nothing.
     */
    default String mode() {
        return announcement().isEmpty() ? "" : "on";
    }
}
