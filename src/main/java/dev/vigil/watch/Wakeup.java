package dev.vigil.watch;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import dev.vigil.os.Libc;

/**
 * Lets a thread sleep in poll(2) on a kernel descriptor until it is readable or until {@link #wake()} is
 * called, through an eventfd. Closing a descriptor does not wake a thread blocked on it on Linux, and a poll
 * timeout would make an idle watcher burn CPU, hence this.
 */
final class Wakeup implements AutoCloseable {

    private final int eventFd;
    private final Memory pollFds = new Memory(16);
    private final Memory counter = new Memory(8);
    private volatile boolean woken;

    Wakeup() {
        eventFd = Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
    }

    /** Blocks until {@code fd} is readable (true) or {@link #wake()} was called (false). */
    boolean await(int fd) {
        return await(fd, -1);
    }

    /**
     * Blocks until {@code fd} is readable or {@code timeoutMillis} (-1: none) passed (true), or {@link #wake()} was
     * called (false).
     */
    boolean await(int fd, int timeoutMillis) {
        return await(fd, Libc.POLLIN, timeoutMillis);
    }

    /** {@link #await(int, int)} for other poll(2) {@code events} of {@code fd} (POLLPRI: a mount table changed). */
    boolean await(int fd, short events, int timeoutMillis) {
        while (!woken) {
            pollFds.setInt(0, fd);
            pollFds.setShort(4, events);
            pollFds.setShort(6, (short) 0);
            pollFds.setInt(8, eventFd);
            pollFds.setShort(12, Libc.POLLIN);
            pollFds.setShort(14, (short) 0);
            try {
                if (Libc.poll(pollFds, 2, timeoutMillis) == 0) {
                    return true;
                }
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Libc.EINTR) {
                    continue;
                }
                throw e;
            }
            if (pollFds.getShort(14) != 0) {
                return false;
            }
            if (pollFds.getShort(6) != 0) {
                return true;
            }
        }
        return false;
    }

    void wake() {
        woken = true;
        counter.setLong(0, 1);
        Libc.write(eventFd, counter, 8);
    }

    @Override
    public void close() {
        Libc.close(eventFd);
    }
}
