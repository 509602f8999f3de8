package dev.vigil.fim;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import dev.vigil.os.Libc;
import dev.vigil.os.PathBytes;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.NoSuchFileException;

/**
 * The attributes of an entry, without following a symlink, from one {@code statx(2)} call through libc (JNA).
 *
 * <p>Hand-written because the JDK reaches the inode, device, link count and ctime only through its
 * {@code unix:} attribute view, which parses the attribute list and builds a map of boxed values for every
 * entry: in a walk of {@code /usr} that was the largest share of the work besides hashing, and the largest
 * code the JIT had to compile during a short run. {@code struct statx} has the same layout on every
 * architecture, unlike {@code struct stat}.
 *
 * @param device the device number as glibc's {@code st_dev} encodes it ({@code makedev}), as the JDK reports it
 */
public record Statx(int mode, long size, int uid, int gid, long inode, long device, long links, long mtimeNs,
                    long ctimeNs) {

    private static final int STATX_BASIC_STATS = 0x7ff;
    private static final int SIZE = 256;
    /** The bytes of {@code struct statx} decoded: up to the device numbers, the last field read. */
    private static final int DECODED = 144;
    /**
     * The name passed to the call is copied into each thread's native buffer of this size (a longer one into a
     * buffer of its own): a Java array passed to the call was copied by JNA into memory allocated and freed for
     * each call, and copied back after it.
     */
    private static final int NAME = 512;
    /**
     * Each thread's {@code struct statx} in native memory and its decoded part copied to the heap in one call as
     * soon as the call returns: a walk stats every entry (a regular file twice), and a fresh buffer for each was
     * about a fifth of what a quick check's walkers allocated; a Java array passed to the call would be copied
     * into native memory and back by JNA every time, and a field read from native memory is a call of its own.
     */
    record Buffers(Memory statx, ByteBuffer decoded, Memory name) {
    }
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(() -> new Buffers(new Memory(SIZE),
            ByteBuffer.wrap(new byte[DECODED]).order(ByteOrder.nativeOrder()), new Memory(NAME)));
    /** The calling thread's buffers, for a caller that makes many calls on one thread ({@link #at(Buffers, int, byte[], byte[])}). */
    static Buffers buffers() {
        return BUFFERS.get();
    }

    /** The empty path of a stat by descriptor ({@code AT_EMPTY_PATH}), only ever read. */
    private static final Memory EMPTY_PATH = new Memory(1);

    static {
        EMPTY_PATH.setByte(0, (byte) 0);
    }

    /**
     * The entry at the absolute raw path {@code path}.
     *
     * @throws NoSuchFileException if it does not exist
     * @throws LastErrorException  for any other failure; {@link Libc#reason} says it in words
     */
    public static Statx of(byte[] path) throws NoSuchFileException {
        return at(Libc.AT_FDCWD, PathBytes.cString(path), path);
    }

    /**
     * The entry named by the NUL-terminated {@code name} in the directory open as {@code dirFd} (whose path with
     * the name is {@code path}, for the error): the kernel looks up one name, not every component of a path.
     *
     * @throws NoSuchFileException if it does not exist
     * @throws LastErrorException  for any other failure
     */
    static Statx at(int dirFd, byte[] name, byte[] path) throws NoSuchFileException {
        return at(BUFFERS.get(), dirFd, name, path);
    }

    /** As {@link #at(int, byte[], byte[])}, with the calling thread's {@link #buffers()}. */
    static Statx at(Buffers buf, int dirFd, byte[] name, byte[] path) throws NoSuchFileException {
        Memory nameBuffer = name.length <= NAME ? buf.name() : new Memory(name.length);
        nameBuffer.write(0, name, 0, name.length);
        try {
            Libc.statx(dirFd, nameBuffer, Libc.AT_SYMLINK_NOFOLLOW | Libc.AT_NO_AUTOMOUNT, STATX_BASIC_STATS, buf.statx());
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Libc.ENOENT) {
                throw new NoSuchFileException(PathBytes.escape(path));
            }
            throw e;
        }
        return decode(buf);
    }

    /** The entry open as file descriptor {@code fd}. */
    static Statx of(int fd) {
        Buffers buf = BUFFERS.get();
        Libc.statx(fd, EMPTY_PATH, Libc.AT_EMPTY_PATH, STATX_BASIC_STATS, buf.statx());
        return decode(buf);
    }

    private static Statx decode(Buffers buf) {
        ByteBuffer b = buf.decoded();
        buf.statx().read(0, b.array(), 0, DECODED);
        long devMajor = Integer.toUnsignedLong(b.getInt(136));
        long devMinor = Integer.toUnsignedLong(b.getInt(140));
        long device = ((devMajor & 0xfffff000L) << 32) | ((devMajor & 0xfffL) << 8)
                | ((devMinor & 0xffffff00L) << 12) | (devMinor & 0xffL);
        return new Statx(Short.toUnsignedInt(b.getShort(28)), b.getLong(40), b.getInt(20), b.getInt(24),
                b.getLong(32), device, Integer.toUnsignedLong(b.getInt(16)), nanos(b, 112), nanos(b, 96));
    }

    /** A {@code struct statx_timestamp} (seconds, then nanoseconds) in nanoseconds since the epoch. */
    private static long nanos(ByteBuffer b, int offset) {
        return b.getLong(offset) * 1_000_000_000L + Integer.toUnsignedLong(b.getInt(offset + 8));
    }
}
