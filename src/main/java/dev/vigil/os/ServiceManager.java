package dev.vigil.os;

import com.sun.jna.LastErrorException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Tells systemd how the service is doing, as sd_notify(3) does: {@code READY=1} once the daemon is watching,
 * {@code STOPPING=1} when it begins to stop, so that {@code systemctl start} of a {@code Type=notify} unit
 * returns when Vigil really watches. systemd passes its notification socket in {@code $NOTIFY_SOCKET}: an
 * AF_UNIX datagram socket, a path or, starting with {@code @}, an abstract name. Written by hand (a few lines
 * over {@link Libc}) because the JDK sends no UNIX-domain datagrams, and libsystemd would be one more native
 * library to find; running {@code systemd-notify} instead costs a process per message and, sent by a child that
 * may be gone before systemd reads it, needs {@code NotifyAccess=all} and races with systemd's look-up of the
 * sender's unit. Without {@code $NOTIFY_SOCKET} (not started by systemd) nothing is sent.
 */
public final class ServiceManager {

    public static final String SOCKET_VARIABLE = "NOTIFY_SOCKET";

    /** sockaddr_un: a 2-byte family, then at most 108 bytes of path. */
    private static final int PATH_MAX = 108;

    private final String socket;

    private ServiceManager(String socket) {
        this.socket = socket;
    }

    /** The service manager that started this process, as {@code $NOTIFY_SOCKET} names it. */
    public static ServiceManager ofEnvironment() {
        String socket = System.getenv(SOCKET_VARIABLE);
        return new ServiceManager(socket == null ? "" : socket);
    }

    /** Whether a service manager listens: this process was started by systemd for a notify unit. */
    private boolean listening() {
        return !socket.isEmpty();
    }

    /** Says the service is ready ({@code READY=1}); nothing when no service manager listens. */
    public void ready() {
        send("READY=1");
    }

    /** Says the service is stopping ({@code STOPPING=1}); nothing when no service manager listens. */
    public void stopping() {
        send("STOPPING=1");
    }

    /**
     * Sends {@code state} (newline-separated {@code KEY=VALUE} lines) as one datagram.
     *
     * @throws IllegalStateException naming the socket and the reason when it cannot be sent
     */
    public void send(String state) {
        if (!listening()) {
            return;
        }
        byte[] address = address(socket);
        byte[] message = state.getBytes(StandardCharsets.UTF_8);
        int fd;
        try {
            fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw failed(e.getErrorCode());
        }
        try {
            Libc.sendto(fd, message, message.length, 0, address, address.length);
        } catch (LastErrorException e) {
            throw failed(e.getErrorCode());
        } finally {
            Libc.close(fd);
        }
    }

    private IllegalStateException failed(int errno) {
        return new IllegalStateException("cannot tell systemd through " + SOCKET_VARIABLE + "=" + socket + ": "
                + Libc.reason(errno));
    }

    /** The sockaddr_un of {@code socket}: an abstract name ({@code @name}) has a NUL first and no NUL after. */
    static byte[] address(String socket) {
        byte[] path = socket.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = path[0] == '@';
        if (abstractName) {
            path[0] = 0;
        }
        if (path.length > (abstractName ? PATH_MAX : PATH_MAX - 1)) {
            throw new IllegalStateException(SOCKET_VARIABLE + "=" + socket + " is longer than a socket address takes");
        }
        ByteBuffer address = ByteBuffer.allocate(2 + path.length + (abstractName ? 0 : 1)).order(ByteOrder.nativeOrder());
        address.putShort((short) Libc.AF_UNIX).put(path);
        return address.array();
    }
}
