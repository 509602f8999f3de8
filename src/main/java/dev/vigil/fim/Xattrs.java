package dev.vigil.fim;

import com.sun.jna.LastErrorException;
import dev.vigil.os.Libc;
import dev.vigil.os.PathBytes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Extended attributes and symlink targets read through libc (JNA), without following symlinks.
 *
 * <p>Hand-written because the JDK reaches only the {@code user.} namespace, while the attribute that matters
 * most here is {@code security.capability}: a capability added to a binary is a classic backdoor. Symlink
 * targets are read here too because {@code Files.readSymbolicLink} cannot return the raw bytes of a target
 * that is not valid UTF-8.
 */
public final class Xattrs {

    /** The xattr holding a file's capabilities, reported on its own (AIDE's {@code caps}). */
    public static final String CAPABILITY = "security.capability";

    /**
     * The most bytes of values an entry's attributes keep as they are, in all: past it each value is kept as its
     * SHA-256 ({@link #DIGEST}), which still tells a change. A file's attributes are its owner's to write, up to 64 KiB
     * each and, on XFS or btrfs, thousands of them: read whole and copied as text, one file of 500 MiB of them ran the
     * daemon out of memory at every check. The capability is always kept as it is.
     */
    static final int KEPT_BYTES = 64 * 1024;
    /** The most attributes of an entry kept by name; the rest are one entry, {@link #more}, with a SHA-256 of them all. */
    static final int KEPT_NAMES = 256;
    /** What a value past {@link #KEPT_BYTES} is kept as (then base64, as every value is): this and its SHA-256 in hex. */
    static final String DIGEST = "sha256:";

    private Xattrs() {
    }

    /** All extended attributes of the entry at {@code path}: name to base64 value; empty where unsupported. */
    public static SortedMap<String, String> read(byte[] path) {
        return read(new ByPath(PathBytes.cString(path)));
    }

    /** As {@link #read(byte[])}, of the file open as {@code fd}: no path is looked up again. */
    static SortedMap<String, String> read(int fd) {
        return read(new ByDescriptor(fd));
    }

    /**
     * listxattr(2) and getxattr(2) of one entry, by path or by descriptor. Records, not lambdas: under the launcher's
     * quick compiler each capturing lambda made is a call into the VM, and a walk reads every file's xattrs.
     */
    private interface Entry {
        long list(byte[] list, long size);

        long get(byte[] name, byte[] value, long size);
    }

    /** The entry at a NUL-terminated path, not followed if a symlink. */
    private record ByPath(byte[] cpath) implements Entry {
        @Override
        public long list(byte[] list, long size) {
            return Libc.llistxattr(cpath, list, size);
        }

        @Override
        public long get(byte[] name, byte[] value, long size) {
            return Libc.lgetxattr(cpath, name, value, size);
        }
    }

    /** The entry open as a file descriptor. */
    private record ByDescriptor(int fd) implements Entry {
        @Override
        public long list(byte[] list, long size) {
            return Libc.flistxattr(fd, list, size);
        }

        @Override
        public long get(byte[] name, byte[] value, long size) {
            return Libc.fgetxattr(fd, name, value, size);
        }
    }

    private static SortedMap<String, String> read(Entry entry) {
        byte[] names = listNames(entry);
        if (names.length == 0) {
            return Collections.emptySortedMap(); // most entries: no map of their own to make, hold and seal
        }
        SortedMap<String, String> out = new TreeMap<>();
        long kept = 0;
        int more = 0;
        MessageDigest rest = null;
        MessageDigest valueDigest = null; // one for every value kept as its digest: a file may have thousands
        int start = 0;
        for (int i = 0; i < names.length; i++) {
            if (names[i] == 0) {
                byte[] name = i > start ? Arrays.copyOfRange(names, start, i + 1) : null;
                byte[] value = name == null ? null : value(entry, name); // null too when gone since it was listed
                if (value != null) {
                    String key = new String(name, 0, name.length - 1, StandardCharsets.UTF_8);
                    boolean capability = key.equals(CAPABILITY);
                    if (out.size() >= KEPT_NAMES && !capability) {
                        rest = rest == null ? Seal.sha256() : rest;
                        valueDigest = valueDigest == null ? Seal.sha256() : valueDigest;
                        rest.update(name);
                        rest.update(valueDigest.digest(value));
                        more++;
                    } else if (kept + value.length <= KEPT_BYTES || capability) {
                        kept += value.length;
                        out.put(key, Base64.getEncoder().encodeToString(value));
                    } else {
                        valueDigest = valueDigest == null ? Seal.sha256() : valueDigest;
                        out.put(key, digest(valueDigest.digest(value)));
                    }
                }
                start = i + 1;
            }
        }
        if (more > 0) {
            out.put(more(more), digest(rest.digest()));
        }
        return out;
    }

    /** The name of the entry that stands for {@code count} attributes past {@link #KEPT_NAMES}: no attribute's name (each has a namespace and a dot). */
    static String more(int count) {
        return "(" + count + " more)";
    }

    private static String digest(byte[] sha256) {
        return Base64.getEncoder().encodeToString((DIGEST + HexFormat.of().formatHex(sha256)).getBytes(StandardCharsets.US_ASCII));
    }

    /** The raw target of the symlink at {@code path}. */
    public static byte[] readLink(byte[] path) {
        return readLinkAt(Libc.AT_FDCWD, PathBytes.cString(path));
    }

    /** The raw target of the symlink named by the NUL-terminated {@code name} in the directory open as {@code dirFd}. */
    static byte[] readLinkAt(int dirFd, byte[] name) {
        for (int size = 256; ; size *= 4) {
            byte[] buf = new byte[size];
            long n = Libc.readlinkat(dirFd, name, buf, size);
            if (n < size) {
                return Arrays.copyOf(buf, (int) n);
            }
        }
    }

    private static byte[] listNames(Entry entry) {
        try {
            while (true) {
                long size = entry.list(null, 0);
                if (size == 0) {
                    return new byte[0];
                }
                byte[] buf = new byte[(int) size];
                try {
                    long n = entry.list(buf, size);
                    return Arrays.copyOf(buf, (int) n);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != Libc.ERANGE) {
                        throw e;
                    }
                }
            }
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Libc.ENOTSUP) {
                return new byte[0];
            }
            throw e;
        }
    }

    private static byte[] value(Entry entry, byte[] name) {
        try {
            long size = entry.get(name, null, 0);
            byte[] buf = new byte[(int) size];
            long n = size == 0 ? 0 : entry.get(name, buf, size);
            return Arrays.copyOf(buf, (int) n);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Libc.ENODATA) {
                return null;
            }
            throw e;
        }
    }
}
