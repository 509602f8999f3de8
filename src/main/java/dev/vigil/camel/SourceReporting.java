package dev.vigil.camel;

import dev.vigil.store.DaemonStatus;

/**
 * A source consumer that says where it stands, for the daemon's status model ({@code camel.status.StatusModel}):
 * whether it runs, what fails, and the facts of its work, read from where they live (its supervisor, its watcher,
 * its trickle, the database). Called on another thread than the source's own, so it reads only what is safe to
 * read from there.
 */
public interface SourceReporting {

    DaemonStatus.SourceStatus status();
}
