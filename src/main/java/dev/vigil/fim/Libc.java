package dev.vigil.fim;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The libc calls the file-integrity engine makes (JNA direct mapping): the ones the JDK does not offer, or
 * offers only through costly layers; see {@link Statx}, {@link Xattrs} and {@link Hasher} for why each.
 * Paths are NUL-terminated raw bytes.
 */
final class Libc {

    static final int AT_FDCWD = -100;
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int AT_NO_AUTOMOUNT = 0x800;
    static final int AT_EMPTY_PATH = 0x1000;

    /**
     * Whether the {@code open} flags below are this architecture's: they are Linux's on x86, ARM and POWER
     * (O_NOFOLLOW differs between them), while MIPS, SPARC and others number them otherwise.
     */
    static final boolean KNOWN_FLAGS = Platform.isIntel() || Platform.isARM() || Platform.isPPC();
    static final int O_RDONLY = 0;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int O_NOFOLLOW = Platform.isARM() || Platform.isPPC() ? 0x8000 : 0x20000;

    static final int ENOENT = 2;
    static final int EACCES = 13;
    static final int ERANGE = 34;
    static final int ENODATA = 61;
    static final int ENOTSUP = 95;

    static {
        Native.register(Libc.class, "c");
    }

    private Libc() {
    }

    static native int statx(int dirfd, byte[] path, int flags, int mask, byte[] buf) throws LastErrorException;

    static native long llistxattr(byte[] path, byte[] list, long size) throws LastErrorException;

    static native long lgetxattr(byte[] path, byte[] name, byte[] value, long size) throws LastErrorException;

    static native long readlink(byte[] path, byte[] buf, long size) throws LastErrorException;

    static native int open(byte[] path, int flags) throws LastErrorException;

    static native long read(int fd, Pointer buf, long count) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native int geteuid();

    static native String strerror(int errnum);

    /** What a failed call's errno means, as the JDK words it ("permission denied", "File name too long"). */
    static String reason(LastErrorException e) {
        return e.getErrorCode() == EACCES ? "permission denied" : strerror(e.getErrorCode());
    }

    /** A path as C wants it: the raw bytes and a NUL. */
    static byte[] cString(byte[] path) {
        return java.util.Arrays.copyOf(path, path.length + 1);
    }
}
