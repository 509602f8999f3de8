package dev.vigil.camel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.config.Version;
import dev.vigil.Await;
import dev.vigil.alert.Json;
import dev.vigil.cli.VigilCommand;
import dev.vigil.store.DaemonLock;
import dev.vigil.store.StatusFile;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code vigil status} against a daemon as {@code vigil run} starts it (holding the daemon lock, as
 * RunCommand does): running and healthy, stopped, and with a channel whose receiver answers 500.
 */
class StatusCommandTest {

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private DaemonLock lock;
    private Path config;

    @BeforeEach
    void captureOutput() {
        savedOut = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() throws IOException {
        System.setOut(savedOut);
        if (lock != null) {
            lock.close();
        }
    }

    /** The daemon with its lock taken, as `vigil run` holds it. */
    private Main start(Map<String, String> overrides) throws Exception {
        Files.createDirectories(daemon.dir.resolve("watched"));
        Files.writeString(Files.createDirectories(daemon.dir.resolve("logs")).resolve("syslog"), "");
        config = daemon.config(overrides);
        lock = DaemonLock.acquire(daemon.dir.resolve("vigil.db"));
        return daemon.start(overrides);
    }

    private int vigilStatus(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "status";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--config";
        all[args.length + 2] = config.toString();
        out.reset();
        return VigilCommand.commandLine().execute(all);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Waits until the status file says what {@code ready} wants. */
    private void awaitStatus(String what, Predicate<JsonNode> ready) throws InterruptedException {
        StatusFile file = StatusFile.of(daemon.dir.resolve("vigil.db"));
        Await.until(what, () -> {
            try {
                return Files.exists(file.file()) && ready.test(Json.mapper().readTree(Files.readString(file.file())));
            } catch (IOException e) {
                return false;
            }
        });
    }

    private static JsonNode source(JsonNode status, String route) {
        return StreamSupport.stream(status.get("sources").spliterator(), false)
                .filter(s -> s.get("route").asText().equals(route)).findFirst().orElseThrow(() -> new AssertionError(route + " in " + status));
    }

    /** The watch runs: its mode is named (the key is there, empty, from before the watcher has started). */
    private static boolean watching(JsonNode status) {
        return StreamSupport.stream(status.get("sources").spliterator(), false)
                .anyMatch(s -> s.get("route").asText().equals("files-watch") && !s.get("facts").path("mode").asText().isEmpty());
    }

    @Test
    void aRunningDaemonIsHealthyAndSaysWhatEachSourceIsDoing() throws Exception {
        Path pid = Files.writeString(daemon.dir.resolve("sshd.pid"), ProcessHandle.current().pid() + "\n");
        Path log = daemon.dir.resolve("logs/syslog");
        start(Map.of("vigil.pids.files", pid.toString()));
        awaitStatus("the watch in the status file", StatusCommandTest::watching);

        assertEquals(0, vigilStatus("--format", "json"), out());
        JsonNode status = Json.mapper().readTree(out());
        assertTrue(status.get("running").asBoolean(), out());
        assertEquals("healthy", status.get("health").asText());
        assertEquals(ProcessHandle.current().pid(), status.get("pid").asLong());
        assertEquals(Version.VERSION, status.get("version").asText());
        assertTrue(status.get("uptimeSeconds").asLong() >= 0);
        JsonNode watch = source(status, "files-watch");
        assertEquals("fanotify", watch.get("facts").get("mode").asText(), out());
        assertEquals(0, watch.get("facts").get("eventsDropped").asLong());
        assertEquals("full", source(status, "files-check").get("facts").get("check").asText());
        JsonNode logs = source(status, "logs-check").get("facts").get("groups").get(0);
        assertTrue(logs.get("files").has(log.toString()), out());
        assertTrue(logs.get("rules").asInt() > 0, out());
        assertEquals(pid.toString(), source(status, "pids-check").get("facts").get("pidFiles").get(0).asText());
        assertTrue(StreamSupport.stream(status.get("channels").spliterator(), false)
                .anyMatch(c -> c.get("channel").asText().equals("file")), out());

        assertEquals(0, vigilStatus(), out());
        assertTrue(out().startsWith("vigil " + Version.VERSION + " is running, pid " + ProcessHandle.current().pid() + ", up "), out());
        assertTrue(out().contains("health: healthy"), out());
        assertTrue(out().contains("  files-watch (files): working"), out());
        assertTrue(out().contains("    mode: fanotify"), out());
        assertTrue(out().contains("      " + log + ": "), out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                StatusFile.of(daemon.dir.resolve("vigil.db")).file())));
    }

    @Test
    void aStoppedDaemonIsNotRunning() throws Exception {
        Main main = start(Map.of());
        awaitStatus("the watch in the status file", StatusCommandTest::watching);
        daemon.stop(main);
        lock.close();
        lock = null;

        assertEquals(2, vigilStatus(), out());
        assertTrue(out().startsWith("vigil is not running"), out());
        assertTrue(out().contains("its last status was written at "), out());
        assertEquals(2, vigilStatus("--format", "json"), out());
        JsonNode status = Json.mapper().readTree(out());
        assertEquals(false, status.get("running").asBoolean());
        assertEquals("not running", status.get("health").asText());
    }

    @Test
    void aChannelWhoseReceiverFailsMakesTheDaemonDegraded() throws Exception {
        try (HttpReceiver webhook = new HttpReceiver(0)) {
            webhook.answer(500, Map.of());
            Map<String, String> overrides = new HashMap<>();
            overrides.put("vigil.webhook.url", webhook.url("/hook"));
            Main main = start(overrides);
            awaitStatus("the watch in the status file", StatusCommandTest::watching);
            daemon.criticalFinding(main, "/etc/shadow");
            Await.until("the webhook's 500", () -> !webhook.requests().isEmpty());
            awaitStatus("the webhook failing in the status file", s -> StreamSupport.stream(s.get("channels").spliterator(), false)
                    .anyMatch(c -> c.get("channel").asText().equals("webhook") && !c.get("failing").isNull()));

            assertEquals(1, vigilStatus(), out());
            assertTrue(out().contains("health: degraded"), out());
            assertTrue(out().lines().anyMatch(l -> l.startsWith("  webhook: FAILING: ") && l.contains("500")
                    && l.contains("backlog 1")), out());
            assertTrue(out().lines().anyMatch(l -> l.startsWith("  file: working; backlog 0")), out());
        }
    }
}
