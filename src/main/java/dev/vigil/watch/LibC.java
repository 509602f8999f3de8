package dev.vigil.watch;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The few libc calls the watchers need, bound through JNA (fanotify, inotify, file handles, netlink, poll).
 * Written by hand because JNA's platform module does not cover fanotify or the process connector, and the
 * constants are copied from the kernel's uapi headers so no build step parses C. Sizes assume a 64-bit
 * Linux ABI (x86_64, aarch64), which {@link #SUPPORTED} checks before anything is called.
 */
interface LibC extends Library {

    LibC INSTANCE = Native.load("c", LibC.class);

    boolean SUPPORTED = com.sun.jna.Platform.isLinux() && Native.LONG_SIZE == 8;

    int EINTR = 4;
    int EAGAIN = 11;
    int ENOSPC = 28;
    int ENOBUFS = 105;

    int O_RDONLY = 0;
    int O_DIRECTORY = 0x10000;
    int O_CLOEXEC = 0x80000;
    int O_PATH = 0x200000;
    int AT_FDCWD = -100;

    // fanotify_init flags
    int FAN_CLOEXEC = 0x1;
    int FAN_NONBLOCK = 0x2;
    int FAN_CLASS_NOTIF = 0x0;
    int FAN_UNLIMITED_QUEUE = 0x10;
    int FAN_REPORT_FID = 0x200;
    int FAN_REPORT_DIR_FID = 0x400;
    int FAN_REPORT_NAME = 0x800;
    int FAN_REPORT_TARGET_FID = 0x1000;
    int FAN_REPORT_DFID_NAME = FAN_REPORT_DIR_FID | FAN_REPORT_NAME;

    // fanotify event bits
    long FAN_ACCESS = 0x1;
    long FAN_MODIFY = 0x2;
    long FAN_ATTRIB = 0x4;
    long FAN_CLOSE_WRITE = 0x8;
    long FAN_MOVED_FROM = 0x40;
    long FAN_MOVED_TO = 0x80;
    long FAN_CREATE = 0x100;
    long FAN_DELETE = 0x200;
    long FAN_DELETE_SELF = 0x400;
    long FAN_MOVE_SELF = 0x800;
    long FAN_OPEN_EXEC = 0x1000;
    long FAN_Q_OVERFLOW = 0x4000;
    long FAN_RENAME = 0x10000000;
    long FAN_ONDIR = 0x40000000;

    // fanotify_mark flags
    int FAN_MARK_ADD = 0x1;
    int FAN_MARK_MOUNT = 0x10;
    int FAN_MARK_FILESYSTEM = 0x100;

    // fanotify info record types
    int FAN_EVENT_INFO_TYPE_FID = 1;
    int FAN_EVENT_INFO_TYPE_DFID_NAME = 2;
    int FAN_EVENT_INFO_TYPE_DFID = 3;
    int FAN_EVENT_INFO_TYPE_OLD_DFID_NAME = 10;
    int FAN_EVENT_INFO_TYPE_NEW_DFID_NAME = 12;

    // inotify
    int IN_NONBLOCK = 0x800;
    int IN_CLOEXEC = 0x80000;
    int IN_ACCESS = 0x1;
    int IN_MODIFY = 0x2;
    int IN_ATTRIB = 0x4;
    int IN_CLOSE_WRITE = 0x8;
    int IN_MOVED_FROM = 0x40;
    int IN_MOVED_TO = 0x80;
    int IN_CREATE = 0x100;
    int IN_DELETE = 0x200;
    int IN_DELETE_SELF = 0x400;
    int IN_MOVE_SELF = 0x800;
    int IN_Q_OVERFLOW = 0x4000;
    int IN_IGNORED = 0x8000;
    int IN_ONLYDIR = 0x1000000;
    int IN_DONT_FOLLOW = 0x2000000;
    int IN_EXCL_UNLINK = 0x4000000;
    int IN_ISDIR = 0x40000000;

    // netlink process connector
    int AF_NETLINK = 16;
    int SOCK_DGRAM = 2;
    int SOCK_CLOEXEC = 0x80000;
    int NETLINK_CONNECTOR = 11;
    int CN_IDX_PROC = 1;
    int CN_VAL_PROC = 1;
    int NLMSG_DONE = 3;
    int PROC_CN_MCAST_LISTEN = 1;
    int MSG_DONTWAIT = 0x40;
    int SOL_SOCKET = 1;
    int SO_RCVBUFFORCE = 33;
    int EFD_CLOEXEC = 0x80000;
    int EFD_NONBLOCK = 0x800;
    short POLLIN = 0x1;
    short POLLPRI = 0x2;

    int fanotify_init(int flags, int eventFileFlags) throws LastErrorException;

    int fanotify_mark(int fd, int flags, long mask, int dirfd, byte[] path) throws LastErrorException;

    int inotify_init1(int flags) throws LastErrorException;

    int inotify_add_watch(int fd, byte[] path, int mask) throws LastErrorException;

    int inotify_rm_watch(int fd, int wd) throws LastErrorException;

    int open(byte[] path, int flags) throws LastErrorException;

    int open_by_handle_at(int mountFd, Pointer handle, int flags) throws LastErrorException;

    int name_to_handle_at(int dirfd, byte[] path, Pointer handle, int[] mountId, int flags)
            throws LastErrorException;

    int fstatfs(int fd, Pointer buf) throws LastErrorException;

    /** Returns -1 and leaves errno in {@code Native.getLastError()}: EAGAIN is routine, not exceptional. */
    long read(int fd, Pointer buf, long count);

    long write(int fd, Pointer buf, long count) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int poll(Pointer fds, long nfds, int timeoutMillis) throws LastErrorException;

    int eventfd(int initval, int flags) throws LastErrorException;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int bind(int fd, Pointer addr, int len) throws LastErrorException;

    long send(int fd, Pointer buf, long len, int flags) throws LastErrorException;

    /** Returns -1 and leaves errno in {@code Native.getLastError()}: EAGAIN is routine, not exceptional. */
    long recv(int fd, Pointer buf, long len, int flags);

    int getpwuid_r(int uid, Pointer pwd, Pointer buf, long buflen, Pointer[] result);

    int setsockopt(int fd, int level, int name, int[] value, int len) throws LastErrorException;

    int getpid();
}
