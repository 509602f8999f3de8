package dev.vigil.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * Every libc call Vigil makes, bound by JNA direct mapping (a static native method per call, the fastest way
 * JNA has: the hasher's reads and the fanotify reader's reads go through here). These are the calls the JDK
 * does not offer, or offers only through costly layers: statx, xattrs and raw-byte link targets for the file
 * checks (a walk lists a directory with getdents64, which gives each entry's type, and stats, opens and reads
 * its entries relative to the directory's descriptor), fanotify, inotify, file handles and the netlink process
 * connector for the watch, poll and eventfd to wake a blocked reader, and a datagram to systemd's notification
 * socket (which the JDK cannot send: its UNIX-domain channels are stream sockets only), and one thread's scheduling policy (the process connector's). Written by hand because JNA's platform module covers none of
 * fanotify, the process connector or statx; the constants are copied from the kernel's uapi headers so no build step parses C.
 *
 * <p>A call declared to throw {@link LastErrorException} fails by throwing it with the errno; {@code read} and
 * {@code recv} return -1 instead and leave errno in {@link Native#getLastError()}, because EAGAIN is routine
 * on a non-blocking descriptor and an exception per empty read would cost the event readers. Paths are
 * NUL-terminated raw bytes ({@link PathBytes#cString}).
 */
public final class Libc {

    /** Where the watch's structure layouts hold: a 64-bit Linux ABI (x86_64, aarch64). */
    public static final boolean SUPPORTED = Platform.isLinux() && Native.LONG_SIZE == 8;

    /**
     * Whether the {@code open} flags below are this architecture's: they are Linux's on x86, ARM and POWER
     * (O_NOFOLLOW and O_DIRECTORY differ between them), while MIPS, SPARC and others number them otherwise.
     */
    public static final boolean KNOWN_FLAGS = Platform.isIntel() || Platform.isARM() || Platform.isPPC();

    public static final int EINTR = 4;
    public static final int ENOENT = 2;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int ENOSPC = 28;
    public static final int ENAMETOOLONG = 36;
    public static final int ERANGE = 34;
    public static final int ENODATA = 61;
    public static final int ENOTSUP = 95;
    public static final int ENOBUFS = 105;

    public static final int O_RDONLY = 0;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_DIRECTORY = Platform.isARM() || Platform.isPPC() ? 0x4000 : 0x10000;
    public static final int O_NOFOLLOW = Platform.isARM() || Platform.isPPC() ? 0x8000 : 0x20000;
    public static final int O_CLOEXEC = 0x80000;
    public static final int O_PATH = 0x200000;

    public static final int SCHED_RR = 2;

    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int AT_NO_AUTOMOUNT = 0x800;
    public static final int AT_EMPTY_PATH = 0x1000;

    // fanotify_init flags
    public static final int FAN_CLOEXEC = 0x1;
    public static final int FAN_NONBLOCK = 0x2;
    public static final int FAN_CLASS_NOTIF = 0x0;
    public static final int FAN_UNLIMITED_QUEUE = 0x10;
    public static final int FAN_REPORT_FID = 0x200;
    public static final int FAN_REPORT_DIR_FID = 0x400;
    public static final int FAN_REPORT_NAME = 0x800;
    public static final int FAN_REPORT_TARGET_FID = 0x1000;
    public static final int FAN_REPORT_DFID_NAME = FAN_REPORT_DIR_FID | FAN_REPORT_NAME;

    // fanotify event bits
    public static final long FAN_ACCESS = 0x1;
    public static final long FAN_MODIFY = 0x2;
    public static final long FAN_ATTRIB = 0x4;
    public static final long FAN_CLOSE_WRITE = 0x8;
    public static final long FAN_MOVED_FROM = 0x40;
    public static final long FAN_MOVED_TO = 0x80;
    public static final long FAN_CREATE = 0x100;
    public static final long FAN_DELETE = 0x200;
    public static final long FAN_DELETE_SELF = 0x400;
    public static final long FAN_MOVE_SELF = 0x800;
    public static final long FAN_OPEN_EXEC = 0x1000;
    public static final long FAN_Q_OVERFLOW = 0x4000;
    public static final long FAN_RENAME = 0x10000000;
    public static final long FAN_ONDIR = 0x40000000;

    // fanotify_mark flags
    public static final int FAN_MARK_ADD = 0x1;
    public static final int FAN_MARK_MOUNT = 0x10;
    public static final int FAN_MARK_FILESYSTEM = 0x100;

    // fanotify info record types
    public static final int FAN_EVENT_INFO_TYPE_FID = 1;
    public static final int FAN_EVENT_INFO_TYPE_DFID_NAME = 2;
    public static final int FAN_EVENT_INFO_TYPE_DFID = 3;
    public static final int FAN_EVENT_INFO_TYPE_OLD_DFID_NAME = 10;
    public static final int FAN_EVENT_INFO_TYPE_NEW_DFID_NAME = 12;

    // inotify
    public static final int IN_NONBLOCK = 0x800;
    public static final int IN_CLOEXEC = 0x80000;
    public static final int IN_ACCESS = 0x1;
    public static final int IN_MODIFY = 0x2;
    public static final int IN_ATTRIB = 0x4;
    public static final int IN_CLOSE_WRITE = 0x8;
    public static final int IN_MOVED_FROM = 0x40;
    public static final int IN_MOVED_TO = 0x80;
    public static final int IN_CREATE = 0x100;
    public static final int IN_DELETE = 0x200;
    public static final int IN_DELETE_SELF = 0x400;
    public static final int IN_MOVE_SELF = 0x800;
    public static final int IN_Q_OVERFLOW = 0x4000;
    public static final int IN_IGNORED = 0x8000;
    public static final int IN_ONLYDIR = 0x1000000;
    public static final int IN_DONT_FOLLOW = 0x2000000;
    public static final int IN_EXCL_UNLINK = 0x4000000;
    public static final int IN_ISDIR = 0x40000000;

    // sockets: the netlink process connector, and systemd's notification socket (AF_UNIX)
    public static final int AF_UNIX = 1;
    public static final int AF_NETLINK = 16;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int NETLINK_CONNECTOR = 11;
    public static final int CN_IDX_PROC = 1;
    public static final int CN_VAL_PROC = 1;
    public static final int NLMSG_DONE = 3;
    public static final int PROC_CN_MCAST_LISTEN = 1;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int SOL_SOCKET = 1;
    public static final int SO_RCVBUFFORCE = 33;

    /** {@code ioctl} request for the bytes a descriptor has queued to read (fanotify: {@code FAN_EVENT_METADATA_LEN} an event). */
    public static final long FIONREAD = Platform.isPPC() ? 0x4004667FL : 0x541BL;
    /** The size of a fanotify event's fixed part, which {@link #FIONREAD} counts per event queued. */
    public static final int FAN_EVENT_METADATA_LEN = 24;

    public static final int EFD_CLOEXEC = 0x80000;
    public static final int EFD_NONBLOCK = 0x800;
    public static final short POLLIN = 0x1;
    public static final short POLLPRI = 0x2;

    /** {@code sysconf} name of the clock tick rate, the unit of start times in {@code /proc/PID/stat}. */
    public static final int SC_CLK_TCK = 2;

    static {
        if (Platform.isLinux()) {
            Native.register(Libc.class, "c");
        }
    }

    private Libc() {
    }

    public static native int open(byte[] path, int flags) throws LastErrorException;

    public static native int openat(int dirfd, byte[] path, int flags) throws LastErrorException;

    /** Returns -1 and leaves errno in {@link Native#getLastError()} (see the class comment). */
    public static native long read(int fd, Pointer buf, long count);

    public static native long write(int fd, Pointer buf, long count) throws LastErrorException;

    public static native int close(int fd) throws LastErrorException;

    /** {@code ioctl} with an {@code int} to fill ({@link #FIONREAD}). */
    public static native int ioctl(int fd, long request, int[] value) throws LastErrorException;

    /**
     * The path and {@code buf} in native memory: a {@code byte[]} would be copied in and back by JNA on every call,
     * through memory allocated and freed for it.
     */
    public static native int statx(int dirfd, Pointer path, int flags, int mask, Pointer buf) throws LastErrorException;

    public static native long llistxattr(byte[] path, byte[] list, long size) throws LastErrorException;

    public static native long lgetxattr(byte[] path, byte[] name, byte[] value, long size) throws LastErrorException;

    public static native long flistxattr(int fd, byte[] list, long size) throws LastErrorException;

    public static native long fgetxattr(int fd, byte[] name, byte[] value, long size) throws LastErrorException;

    public static native long readlinkat(int dirfd, byte[] path, byte[] buf, long size) throws LastErrorException;

    public static native int fstatfs(int fd, Pointer buf) throws LastErrorException;

    public static native int fanotify_init(int flags, int eventFileFlags) throws LastErrorException;

    public static native int fanotify_mark(int fd, int flags, long mask, int dirfd, byte[] path)
            throws LastErrorException;

    public static native int inotify_init1(int flags) throws LastErrorException;

    public static native int inotify_add_watch(int fd, byte[] path, int mask) throws LastErrorException;

    public static native int inotify_rm_watch(int fd, int wd) throws LastErrorException;

    public static native int open_by_handle_at(int mountFd, Pointer handle, int flags) throws LastErrorException;

    public static native int name_to_handle_at(int dirfd, byte[] path, Pointer handle, int[] mountId, int flags)
            throws LastErrorException;

    public static native int poll(Pointer fds, long nfds, int timeoutMillis) throws LastErrorException;

    public static native int eventfd(int initval, int flags) throws LastErrorException;

    public static native int socket(int domain, int type, int protocol) throws LastErrorException;

    public static native int bind(int fd, Pointer addr, int len) throws LastErrorException;

    public static native int setsockopt(int fd, int level, int name, int[] value, int len) throws LastErrorException;

    public static native long send(int fd, Pointer buf, long len, int flags) throws LastErrorException;

    public static native long sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrLen)
            throws LastErrorException;

    /** Returns -1 and leaves errno in {@link Native#getLastError()} (see the class comment). */
    public static native long recv(int fd, Pointer buf, long len, int flags);

    public static native int getpid();

    public static native int geteuid();

    /** With {@code pid} 0, Linux sets the calling thread's policy only; {@code param} is struct sched_param. */
    public static native int sched_setscheduler(int pid, int policy, int[] param) throws LastErrorException;

    public static native long sysconf(int name);

    public static native int isatty(int fd);

    public static native String strerror(int errnum);

    /**
     * {@code getdents64}, bound apart from the rest: glibc has had it only since 2.30, and one symbol missing would
     * fail the whole binding. Where it is missing, {@link #AVAILABLE} is false.
     */
    public static final class Dirents {

        public static final boolean AVAILABLE = register();

        private Dirents() {
        }

        private static boolean register() {
            if (!Platform.isLinux()) {
                return false;
            }
            try {
                Native.register(Dirents.class, "c");
                return true;
            } catch (UnsatisfiedLinkError | IllegalArgumentException e) {
                return false;
            }
        }

        public static native long getdents64(int fd, Pointer buf, long count) throws LastErrorException;
    }

    /** The exception the JDK would throw for this errno on the raw path {@code file}, so callers word it the same either way. */
    public static IOException failure(byte[] file, int errno) {
        String path = PathBytes.escape(file);
        return switch (errno) {
            case ENOENT -> new NoSuchFileException(path);
            case EACCES -> new AccessDeniedException(path);
            default -> new FileSystemException(path, null, reason(errno));
        };
    }

    /** What an errno means, as the JDK words it ("permission denied", "File name too long"). */
    public static String reason(int errno) {
        return errno == EACCES ? "permission denied" : strerror(errno);
    }
}
