package dev.vigil.fim;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A baseline row's stat values packed into one value, kept beside the row, so a quick check compares an unchanged
 * entry with one column read from SQLite instead of fifteen (a JNI call each, which made reading the baseline a
 * large share of a quick check's CPU) and reads the whole row only for an entry whose values differ.
 *
 * <p>Exact values, not a digest of them: equal keys mean equal type, size, mode, owner, group, inode, device, link
 * count, times and symlink target, with no collision an attacker could aim at. A row that could not be read whole
 * (an error, or a regular file without its hash) has no key: a quick check cannot take its hash over.
 */
public final class QuickKey {

    /** The layout's version, first: a key of another layout never equals one of this. */
    private static final byte VERSION = 1;
    /** Version, type, size, mode, uid, gid, inode, device, links, mtime, ctime and the target's presence. */
    private static final int FIXED = 1 + 4 + 8 + 4 + 4 + 4 + 8 + 8 + 8 + 8 + 8 + 1;

    private static final byte[] NO_TARGET = new byte[0];

    private QuickKey() {
    }

    /** The key a baseline row is stored with, or null if a quick check cannot take the row's hash and xattrs over. */
    public static byte[] of(FileRecord r) {
        return r.error() != null || r.type().hasContent() && r.hash() == null ? null : packed(r);
    }

    /**
     * Whether {@code current}, as a quick check's walk found it, has every stat value of the row stored with
     * {@code key}: then it is that row, hash and xattrs included (setting an xattr or writing changes the ctime).
     */
    public static boolean matches(byte[] key, FileRecord current) {
        return key != null && current.error() == null && Arrays.equals(key, packed(current));
    }

    private static byte[] packed(FileRecord r) {
        byte[] target = r.target() == null ? NO_TARGET : r.target();
        // the type as its S_IFMT bits, which the kernel fixes, not as the enum's order
        return ByteBuffer.allocate(FIXED + target.length).put(VERSION).putInt(r.type().modeBits()).putLong(r.size())
                .putInt(r.mode()).putInt(r.uid()).putInt(r.gid()).putLong(r.inode()).putLong(r.device())
                .putLong(r.links()).putLong(r.mtimeNs()).putLong(r.ctimeNs()).put((byte) (r.target() == null ? 0 : 1))
                .put(target).array();
    }
}
