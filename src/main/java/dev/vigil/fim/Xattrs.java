package dev.vigil.fim;

import com.sun.jna.LastErrorException;
import dev.vigil.os.Libc;
import dev.vigil.os.PathBytes;

import java.util.Arrays;
import java.util.Base64;
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

    private Xattrs() {
    }

    /** All extended attributes of the entry at {@code path}: name to base64 value; empty where unsupported. */
    public static SortedMap<String, String> read(byte[] path) {
        byte[] cpath = PathBytes.cString(path);
        SortedMap<String, String> out = new TreeMap<>();
        byte[] names = listNames(cpath);
        int start = 0;
        for (int i = 0; i < names.length; i++) {
            if (names[i] == 0) {
                if (i > start) {
                    byte[] name = Arrays.copyOfRange(names, start, i + 1);
                    byte[] value = value(cpath, name);
                    if (value != null) {
                        out.put(new String(name, 0, name.length - 1, java.nio.charset.StandardCharsets.UTF_8),
                                Base64.getEncoder().encodeToString(value));
                    }
                }
                start = i + 1;
            }
        }
        return out;
    }

    /** The raw target of the symlink at {@code path}. */
    public static byte[] readLink(byte[] path) {
        byte[] cpath = PathBytes.cString(path);
        for (int size = 256; ; size *= 4) {
            byte[] buf = new byte[size];
            long n = Libc.readlink(cpath, buf, size);
            if (n < size) {
                return Arrays.copyOf(buf, (int) n);
            }
        }
    }

    private static byte[] listNames(byte[] cpath) {
        try {
            while (true) {
                long size = Libc.llistxattr(cpath, null, 0);
                if (size == 0) {
                    return new byte[0];
                }
                byte[] buf = new byte[(int) size];
                try {
                    long n = Libc.llistxattr(cpath, buf, size);
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

    private static byte[] value(byte[] cpath, byte[] name) {
        try {
            long size = Libc.lgetxattr(cpath, name, null, 0);
            byte[] buf = new byte[(int) size];
            long n = size == 0 ? 0 : Libc.lgetxattr(cpath, name, buf, size);
            return Arrays.copyOf(buf, (int) n);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Libc.ENODATA) {
                return null;
            }
            throw e;
        }
    }
}
