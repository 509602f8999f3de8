package dev.vigil.fim;

/** How an entry differs from its baseline; the names are the file findings' kinds. */
public enum ChangeKind {
    ADDED,
    DELETED,
    /** The content changed: its hash, size, type or symlink target. */
    MODIFIED,
    /** Only metadata changed: permissions, owner, group, inode, links, times or xattrs. */
    ATTRIBUTES
}
