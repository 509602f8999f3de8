package dev.vigil.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    private static final String SECRET = "s3cr\u00e9t-shared";
    private static final Instant NOW = Instant.parse("2026-11-22T01:00:20Z");
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    private record Received(Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    @Test
    void receiverVerifiesTheSignatureAndReadsTheReportBack() throws Exception {
        Report report = Samples.report(Samples.modified("/etc/passwd"), Samples.added("/usr/bin/\u00fcber"));
        String body = report.toJson();
        Map<String, String> headers = new WebhookSigner(SECRET).headers(report.id(), body.getBytes(StandardCharsets.UTF_8), Instant.now());

        Received received = postToRealServer(body, headers);

        assertEquals(report.id(), received.header(WebhookSigner.ID));
        assertEquals(report.id(), received.header(WebhookSigner.IDEMPOTENCY_KEY));
        assertTrue(received.header(WebhookSigner.SIGNATURE).matches("sha256=[0-9a-f]{64}"));
        assertTrue(WebhookSigner.verify(SECRET, received.header(WebhookSigner.TIMESTAMP), received.body(),
                received.header(WebhookSigner.SIGNATURE), Instant.now(), FIVE_MINUTES));
        assertEquals(report, Report.fromJson(received.body()));
    }

    @Test
    void signatureIsHmacSha256OverTimestampDotBodyAsOpensslComputesIt() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "needs the openssl CLI");
        String body = Samples.report(Samples.died("/run/sshd.pid")).toJson();
        Map<String, String> headers = new WebhookSigner(SECRET).headers("00000000-0000-0000-0000-000000000001",
                body.getBytes(StandardCharsets.UTF_8), NOW);

        Process openssl = new ProcessBuilder("openssl", "dgst", "-sha256", "-hmac", SECRET).start();
        openssl.getOutputStream().write((NOW.getEpochSecond() + "." + body).getBytes(StandardCharsets.UTF_8));
        openssl.getOutputStream().close();
        String out = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, openssl.waitFor());

        assertEquals("1795309220", headers.get(WebhookSigner.TIMESTAMP));
        assertEquals("sha256=" + out.substring(out.lastIndexOf(' ') + 1), headers.get(WebhookSigner.SIGNATURE));
    }

    @Test
    void tamperedBodyWrongSecretOrStaleTimestampFailVerification() {
        String body = Samples.report(Samples.died("/run/a.pid")).toJson();
        Map<String, String> h = new WebhookSigner(SECRET).headers("00000000-0000-0000-0000-000000000001", body.getBytes(StandardCharsets.UTF_8), NOW);
        String ts = h.get(WebhookSigner.TIMESTAMP);
        String sig = h.get(WebhookSigner.SIGNATURE);

        assertTrue(WebhookSigner.verify(SECRET, ts, body, sig, NOW.plusSeconds(299), FIVE_MINUTES));
        assertFalse(WebhookSigner.verify(SECRET, ts, body.replace("a.pid", "b.pid"), sig, NOW, FIVE_MINUTES));
        assertFalse(WebhookSigner.verify("other", ts, body, sig, NOW, FIVE_MINUTES));
        assertFalse(WebhookSigner.verify(SECRET, Long.toString(NOW.getEpochSecond() + 1), body, sig, NOW,
                FIVE_MINUTES), "the timestamp is signed too");
        assertFalse(WebhookSigner.verify(SECRET, ts, body, sig, NOW.plusSeconds(301), FIVE_MINUTES), "replayed");
        assertFalse(WebhookSigner.verify(SECRET, ts, body, sig.replace("sha256=", "sha1="), NOW, FIVE_MINUTES));
        assertFalse(WebhookSigner.verify(SECRET, "yesterday", body, sig, NOW, FIVE_MINUTES));
        assertFalse(WebhookSigner.verify(SECRET, ts, body, "sha256=zz", NOW, FIVE_MINUTES));
        assertFalse(WebhookSigner.verify(SECRET, "99999999999999999", body, sig, NOW, FIVE_MINUTES),
                "a time beyond Java's instants is refused, not thrown");
        assertFalse(WebhookSigner.verify(SECRET, Long.toString(Long.MIN_VALUE), body, sig, NOW, FIVE_MINUTES));
    }

    @Test
    void withoutASecretRequestsCarryIdAndTimestampButNoSignature() {
        WebhookSigner unsigned = new WebhookSigner(" ");

        Map<String, String> headers = unsigned.headers("00000000-0000-0000-0000-000000000001", "{}".getBytes(StandardCharsets.UTF_8), NOW);

        assertFalse(unsigned.signs());
        assertEquals(List.of("Content-Type", WebhookSigner.ID, WebhookSigner.IDEMPOTENCY_KEY, WebhookSigner.TIMESTAMP),
                List.copyOf(headers.keySet()));
    }

    @Test
    void secretNeverAppearsInToString() {
        assertFalse(new WebhookSigner(SECRET).toString().contains("s3cr"));
    }

    private static Received postToRealServer(String body, Map<String, String> headers) throws Exception {
        BlockingQueue<Received> inbox = new ArrayBlockingQueue<>(1);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            try (exchange) {
                String received = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                inbox.add(new Received(Map.copyOf(exchange.getRequestHeaders()), received));
                exchange.sendResponseHeaders(204, -1);
            } catch (IOException | RuntimeException e) {
                exchange.sendResponseHeaders(500, -1);
            }
        });
        server.start();
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"))
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            headers.forEach(request::header);
            HttpResponse<Void> response = HttpClient.newHttpClient()
                    .send(request.build(), HttpResponse.BodyHandlers.discarding());
            assertEquals(204, response.statusCode());
            Received received = inbox.poll(30, TimeUnit.SECONDS);
            assertTrue(received != null, "the receiver got the request");
            return received;
        } finally {
            server.stop(0);
        }
    }
}
