package dev.vigil.camel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.Await;
import dev.vigil.alert.Json;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static dev.vigil.camel.LocalHttpServerTest.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /health (Camel health checks per source and channel) and /metrics (Prometheus text) of a running daemon. */
class HealthAndMetricsTest {

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    private int port;

    private Main start(Map<String, String> overrides) throws Exception {
        Files.createDirectories(daemon.dir.resolve("watched"));
        Files.writeString(Files.createDirectories(daemon.dir.resolve("logs")).resolve("syslog"), "");
        port = freePort();
        Map<String, String> all = new HashMap<>(overrides);
        all.put("vigil.http.port", String.valueOf(port));
        all.put("vigil.http.token", "metrics-token");
        return daemon.start(all);
    }

    /** GET with the token; an I/O failure is unchecked, for the conditions waited on. */
    private HttpResponse<String> get(String path) {
        try {
            return LocalHttpServerTest.get(port, path, "Bearer metrics-token");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode check(JsonNode health, String id, String kind) {
        return StreamSupport.stream(health.get("checks").spliterator(), false)
                .filter(c -> c.get("id").asText().equals(id) && c.get("kind").asText().equals(kind)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " " + kind + " in " + health));
    }

    private boolean hasCheck(String id) {
        return get("/health").body().contains("\"id\":\"" + id + "\"");
    }

    @Test
    void healthIsNotReadyWhileALogGroupsRulesAreMissingAndReadyAgainWhenTheyAreBack() throws Exception {
        Path rules = daemon.dir.resolve("app-rules");
        copyTree(Path.of("logrules"), rules);
        Path appLog = Files.writeString(daemon.dir.resolve("app.log"), "");
        start(Map.of("vigil.logs.group.app.files", appLog.toString(), "vigil.logs.group.app.rules", rules.toString(),
                "vigil.logs.rulesFreshness", "0"));
        Await.until("the health check of the log source", () -> hasCheck("source:logs-check"));
        Await.until("the daemon ready", () -> get("/health").statusCode() == 200);
        JsonNode health = Json.mapper().readTree(get("/health").body());
        assertEquals("UP", health.get("status").asText());
        assertEquals("UP", check(health, "source:logs-check", "readiness").get("state").asText());
        assertEquals("UP", check(health, "channel:file", "readiness").get("state").asText());
        assertEquals("UP", check(health, "source:files-watch", "liveness").get("state").asText());

        Path away = daemon.dir.resolve("app-rules.away");
        Files.move(rules, away);
        Await.until("/health/ready to turn 503", () -> get("/health/ready").statusCode() == 503);
        JsonNode down = Json.mapper().readTree(get("/health/ready").body());
        assertEquals("DOWN", down.get("status").asText());
        JsonNode logs = check(down, "source:logs-check", "readiness");
        assertEquals("DOWN", logs.get("state").asText());
        assertTrue(logs.get("message").asText().contains("rule tree " + rules + " does not exist"), logs.toString());
        assertEquals(200, get("/health/live").statusCode(), "the log source still runs: live, only not ready");

        Files.move(away, rules);
        Await.until("/health/ready to turn 200 again", () -> get("/health/ready").statusCode() == 200);
    }

    @Test
    void metricsAreValidPrometheusTextAndTheirCountersMoveWhenFindingsAreMade() throws Exception {
        Main main = start(Map.of());
        Await.until("the watch running", () -> hasCheck("source:files-watch"));
        HttpResponse<String> first = get("/metrics");
        assertEquals(200, first.statusCode());
        assertTrue(first.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"), first.headers().toString());
        PrometheusText before = PrometheusText.parse(first.body());
        assertEquals("gauge", before.type("vigil_watch_queue_depth"));
        assertEquals("counter", before.type("vigil_watch_overflows_total"));
        assertTrue(before.has("jvm_memory_used_bytes"), "JVM metrics");
        assertEquals(0, before.value("vigil_findings_total", Map.of("source", "files", "kind", "ADDED")));

        Files.writeString(daemon.dir.resolve("watched/new-file"), "x\n");
        Await.until("a finding counted", () -> PrometheusText.parse(get("/metrics").body())
                .value("vigil_findings_total", Map.of("source", "files", "kind", "ADDED")) >= 1);
        daemon.advanceOncePooled(main, java.time.Duration.ofSeconds(15));
        Await.until("the report delivered to the file channel", () -> PrometheusText.parse(get("/metrics").body())
                .value("vigil_delivery_latency_seconds_count", Map.of("channel", "file")) >= 1);
        PrometheusText after = PrometheusText.parse(get("/metrics").body());
        assertEquals("histogram", after.type("vigil_delivery_latency_seconds"));
        assertTrue(after.value("vigil_delivery_latency_seconds_bucket", Map.of("channel", "file", "le", "+Inf")) >= 1);
        assertEquals("counter", after.type("vigil_findings_total"));
        assertTrue(after.value("vigil_check_duration_seconds_count", Map.of("source", "files")) >= 1, "the full check at start");
        assertTrue(after.has("vigil_outbox_backlog_reports"), "the backlog of each channel");
        // the backlog is the status model's, read again every second: it may still hold the report just delivered
        Await.until("the file channel's backlog empty", () -> PrometheusText.parse(get("/metrics").body())
                .value("vigil_outbox_backlog_reports", Map.of("channel", "file")) == 0);

        Path log = daemon.dir.resolve("logs/syslog");
        TestDaemon.awaitFollowing(main, log);
        Files.writeString(log, "Dec  4 10:00:00 web kernel: something unusual\n", java.nio.file.StandardOpenOption.APPEND);
        Await.until("the log line counted", () -> PrometheusText.parse(get("/metrics").body())
                .value("vigil_log_lines_total", Map.of("section", "system")) >= 1);
    }

    /**
     * platform-http makes a request's query parameters message headers, and sends a message's headers back: a link
     * could have the daemon answer with a header of its choosing (a cookie, a redirect, a cross-origin grant).
     */
    @Test
    void aRequestsParametersAreNotAnsweredAsHeaders() throws Exception {
        start(Map.of());
        for (String path : List.of("/health", "/health/ready", "/health/live", "/metrics")) {
            HttpResponse<String> answer = get(path + "?Access-Control-Allow-Origin=https%3A%2F%2Fevil.example"
                    + "&Set-Cookie=session%3Dforged&Refresh=0%3Burl%3Dhttps%3A%2F%2Fevil.example");
            assertTrue(answer.statusCode() == 200 || answer.statusCode() == 503, path + ": " + answer.statusCode());
            for (String header : List.of("Access-Control-Allow-Origin", "Set-Cookie", "Refresh")) {
                assertEquals(Optional.empty(), answer.headers().firstValue(header), path + " " + header);
            }
            assertEquals("nosniff", answer.headers().firstValue("X-Content-Type-Options").orElse(""), path);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
