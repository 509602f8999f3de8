package dev.vigil.camel;

import dev.vigil.alert.Finding;
import dev.vigil.alert.Report;
import dev.vigil.alert.Severity;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon as `vigil run` starts it: the real routes/*.yaml and config/vigil.properties (with a few keys
 * overridden), a real SQLite file, real files, and the real file channel writing alerts.ndjson. Only the clock
 * that pooling and holdoff read is controlled by the test.
 */
class DaemonRoutesTest {

    @TempDir
    Path dir;

    private TestDaemon daemon;

    @BeforeEach
    void daemon() {
        daemon = new TestDaemon(dir);
    }

    @AfterEach
    void stopAll() {
        daemon.close();
    }

    private Main start(Map<String, String> overrides) throws Exception {
        return daemon.start(overrides);
    }

    private void stop(Main main) {
        daemon.stop(main);
    }

    private List<Report> alerts() throws IOException {
        Path file = dir.resolve("alerts/alerts.ndjson");
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(Report::fromJson).toList();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        TestDaemon.await(what, condition);
    }

    private void advance(Duration d) {
        daemon.advance(d);
    }

    private Finding finding(String subject, Severity severity) {
        return new Finding("files", "MODIFIED", subject, "test-host", daemon.now(), severity, Map.of());
    }

    private int events(Main main) {
        return new dev.vigil.store.EventLog(Beans.database(main.getCamelContext()))
                .query(new dev.vigil.store.EventLog.Query(null, null, null, null, null)).size();
    }

    @Test
    void aChangeInAWatchedTreeBecomesExactlyOneReportAfterReporttime() throws Exception {
        Path watched = Files.createDirectory(dir.resolve("watched"));
        Path file = Files.writeString(watched.resolve("hosts"), "127.0.0.1 localhost\n");
        Main main = start(Map.of("vigil.files.scan.interval", "100ms"));
        await("the first baseline", () -> Files.exists(dir.resolve("vigil.db")) && main.getCamelContext()
                .getRoute("files-check").getConsumer() != null && new dev.vigil.fim.Integrity(
                new dev.vigil.store.SqliteBaseline(Beans.database(main.getCamelContext())),
                dev.vigil.fim.ScanOptions.defaults(), dev.vigil.fim.PathPolicy.none()).hasBaseline(watched));

        Files.writeString(file, "10.0.0.66 localhost\n");
        await("the finding in the event history", () -> events(main) == 1);
        Thread.sleep(1500); // more checks and report timer ticks: the finding stays pooled until reporttime
        assertEquals(List.of(), alerts(), "nothing before reporttime (15 s) has passed");

        advance(Duration.ofSeconds(15));
        await("the report", () -> unchecked(this::alerts).size() == 1);
        Report report = alerts().get(0);
        assertEquals("files", report.source());
        assertEquals(List.of(file.toString()), report.findings().stream().map(Finding::subject).toList());
        assertEquals("MODIFIED", report.findings().get(0).kind());

        Thread.sleep(1500);
        assertEquals(1, alerts().size(), "the same deviation is not reported again");
        assertEquals(1, events(main));
    }

    @Test
    void threeBurstsInsideOneHoldoffBecomeTwoReports() throws Exception {
        Main main = start(Map.of());
        var template = main.getCamelContext().createProducerTemplate();
        for (int i = 0; i < 3; i++) {
            template.sendBody("direct:report", finding("/etc/burst1-" + i, Severity.WARNING));
        }
        advance(Duration.ofSeconds(15));
        await("the first report", () -> unchecked(this::alerts).size() == 1);

        advance(Duration.ofSeconds(20));
        template.sendBody("direct:report", finding("/etc/burst2", Severity.WARNING));
        advance(Duration.ofSeconds(60));
        template.sendBody("direct:report", finding("/etc/burst3", Severity.WARNING));
        advance(Duration.ofSeconds(60));
        Thread.sleep(1500);
        assertEquals(1, alerts().size(), "held off: 155 s after the first report of 300");

        advance(Duration.ofSeconds(170));
        await("the second report", () -> unchecked(this::alerts).size() == 2);
        assertEquals(List.of("/etc/burst2", "/etc/burst3"),
                alerts().get(1).findings().stream().map(Finding::subject).toList());
    }

    @Test
    void aCriticalFindingIsNeitherPooledNorHeld() throws Exception {
        Main main = start(Map.of());
        var template = main.getCamelContext().createProducerTemplate();
        template.sendBody("direct:report", finding("/etc/motd", Severity.WARNING));
        advance(Duration.ofSeconds(15));
        await("the first report", () -> unchecked(this::alerts).size() == 1);
        template.sendBody("direct:report", finding("/etc/shadow", Severity.CRITICAL));
        await("the critical report, inside the holdoff and with no time passing",
                () -> unchecked(this::alerts).size() == 2);
        assertEquals("/etc/shadow", alerts().get(1).findings().get(0).subject());
    }

    @Test
    void reportsUndeliveredAtStopArriveOnceAfterRestart() throws Exception {
        // The file channel cannot write while its directory is a plain file: the report stays in the outbox.
        Files.writeString(dir.resolve("alerts"), "not a directory");
        Main first = start(Map.of());
        first.getCamelContext().createProducerTemplate().sendBody("direct:report", finding("/etc/shadow", Severity.CRITICAL));
        first.getCamelContext().createProducerTemplate().sendBody("direct:report", finding("/etc/pooled", Severity.WARNING));
        await("a failed attempt", () -> new dev.vigil.store.Outbox(Beans.database(first.getCamelContext())).list(false, 10)
                .stream().anyMatch(d -> d.attempts() > 0));
        stop(first);

        Files.delete(dir.resolve("alerts"));
        advance(Duration.ofMinutes(1)); // past the retry backoff
        Main second = start(Map.of());
        await("both reports, the critical one and the one pooled at stop", () -> unchecked(this::alerts).size() == 2);
        assertEquals(List.of("/etc/shadow", "/etc/pooled"),
                alerts().stream().map(r -> r.findings().get(0).subject()).toList());
        stop(second);

        start(Map.of());
        Thread.sleep(1500);
        assertEquals(2, alerts().size(), "a third start sends nothing again");
    }

    @Test
    void anUnknownVigilKeyStopsStartUpNamingIt() {
        Exception e = assertThrows(Exception.class, () -> start(Map.of("vigil.files.exclude", "*.tmp")));
        assertTrue(dev.vigil.cli.VigilCommand.message(e).contains("vigil.files.exclude"), dev.vigil.cli.VigilCommand.message(e));
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    private static <T> T unchecked(IoSupplier<T> s) {
        try {
            return s.get();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
