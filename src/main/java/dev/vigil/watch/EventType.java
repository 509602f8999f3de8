package dev.vigil.watch;

/** What happened to a path, as far as the kernel told us. One event may carry several (the kernel merges). */
public enum EventType {
    CREATE,
    MODIFY,
    CLOSE_WRITE,
    ATTRIB,
    DELETE,
    /** A rename inside the watched areas: the event carries both the old and the new path. */
    MOVED,
    /** Renamed from a watched area to a place outside it (only the old path is known to be watched). */
    MOVED_FROM,
    /** Renamed into a watched area from outside, or a half of a rename whose other half never came. */
    MOVED_TO,
    DELETE_SELF,
    MOVE_SELF,
    OPEN_EXEC,
    ACCESS,
    /**
     * A filesystem was mounted at or below an area, or over an ancestor of one, at {@link FileEvent#path()}: what
     * it covers is hidden and what happens in it is not seen by the watch; the area should be checked by scanning.
     */
    MOUNT,
    /** A mount at or below an area, or over an ancestor of one, is gone: what it covered is visible again. */
    UNMOUNT,
    /**
     * Events were lost (kernel queue, our own queue, or a path that could no longer be resolved): the caller
     * should check the area in {@link FileEvent#path()} (or every area when it is null) by scanning.
     */
    OVERFLOW
}
