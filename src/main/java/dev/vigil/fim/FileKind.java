package dev.vigil.fim;

/**
 * The kinds of file finding besides an entry's {@link ChangeKind}. MOVED, MOUNT, UNMOUNT and OVERFLOW are named as
 * the watch's event types they come from.
 */
public enum FileKind {
    /** A deviation reported earlier is gone: the entry is back as in the baseline. */
    REVERTED,
    /** A baselined entry renamed, with both paths. */
    MOVED,
    /** Part of the areas has no kernel watch; a trickle checks it instead. */
    UNWATCHED,
    /** A file system was mounted at, below or over an area. */
    MOUNT,
    /** A mount at, below or over an area is gone. */
    UNMOUNT,
    /** The watch lost events; the areas were checked for what they would have shown. */
    OVERFLOW,
    /** The baseline was changed by Vigil (accept, baseline, forget): what, and the seal after it. */
    ACCEPTED,
    /** The baseline's rows were changed behind Vigil's back: the seal of its rows is not the one it kept. */
    BASELINE_TAMPERED
}
