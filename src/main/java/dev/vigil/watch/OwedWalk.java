package dev.vigil.watch;

/**
 * A walk of the areas a kernel reader owes after events were lost unread (the kernel's overflow, or fanotify's
 * backlog bound): renames and new directories among them leave the reader's picture of the tree wrong (a directory
 * named where it no longer is, one inotify never watches). Done at the loss, but at most once a minute: a reader kept
 * behind would otherwise walk at every loss; what is owed meanwhile is done at the first batch read after the minute.
 */
final class OwedWalk {

    private static final long EVERY_NANOS = 60_000_000_000L;

    private final Runnable walk;
    private boolean owed;
    private boolean walked;
    private long walkedAt;

    OwedWalk(Runnable walk) {
        this.walk = walk;
    }

    /** Events were lost unread: walks now, or once the minute since the last walk is past. */
    void lost() {
        owed = true;
        walkIfDue();
    }

    /** Walks if it is owed and the last walk is a minute past. */
    void walkIfDue() {
        if (!owed || walked && System.nanoTime() - walkedAt < EVERY_NANOS) {
            return;
        }
        owed = false;
        walk.run();
        walkedAt = System.nanoTime();
        walked = true;
    }
}
