package dev.vigil.camel;

/** A source that says, in a few words, what it is doing, for the daemon's one "ready:" line. */
public interface Announced {

    /** What the started consumer does, e.g. "watching [/etc] (fanotify)"; empty when it does nothing. */
    String announcement();
}
