package dev.vigil.fim;

/** How an entry differs from its baseline, or is wrong whatever its baseline; the names are the file findings' kinds. */
public enum ChangeKind {
    ADDED,
    DELETED,
    /** The content changed: its hash, size, type or symlink target. */
    MODIFIED,
    /** Only metadata changed: permissions, owner, group, inode, links, times or xattrs. */
    ATTRIBUTES,
    /**
     * An ignore file that is not applied because Vigil does not trust it or it is too large, whether or not it
     * differs from its baseline (what differs is in the change's attributes). Always critical.
     */
    UNTRUSTED_IGNORE
}
