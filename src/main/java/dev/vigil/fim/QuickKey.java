package dev.vigil.fim;

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
    /** The most bytes the version, the ten numbers (ten bytes at most each) and the target's presence take. */
    private static final int MOST = 1 + 10 * 10 + 1;

    private QuickKey() {
    }

    /** The key a baseline row is stored with, or null if a quick check cannot take the row's hash and xattrs over. */
    public static byte[] of(FileRecord r) {
        if (!hasKey(r, true)) {
            return null;
        }
        byte[] packed = new byte[most(r)];
        return Arrays.copyOf(packed, pack(r, packed));
    }

    /**
     * Whether {@code r} has a key: it has no error and, unless {@code hashed} is false (a quick check's walk, which
     * hashes nothing, keys entries by their stat values alone), it has its hash if it has content.
     */
    static boolean hasKey(FileRecord r, boolean hashed) {
        return r.error() == null && !(hashed && r.type().hasContent() && r.hash() == null);
    }

    /** The most bytes {@code r}'s key takes: the size of an array {@link #pack} may write it into. */
    static int most(FileRecord r) {
        return MOST + length(r.target());
    }

    /**
     * Whether {@code current}, as a quick check's walk found it, has every stat value of the row stored with
     * {@code key}: then it is that row, hash and xattrs included (setting an xattr or writing changes the ctime).
     */
    public static boolean matches(byte[] key, FileRecord current) {
        if (key == null || current.error() != null) {
            return false;
        }
        byte[] packed = new byte[most(current)];
        return Arrays.equals(key, 0, key.length, packed, 0, pack(current, packed));
    }

    /**
     * Writes {@code r}'s values into {@code out} and returns how many bytes they took: each number as a zigzag
     * varint (a few bytes for most; a row's key is about a third of its other columns), the mtime as its
     * difference from the ctime (mostly small), then whether there is a target and the target's bytes. The fields
     * are in a fixed order and each varint says where it ends, so equal bytes mean equal values.
     */
    static int pack(FileRecord r, byte[] out) {
        out[0] = VERSION;
        int at = 1;
        // the type as its S_IFMT bits, which the kernel fixes, not as the enum's order
        at = varint(out, at, r.type().modeBits() >>> 12);
        at = varint(out, at, r.size());
        at = varint(out, at, r.mode());
        at = varint(out, at, r.uid());
        at = varint(out, at, r.gid());
        at = varint(out, at, r.inode());
        at = varint(out, at, r.device());
        at = varint(out, at, r.links());
        at = varint(out, at, r.ctimeNs());
        at = varint(out, at, r.mtimeNs() - r.ctimeNs());
        out[at++] = (byte) (r.target() == null ? 0 : 1);
        int length = length(r.target());
        if (length > 0) {
            System.arraycopy(r.target(), 0, out, at, length);
        }
        return at + length;
    }

    private static int varint(byte[] out, int at, long value) {
        long z = (value << 1) ^ (value >> 63);
        while ((z & ~0x7FL) != 0) {
            out[at++] = (byte) (z | 0x80);
            z >>>= 7;
        }
        out[at++] = (byte) z;
        return at;
    }

    private static int length(byte[] target) {
        return target == null ? 0 : target.length;
    }
}
