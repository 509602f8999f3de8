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
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The daemon's HTTP server: off by default, on 127.0.0.1 only when vigil.http.port is set, guarded by its token or,
 * without one, by the name a request gives it.
 */
class LocalHttpServerTest {

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

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

    /**
     * A web page whose name an attacker makes resolve to 127.0.0.1 (DNS rebinding) has the browser send that name:
     * without a token, only a loopback name is served; with one, the token guards, whatever the name.
     */
    @Test
    void withoutATokenOnlyARequestNamingTheServerByALoopbackNameIsServed() throws Exception {
        Files.createDirectories(daemon.dir.resolve("watched"));
        int port = freePort();
        daemon.start(Map.of("vigil.http.port", String.valueOf(port)));

        assertEquals(403, statusNaming(port, "attacker.example:" + port, "/api/open", null));
        assertEquals(403, statusNaming(port, "attacker.example", "/", null));
        assertEquals(200, statusNaming(port, "localhost:" + port, "/metrics", null));
        assertEquals(200, statusNaming(port, "127.0.0.1:" + port, "/metrics", null));
        assertEquals(200, get(port, "/metrics", null).statusCode());
    }

    /**
     * 127.0.0.1 is every local user's: without a token the web view's data (the event history, which holds what only
     * root may read) is not served, while health and metrics are.
     */
    @Test
    void withoutATokenTheWebViewsDataIsNotServedAndHealthAndMetricsAre() throws Exception {
        Files.createDirectories(daemon.dir.resolve("watched"));
        int port = freePort();
        daemon.start(Map.of("vigil.http.port", String.valueOf(port)));

        for (String data : List.of("/api/events", "/api/open", "/api/status", "/api/findings/hourly")) {
            HttpResponse<String> refused = get(port, data, null);
            assertEquals(403, refused.statusCode(), data);
            assertTrue(refused.body().contains("needs vigil.http.token"), refused.body());
        }
        assertEquals(200, get(port, "/metrics", null).statusCode());
        assertNotEquals(403, get(port, "/health", null).statusCode());
        assertEquals(200, get(port, "/", null).statusCode(), "the page, which holds no data");
    }

    @Test
    void withATokenTheNameARequestGivesIsNotAsked() throws Exception {
        Files.createDirectories(daemon.dir.resolve("watched"));
        int port = freePort();
        daemon.start(Map.of("vigil.http.port", String.valueOf(port), "vigil.http.token", "s3cret-token"));

        assertEquals(200, statusNaming(port, "vigil.example.org", "/metrics", "Bearer s3cret-token"));
        assertEquals(401, statusNaming(port, "vigil.example.org", "/metrics", null));
    }

    /** The status of a GET of {@code path} whose Host header is {@code host} (the JDK's client will not send one of its own). */
    private static int statusNaming(int port, String host, String path, String authorization) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
                    + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "Connection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    /**
     * One client for every test's requests, on HTTP/1.1: a client made per request (tests poll /metrics every 20 ms)
     * left a selector thread each, and the JDK's default HTTP/2 offers an h2c upgrade a request of which once waited
     * for its response forever. A request's timeout turns any such wait into the test's failure.
     */
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30)).build();

    static HttpResponse<String> get(int port, String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
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
