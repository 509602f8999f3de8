package dev.vigil.camel;

import dev.vigil.camel.http.LocalHttpServer;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The daemon's HTTP server: off by default, on 127.0.0.1 only when vigil.http.port is set, guarded by its token. */
class LocalHttpServerTest {

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void withoutAPortTheDaemonServesNothing() throws Exception {
        Files.createDirectories(daemon.dir.resolve("watched"));
        Main main = daemon.start(Map.of());
        assertEquals(Optional.empty(), LocalHttpServer.router(main.getCamelContext()));
    }

    @Test
    void withAPortTheServerAnswersOnLoopbackAndNowhereElse() throws Exception {
        Files.createDirectories(daemon.dir.resolve("watched"));
        int port = freePort();
        Main main = daemon.start(Map.of("vigil.http.port", String.valueOf(port)));
        assertTrue(LocalHttpServer.router(main.getCamelContext()).isPresent());
        assertNotEquals(401, get(port, "/no-such-page", null).statusCode());

        InetAddress other = nonLoopbackAddress();
        assertThrows(ConnectException.class, () -> new Socket().connect(new InetSocketAddress(other, port)),
                "the server must not be reachable on " + other);
    }

    @Test
    void withATokenARequestWithoutItOrWithAWrongOneIsRefused() throws Exception {
        Files.createDirectories(daemon.dir.resolve("watched"));
        int port = freePort();
        daemon.start(Map.of("vigil.http.port", String.valueOf(port), "vigil.http.token", "s3cret-token"));
        assertEquals(401, get(port, "/health", null).statusCode());
        assertEquals(401, get(port, "/health", "Bearer wrong-token").statusCode());
        assertEquals(401, get(port, "/health", "Basic czNjcmV0LXRva2Vu").statusCode());
        assertNotEquals(401, get(port, "/health", "Bearer s3cret-token").statusCode());
    }

    static HttpResponse<String> get(int port, String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static InetAddress nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    return address;
                }
            }
        }
        assumeTrue(false, "this machine has no IPv4 address besides loopback to try the server on");
        throw new AssertionError();
    }
}
