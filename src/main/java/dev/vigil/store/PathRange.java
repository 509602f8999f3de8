package dev.vigil.store;

import java.util.Arrays;

/**
 * The paths at or below a root, as SQLite compares BLOBs (byte by byte): the root itself, and those from
 * "root/" up to "root0", '0' being the byte after '/', which are exactly the paths strictly below it.
 */
final class PathRange {

    /** The condition on a column {@code path}; {@link #args} are its parameters, in order. */
    static final String CONDITION = "path = ? OR (path >= ? AND path < ?)";

    /**
     * The same paths as one range of the key ("root" up to "root0") less the siblings in it ("root-x", whose
     * names go on with a byte below '/'); {@link #orderedArgs} are its parameters. For a read in path order:
     * with {@link #CONDITION}'s OR, SQLite reads the root and the range apart and sorts the rows in a temporary
     * B-tree (the whole baseline of a check written to a temporary file and read back, all columns included).
     */
    static final String ORDERED_CONDITION = "path >= ? AND path < ? AND (path = ? OR path >= ?)";

    /**
     * The condition on a column {@code key} of {@code baseline_listing} for the listings of the directories at or
     * below the root, whose keys ("dir/") lie from "root/" up to "root0"; {@link #listingArgs} are its parameters.
     */
    static final String LISTING_CONDITION = "key >= ? AND key < ?";

    /**
     * The paths below the root after a path below it: one range of the key, so a read in path order starts at that
     * path (a seek) rather than at the root; {@link #argsAfter} are its parameters.
     */
    static final String CONDITION_AFTER = "path > ? AND path < ?";

    private final byte[] root;
    private final byte[] low;
    private final byte[] high;

    PathRange(byte[] root) {
        this.root = root;
        boolean slashRoot = root.length == 1 && root[0] == '/';
        low = slashRoot ? root : Arrays.copyOf(root, root.length + 1);
        high = slashRoot ? new byte[]{'0'} : Arrays.copyOf(root, root.length + 1);
        if (!slashRoot) {
            low[root.length] = '/';
            high[root.length] = '0';
        }
    }

    Object[] args() {
        return new Object[]{root, low, high};
    }

    Object[] listingArgs() {
        return new Object[]{low, high};
    }

    /** For {@link #CONDITION_AFTER}: {@code after} is below the root. */
    Object[] argsAfter(byte[] after) {
        return new Object[]{after, high};
    }

    Object[] orderedArgs() {
        return new Object[]{root, high, root, low};
    }
}
