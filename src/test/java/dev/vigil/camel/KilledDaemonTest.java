package dev.vigil.camel;

import dev.vigil.alert.Source;
import dev.vigil.alert.Finding;
import dev.vigil.alert.Report;
import dev.vigil.alert.Severity;
import dev.vigil.store.Database;
import dev.vigil.store.EventLog;
import dev.vigil.store.LogOffsetStore;
import dev.vigil.store.Outbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * `vigil run` in a child JVM killed with SIGKILL at each stage a finding goes through (recorded, pooled, in the outbox with
 * every receiver down, delivered to one channel and not the other), then started again: every finding reaches
 * every channel (the webhook, a JDK HttpServer on the loopback interface, and the alert file) exactly once.
 * Findings come from lines appended to a followed log.
 */
class KilledDaemonTest {

    private static final List<String> LINES = List.of(
            "Nov 22 01:00:01 web sshd[811]: Failed password for root from 203.0.113.1 port 40001 ssh2",
            "Nov 22 01:00:02 web sshd[812]: Failed password for root from 203.0.113.2 port 40002 ssh2",
            "Nov 22 01:00:03 web sshd[813]: Failed password for root from 203.0.113.3 port 40003 ssh2");
    /** Appended after the restart: once it has reached both channels, so has whatever the restart resent. */
    private static final String MARKER = "Nov 22 01:05:00 web sshd[900]: Failed password for root from 203.0.113.9 port 40009 ssh2";

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    private Path log;
    private Path alerts;
    private int webhookPort;
    private HttpReceiver webhook;
    private Process child;
    private Database db;

    @BeforeEach
    void files() throws IOException {
        Files.createDirectory(daemon.dir.resolve("watched"));
        log = Files.createDirectories(daemon.dir.resolve("logs")).resolve("auth.log");
        Files.writeString(log, "Nov 22 00:59:00 web sshd[1]: Failed password for root from 203.0.113.0 port 1 ssh2\n");
        alerts = daemon.dir.resolve("alerts/alerts.ndjson");
        db = Database.open(daemon.dir.resolve("vigil.db")); // made before the daemon starts, which finds it migrated
        try (HttpReceiver free = new HttpReceiver(0)) {
            webhookPort = free.port(); // closed again: the webhook receiver is down until a test starts it
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (child != null) {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (webhook != null) {
            webhook.close();
        }
    }

    @Test
    void findingsRecordedJustBeforeAKillAreReportedOnceAtTheNextStart() throws Exception {
        // The state a kill leaves between writing findings to the event history and pooling them.
        EventLog events = new EventLog(db);
        for (String line : LINES) {
            events.record(new Finding(Source.LOGS, "SECURITY_EVENT", line, "test-host", Instant.now(), Severity.WARNING,
                    Map.of("section", "Security Events", "logfile", log.toString())));
        }
        webhook = new HttpReceiver(webhookPort);

        start("1");
        awaitDeliveredThenMarker();
        assertEachFindingOnceOnEveryChannel();
    }

    @Test
    void findingsPooledWhenTheDaemonIsKilledAreReportedOnceAfterTheRestart() throws Exception {
        webhook = new HttpReceiver(webhookPort);
        start("3600");
        appendAndAwaitRecorded();
        assertEquals(0, outbox().list(false, 10).size(), "still pooled: an hour's reporttime");
        kill();

        start("1");
        awaitDeliveredThenMarker();
        assertEachFindingOnceOnEveryChannel();
    }

    @Test
    void aReportInTheOutboxWithEveryReceiverDownIsDeliveredOnceAfterTheRestart() throws Exception {
        // The file channel cannot write while its directory is a plain file; the webhook has no receiver.
        Files.writeString(daemon.dir.resolve("alerts"), "not a directory");
        start("1");
        appendAndAwaitRecorded();
        await("the findings in the outbox, each channel having failed them", () -> {
            List<Outbox.Delivery> deliveries = outbox().list(false, 10);
            return deliveries.stream().filter(d -> d.channel().equals("file")).flatMap(d -> d.report().findings().stream())
                    .map(Finding::subject).toList().equals(LINES) && deliveries.stream().allMatch(d -> d.attempts() > 0);
        });
        kill();

        Files.delete(daemon.dir.resolve("alerts"));
        webhook = new HttpReceiver(webhookPort);
        start("1");
        awaitDeliveredThenMarker();
        assertEachFindingOnceOnEveryChannel();
    }

    @Test
    void aReportOneChannelTookBeforeTheKillGoesOnlyToTheOtherAfterTheRestart() throws Exception {
        start("1");
        appendAndAwaitRecorded();
        await("the findings delivered to the alert file and failed by the webhook", () -> {
            List<Outbox.Delivery> deliveries = outbox().list(false, 10);
            return subjects(fileReports()).equals(LINES)
                    && deliveries.stream().filter(d -> d.channel().equals("file")).allMatch(d -> d.status() == Outbox.Status.DELIVERED)
                    && deliveries.stream().filter(d -> d.channel().equals("webhook")).allMatch(d -> d.attempts() > 0);
        });
        kill();

        webhook = new HttpReceiver(webhookPort);
        start("1");
        awaitDeliveredThenMarker();
        assertEachFindingOnceOnEveryChannel();
    }

    /** Starts `vigil run` with the logs' reporttime {@code reporttime} seconds and no holdoff. */
    private void start(String reporttime) throws Exception {
        Map<String, String> overrides = new HashMap<>(Map.of(
                "vigil.logs.files", log.toString(),
                "vigil.logs.interval", "100ms",
                "vigil.logs.rules", Path.of("logrules").toAbsolutePath().toString(),
                "vigil.files.watch.enabled", "false",
                "vigil.files.scan.cron", "0 0 0 1 1 ? 2099",
                "vigil.webhook.url", "http://127.0.0.1:" + webhookPort + "/hook",
                "vigil.report.logs.reportTime", reporttime,
                "vigil.report.logs.reportHoldoff", "0",
                "vigil.alerts.retry.initial", "200ms"));
        overrides.put("vigil.alerts.retry.max", "1s");
        Path config = daemon.config(overrides);
        String java = ProcessHandle.current().info().command().orElse("java");
        Path output = daemon.dir.resolve("daemon.log");
        Files.deleteIfExists(output);
        child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.vigil.cli.VigilCommand",
                "run", "--config", config.toString(), "--routes", Path.of("routes").toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /** SIGKILL: nothing of the daemon's own shutdown runs. */
    private void kill() throws InterruptedException {
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        child = null;
    }

    /**
     * Appends the lines and waits until their findings are in the event history and the log's position is saved
     * past them (else the restart would read them again, as new findings).
     */
    private void appendAndAwaitRecorded() throws Exception {
        await("the log tail to start", () -> new LogOffsetStore(db, "logs", Clock.systemUTC()).load().containsKey(log));
        append(LINES.toArray(String[]::new));
        long end = Files.size(log);
        await("the findings in the event history", () -> new EventLog(db).query(
                new EventLog.Query(null, null, Source.LOGS, null, null)).size() == LINES.size()
                && new LogOffsetStore(db, "logs", Clock.systemUTC()).load().get(log).offset() == end);
    }

    /**
     * Waits for the findings on both channels, then sends one more: once that one is on both channels too,
     * anything sent twice would have arrived before it (each channel takes its reports in order).
     */
    private void awaitDeliveredThenMarker() throws Exception {
        await("the findings in the alert file and at the webhook", () -> subjects(fileReports()).containsAll(LINES)
                && subjects(webhookReports()).containsAll(LINES));
        // on its first start the daemon reads the log from its end: the marker must come after that position
        await("the log tail to start on " + log, () -> new LogOffsetStore(db, "logs", Clock.systemUTC()).load().containsKey(log));
        append(MARKER);
        await("the marker in the alert file and at the webhook", () -> subjects(fileReports()).contains(MARKER)
                && subjects(webhookReports()).contains(MARKER));
    }

    private void assertEachFindingOnceOnEveryChannel() throws IOException {
        List<String> expected = new ArrayList<>(LINES);
        expected.add(MARKER);
        assertEquals(expected, subjects(fileReports()), "the alert file");
        assertEquals(expected, subjects(webhookReports()), "the webhook");
    }

    private Outbox outbox() {
        return new Outbox(db);
    }

    private void append(String... lines) throws IOException {
        Files.writeString(log, String.join("\n", lines) + "\n", StandardOpenOption.APPEND);
    }

    private List<Report> fileReports() {
        if (!Files.isRegularFile(alerts)) {
            return List.of();
        }
        try (Stream<String> lines = Files.lines(alerts)) {
            return lines.filter(l -> !l.isBlank()).map(Report::fromJson).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** What the webhook receiver took (it answers 200 to everything once started). */
    private List<Report> webhookReports() {
        return webhook == null ? List.of() : webhook.requests().stream().map(r -> Report.fromJson(r.body())).toList();
    }

    private static List<String> subjects(List<Report> reports) {
        return reports.stream().flatMap(r -> r.findings().stream()).map(Finding::subject).toList();
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (child != null && !child.isAlive()) {
                throw new AssertionError("the daemon exited while waiting for " + what + ": " + read(daemon.dir.resolve("daemon.log")));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + ": " + read(daemon.dir.resolve("daemon.log")));
            }
            Thread.sleep(50);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
