package dev.vigil.camel;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import dev.vigil.Await;
import dev.vigil.os.Libc;
import dev.vigil.os.ServiceManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Started by systemd for a {@code Type=notify} unit, the daemon says READY=1 on systemd's notification socket
 * when it is watching, and STOPPING=1 when told to stop. The socket is a real AF_UNIX datagram socket, as
 * systemd's is.
 */
class ServiceManagerNotifyTest {

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    private Process vigil;
    private int socket = -1;

    @AfterEach
    void stop() throws InterruptedException {
        if (vigil != null) {
            vigil.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (socket >= 0) {
            Libc.close(socket);
        }
    }

    @Test
    void theDaemonTellsSystemdItIsReadyOnceWatchingAndThatItIsStoppingOnSigterm() throws Exception {
        Path notifySocket = daemon.dir.resolve("notify");
        socket = bound(notifySocket);
        Files.createDirectories(daemon.dir.resolve("watched"));
        Path config = daemon.config(Map.of("vigil.files.scan.cron", "0 0 0 1 1 ? 2099"));
        Path output = daemon.dir.resolve("daemon.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.vigil.cli.VigilCommand", "run", "--config", config.toString(),
                "--routes", Path.of("routes").toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put(ServiceManager.SOCKET_VARIABLE, notifySocket.toString());
        vigil = builder.start();

        List<String> received = new ArrayList<>();
        Await.until("READY=1 on the notification socket", () -> receive(received).contains("READY=1"));
        assertTrue(Files.readString(output).contains("ready: "), "READY=1 comes with the ready line");
        assertEquals(List.of("READY=1"), received, "nothing before READY=1");

        vigil.destroy();
        Await.until("STOPPING=1 on the notification socket", () -> receive(received).contains("STOPPING=1"));
        assertTrue(vigil.waitFor(120, TimeUnit.SECONDS), "SIGTERM stops the daemon");
        assertEquals(List.of("READY=1", "STOPPING=1"), received);
    }

    /** An AF_UNIX datagram socket bound at {@code path}, as systemd binds its notification socket. */
    private static int bound(Path path) {
        int fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer address = ByteBuffer.allocate(2 + name.length + 1).order(ByteOrder.nativeOrder());
        address.putShort((short) Libc.AF_UNIX).put(name);
        Memory memory = new Memory(address.capacity());
        memory.write(0, address.array(), 0, address.capacity());
        Libc.bind(fd, memory, address.capacity());
        return fd;
    }

    /** Adds the datagrams waiting on the socket to {@code received}, without blocking. */
    private List<String> receive(List<String> received) {
        Memory buffer = new Memory(4096);
        long n;
        while ((n = Libc.recv(socket, buffer, buffer.size(), Libc.MSG_DONTWAIT)) > 0) {
            received.add(new String(buffer.getByteArray(0, (int) n), StandardCharsets.UTF_8));
        }
        if (n < 0 && Native.getLastError() != Libc.EAGAIN) {
            throw new IllegalStateException("recv: " + Libc.strerror(Native.getLastError()));
        }
        return received;
    }
}
