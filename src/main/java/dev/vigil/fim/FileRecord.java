package dev.vigil.fim;

import dev.vigil.os.PathBytes;

import java.util.Collections;
import java.util.SortedMap;

/**
 * The recorded state of one file system entry. Paths and symlink targets are raw bytes (see
 * {@link PathBytes}); times are nanoseconds since the epoch; {@code hash} is lower-case hex, or null for
 * anything but a regular file (or when it was not computed); {@code xattrs} maps each extended attribute's
 * name to its value in base64. {@code error} says why part of the entry could not be read, or is null.
 */
public record FileRecord(byte[] path, EntryType type, long size, int mode, int uid, int gid, long inode,
                         long device, long links, long mtimeNs, long ctimeNs, byte[] target, String hash,
                         SortedMap<String, String> xattrs, String error) {

    public FileRecord {
        // one shared empty map: most entries have no xattrs, and a walk holds a directory's records at once
        xattrs = xattrs == null ? Collections.emptySortedMap() : xattrs;
    }

    /** The fields a quick check trusts: if none changed, the content is taken as unchanged. */
    public boolean sameStatKey(FileRecord other) {
        return device == other.device && inode == other.inode && size == other.size
                && mtimeNs == other.mtimeNs && ctimeNs == other.ctimeNs && type == other.type;
    }

    public FileRecord withHash(String newHash, String newError) {
        return new FileRecord(path, type, size, mode, uid, gid, inode, device, links, mtimeNs, ctimeNs, target,
                newHash, xattrs, newError);
    }

    public FileRecord withXattrs(SortedMap<String, String> newXattrs, String newError) {
        return new FileRecord(path, type, size, mode, uid, gid, inode, device, links, mtimeNs, ctimeNs, target,
                hash, newXattrs, newError);
    }

    /**
     * The record with {@code other}'s hash and extended attributes, in one step: a quick check takes both over
     * from the baseline for nearly every entry.
     */
    public FileRecord withHashAndXattrsOf(FileRecord other) {
        return new FileRecord(path, type, size, mode, uid, gid, inode, device, links, mtimeNs, ctimeNs, target,
                other.hash, other.xattrs, error);
    }

    public String displayPath() {
        return PathBytes.escape(path);
    }

}
