package dev.vigil.camel;

import dev.vigil.alert.Source;
import dev.vigil.Await;
import dev.vigil.camel.daemon.ReportPipeline;
import dev.vigil.watch.FanotifyAvailable;
import dev.vigil.watch.FileEventVerifier;

import dev.vigil.alert.Finding;
import dev.vigil.alert.Report;
import dev.vigil.alert.Severity;
import dev.vigil.pid.RealProcesses;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    private Main start(Map<String, String> overrides) throws Exception {
        return daemon.start(overrides);
    }

    private void stop(Main main) {
        daemon.stop(main);
    }

    private List<Report> alerts() throws IOException {
        Path file = daemon.dir.resolve("alerts/alerts.ndjson");
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(Report::fromJson).toList();
    }

    private void advance(Duration d) {
        daemon.advance(d);
    }

    private Finding finding(String subject, Severity severity) {
        return new Finding(Source.FILES, "MODIFIED", subject, "test-host", daemon.now(), severity, Map.of());
    }

    private int events(Main main) {
        return new dev.vigil.store.EventLog(Beans.database(main.getCamelContext()))
                .query(new dev.vigil.store.EventLog.Query(null, null, null, null, null)).size();
    }

    @Test
    void aChangeInAWatchedTreeBecomesExactlyOneReportAfterReporttime() throws Exception {
        Path watched = Files.createDirectory(daemon.dir.resolve("watched"));
        Path file = Files.writeString(watched.resolve("hosts"), "127.0.0.1 localhost\n");
        Main main = start(Map.of("vigil.files.scan.interval", "100ms"));
        Await.until("the first baseline", () -> Files.exists(daemon.dir.resolve("vigil.db")) && main.getCamelContext()
                .getRoute("files-check").getConsumer() != null && new dev.vigil.fim.Integrity(
                new dev.vigil.store.SqliteBaseline(Beans.database(main.getCamelContext())),
                dev.vigil.fim.ScanOptions.defaults(), dev.vigil.fim.PathPolicy.none()).hasBaseline(watched));

        // Rewritten in place without truncating it first (the same length, one write): a check every 100 ms could
        // otherwise see the file empty, then full, and rightly make two findings of it.
        Files.writeString(file, "10.0.0.66 localhost\n", java.nio.file.StandardOpenOption.WRITE);
        Await.until("the finding in the event history", () -> events(main) == 1);
        // more checks and report timer ticks: the finding stays pooled until reporttime
        TestDaemon.awaitPolls(main, "files-check", 3);
        TestDaemon.awaitCompleted(main, "report-due", 2);
        assertEquals(List.of(), alerts(), "nothing before reporttime (15 s) has passed");

        daemon.advanceOncePooled(main, Duration.ofSeconds(15));
        Await.until("the report", () -> unchecked(this::alerts).size() == 1);
        Report report = alerts().get(0);
        assertEquals(Source.FILES, report.source());
        assertEquals(List.of(file.toString()), report.findings().stream().map(Finding::subject).toList());
        assertEquals("MODIFIED", report.findings().get(0).kind());

        TestDaemon.awaitPolls(main, "files-check", 3);
        TestDaemon.awaitCompleted(main, "report-due", 2);
        assertEquals(1, alerts().size(), "the same deviation is not reported again");
        assertEquals(1, events(main));
    }

    @Test
    void theTrickleFindsAChangeOnItsOwnAndReportsItOnce() throws Exception {
        Path watched = Files.createDirectory(daemon.dir.resolve("watched"));
        Path file = Files.writeString(watched.resolve("motd"), "hello\n");
        Main main = start(Map.of("vigil.files.watch.enabled", "false", "vigil.files.trickle.enabled", "true", "vigil.files.trickle.fileRate", "1000",
                "vigil.files.trickle.byteRate", "10000000"));
        Await.until("the first baseline", () -> new dev.vigil.fim.Integrity(
                new dev.vigil.store.SqliteBaseline(Beans.database(main.getCamelContext())),
                dev.vigil.fim.ScanOptions.defaults(), dev.vigil.fim.PathPolicy.none()).hasBaseline(watched));

        // The new content is renamed over the file: written in place, the trickle (many cycles a second over two
        // entries) could see the new mtime before the new bytes, and rightly report both states.
        Path staged = Files.writeString(Files.createDirectory(daemon.dir.resolve("staging")).resolve("motd"), "owned\n");
        Files.move(staged, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        // A check that stat'ed the old file and read the new one reports that, flagged as changed while hashed;
        // wait for the finding of the file as it now is, and of its directory, whose times the rename changed.
        Object inode = Files.getAttribute(file, "unix:ino");
        Await.until("the trickle's findings (the full check runs hourly)", () -> fileFindings(main).stream()
                .anyMatch(f -> f.subject().equals(file.toString()) && afterInode(f).equals(String.valueOf(inode)))
                && fileFindings(main).stream().anyMatch(f -> f.subject().equals(watched.toString())));
        int found = fileFindings(main).size();
        TestDaemon.awaitTrickleCycles(main, 5);
        assertEquals(found, fileFindings(main).size(), "found on every cycle, reported once: " + fileFindings(main));
        assertEquals(java.util.Set.of("MODIFIED"), fileFindings(main).stream().filter(f -> f.subject().equals(file.toString()))
                .map(Finding::kind).collect(java.util.stream.Collectors.toSet()));
        daemon.advanceOncePooled(main, Duration.ofSeconds(15));
        Await.until("the report", () -> unchecked(this::alerts).size() == 1);
        assertEquals(java.util.Set.of("MODIFIED " + file, "ATTRIBUTES " + watched), alerts().get(0).findings().stream()
                .map(f -> f.kind() + " " + f.subject()).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void aCronScheduleReplacesTheInterval() throws Exception {
        Path watched = Files.createDirectory(daemon.dir.resolve("watched"));
        Path file = Files.writeString(watched.resolve("crontab"), "# none\n");
        Main main = start(Map.of("vigil.files.scan.cron", "0/1 * * * * ?", "vigil.files.watch.enabled", "false"));
        Await.until("the first baseline", () -> new dev.vigil.fim.Integrity(
                new dev.vigil.store.SqliteBaseline(Beans.database(main.getCamelContext())),
                dev.vigil.fim.ScanOptions.defaults(), dev.vigil.fim.PathPolicy.none()).hasBaseline(watched));
        Files.writeString(file, "* * * * * root /tmp/x\n");
        Await.until("a check on the cron schedule (the interval is an hour)", () -> events(main) == 1);
    }

    @Test
    void threeBurstsInsideOneHoldoffBecomeTwoReports() throws Exception {
        Main main = start(Map.of());
        var template = main.getCamelContext().createProducerTemplate();
        for (int i = 0; i < 3; i++) {
            template.sendBody("direct:report", finding("/etc/burst1-" + i, Severity.WARNING));
        }
        advance(Duration.ofSeconds(15));
        Await.until("the first report", () -> unchecked(this::alerts).size() == 1);

        advance(Duration.ofSeconds(20));
        template.sendBody("direct:report", finding("/etc/burst2", Severity.WARNING));
        advance(Duration.ofSeconds(60));
        template.sendBody("direct:report", finding("/etc/burst3", Severity.WARNING));
        advance(Duration.ofSeconds(60));
        TestDaemon.awaitCompleted(main, "report-due", 2);
        assertEquals(1, alerts().size(), "held off: 155 s after the first report of 300");

        advance(Duration.ofSeconds(170));
        Await.until("the second report", () -> unchecked(this::alerts).size() == 2);
        assertEquals(List.of("/etc/burst2", "/etc/burst3"),
                alerts().get(1).findings().stream().map(Finding::subject).toList());
    }

    @Test
    void aModificationAfterAReportOfAFloodOfAddedFilesIsReportedAfterReporttimeNotAfterTheHoldoff() throws Exception {
        Main main = start(Map.of());
        var template = main.getCamelContext().createProducerTemplate();
        for (int i = 0; i < 3; i++) {
            template.sendBody("direct:report", new Finding(Source.FILES, "ADDED", "/srv/cache/f" + i, "test-host", daemon.now(),
                    Severity.WARNING, Map.of()));
        }
        advance(Duration.ofSeconds(15));
        Await.until("the flood's first report", () -> unchecked(this::alerts).size() == 1);

        advance(Duration.ofSeconds(20));
        template.sendBody("direct:report", new Finding(Source.FILES, "ADDED", "/srv/cache/f3", "test-host", daemon.now(),
                Severity.WARNING, Map.of()));
        template.sendBody("direct:report", finding("/etc/hosts", Severity.WARNING));
        advance(Duration.ofSeconds(14));
        TestDaemon.awaitCompleted(main, "report-due", 2);
        assertEquals(1, alerts().size(), "pooled for reporttime (15 s) like any finding");

        advance(Duration.ofSeconds(1));
        Await.until("the report of the modification, 265 s inside the holdoff", () -> unchecked(this::alerts).size() == 2);
        assertEquals(List.of("ADDED /srv/cache/f3", "MODIFIED /etc/hosts"),
                alerts().get(1).findings().stream().map(f -> f.kind() + " " + f.subject()).toList());
    }

    @Test
    void aCriticalFindingIsNeitherPooledNorHeld() throws Exception {
        Main main = start(Map.of());
        var template = main.getCamelContext().createProducerTemplate();
        template.sendBody("direct:report", finding("/etc/motd", Severity.WARNING));
        advance(Duration.ofSeconds(15));
        Await.until("the first report", () -> unchecked(this::alerts).size() == 1);
        template.sendBody("direct:report", finding("/etc/shadow", Severity.CRITICAL));
        Await.until("the critical report, inside the holdoff and with no time passing",
                () -> unchecked(this::alerts).size() == 2);
        assertEquals("/etc/shadow", alerts().get(1).findings().get(0).subject());
    }

    @Test
    void reportsUndeliveredAtStopArriveOnceAfterRestart() throws Exception {
        // The file channel cannot write while its directory is a plain file: the report stays in the outbox.
        Files.writeString(daemon.dir.resolve("alerts"), "not a directory");
        Main first = start(Map.of());
        first.getCamelContext().createProducerTemplate().sendBody("direct:report", finding("/etc/shadow", Severity.CRITICAL));
        first.getCamelContext().createProducerTemplate().sendBody("direct:report", finding("/etc/pooled", Severity.WARNING));
        Await.until("a failed attempt", () -> new dev.vigil.store.Outbox(Beans.database(first.getCamelContext())).list(false, 10)
                .stream().anyMatch(d -> d.attempts() > 0));
        stop(first);

        Files.delete(daemon.dir.resolve("alerts"));
        advance(Duration.ofMinutes(1)); // past the retry backoff
        Main second = start(Map.of());
        Await.until("both reports, the critical one and the one pooled at stop", () -> unchecked(this::alerts).size() == 2);
        assertEquals(List.of("/etc/shadow", "/etc/pooled"),
                alerts().stream().map(r -> r.findings().get(0).subject()).toList());
        stop(second);

        NotifyBuilder[] restored = new NotifyBuilder[1];
        daemon.start(Map.of(), context -> restored[0] = new NotifyBuilder(context).fromRoute("report-restore")
                .whenCompleted(1).and().fromRoute("outbox-retry").whenCompleted(2).create());
        assertTrue(restored[0].matches(60, java.util.concurrent.TimeUnit.SECONDS), "the restore and two outbox retries ran");
        assertEquals(2, alerts().size(), "a third start sends nothing again");
    }

    @Test
    void aFloodBeyondMaxFindingsIsOneReportListingThatManyAndCountingTheRestAlsoWhenRestoredAfterAStop() throws Exception {
        Map<String, String> keys = Map.of("vigil.report.files.maxFindings", "50", "vigil.files.watch.enabled", "false");
        Main first = start(keys);
        var template = first.getCamelContext().createProducerTemplate();
        for (int i = 0; i < 120; i++) {
            template.sendBody("direct:report", finding("/srv/flood/" + i, Severity.WARNING));
        }
        advance(Duration.ofSeconds(15));
        Await.until("the flood's report", () -> unchecked(this::alerts).size() == 1);
        assertFullPoolReport(alerts().get(0), "/srv/flood/");
        for (int i = 0; i < 120; i++) {
            template.sendBody("direct:report", finding("/srv/again/" + i, Severity.WARNING));
        }
        var pooled = new dev.vigil.store.EventLog(Beans.database(first.getCamelContext()));
        assertEquals(120, pooled.pooled().size(), "the first report took the rows of all 120; the second flood's wait for the holdoff");
        stop(first);

        Main second = start(keys);
        advance(Duration.ofSeconds(300));
        Await.until("the second flood's report, pooled again from the event history", () -> unchecked(this::alerts).size() == 2);
        assertFullPoolReport(alerts().get(1), "/srv/again/");
        assertEquals(List.of(), new dev.vigil.store.EventLog(Beans.database(second.getCamelContext())).pooled());
        assertEquals(240, events(second), "every finding is in the event history, listed or not");
    }

    private static void assertFullPoolReport(Report report, String prefix) {
        List<Finding> findings = report.findings();
        assertEquals(51, findings.size());
        assertEquals(java.util.stream.IntStream.range(0, 50).mapToObj(i -> prefix + i).toList(),
                findings.subList(0, 50).stream().map(Finding::subject).toList());
        Finding unlisted = findings.get(50);
        assertEquals("UNLISTED", unlisted.kind());
        assertEquals(70L, unlisted.details().get("count"));
        assertEquals(Map.of("MODIFIED", 70L), unlisted.details().get("byKind"));
    }

    @Test
    void theHoldoffOfTheLastReportRunsOnAcrossARestart() throws Exception {
        Main first = start(Map.of());
        first.getCamelContext().createProducerTemplate().sendBody("direct:report", finding("/etc/before", Severity.WARNING));
        advance(Duration.ofSeconds(15));
        Await.until("the first report", () -> unchecked(this::alerts).size() == 1);
        stop(first);

        advance(Duration.ofSeconds(100));
        Main second = start(Map.of());
        second.getCamelContext().createProducerTemplate().sendBody("direct:report", finding("/etc/after", Severity.WARNING));
        ReportPipeline reports = second.getCamelContext().getRegistry().lookupByNameAndType("reports", ReportPipeline.class);
        assertEquals(java.util.Optional.of(Instant.parse("2026-01-01T00:00:15Z").plusSeconds(300)), reports.nextDue(),
                "due 300 s (reportholdoff) after the report before the restart");
    }

    @Test
    void anUnknownVigilKeyStopsStartUpNamingIt() {
        Exception e = assertThrows(Exception.class, () -> start(Map.of("vigil.files.exclude", "*.tmp")));
        assertTrue(dev.vigil.cli.VigilCommand.message(e).contains("vigil.files.exclude"), dev.vigil.cli.VigilCommand.message(e));
    }

    @Test
    void aBadRouteFileStopsStartUpNamingTheFile() throws Exception {
        Path routes = Files.createDirectory(daemon.dir.resolve("routes"));
        for (Path r : Files.newDirectoryStream(Path.of("routes"))) {
            Files.copy(r, routes.resolve(r.getFileName()));
        }
        Files.writeString(routes.resolve("broken.yaml"), "- route:\n    from:\n      uri: direct:x\n      steps:\n        - nosuchstep: {}\n");
        daemon.routes(routes);
        Exception e = assertThrows(Exception.class, () -> start(Map.of()));
        assertTrue(dev.vigil.cli.VigilCommand.message(e).contains("broken.yaml"), dev.vigil.cli.VigilCommand.message(e));
    }

    private static Map<String, dev.vigil.pid.PidState> pidState(Main main) {
        return new dev.vigil.store.PidStateStore(Beans.database(main.getCamelContext()), java.time.Clock.systemUTC())
                .load("pids");
    }

    /** Checks the PID route has completed, to wait for a check that finds nothing. */
    private static long pidChecks(Main main) {
        return ((org.apache.camel.support.ScheduledPollConsumer) main.getCamelContext().getRoute("pids-check")
                .getConsumer()).getSuccessCounter();
    }

    private static List<String> pidEvents(Main main) {
        return new dev.vigil.store.EventLog(Beans.database(main.getCamelContext()))
                .query(new dev.vigil.store.EventLog.Query(null, null, Source.PIDS, null, null)).stream()
                .map(f -> f.kind() + " " + f.subject()).toList();
    }

    @Test
    void withPidChecksOffByDefaultTheRouteStartsAndChecksNothing() throws Exception {
        Main main = start(Map.of("vigil.pids.interval", "100ms"));
        Await.until("two PID checks", () -> pidChecks(main) >= 2);
        assertEquals(Map.of(), pidState(main));
        assertEquals(List.of(), pidEvents(main));
    }

    @Test
    void aKilledServiceIsReportedDiedInAPidsReportAfterReporttime() throws Exception {
        Path pidFile = daemon.dir.resolve("svc.pid");
        try (RealProcesses processes = new RealProcesses()) {
            Process service = processes.daemon(pidFile);
            Main main = start(Map.of("vigil.pids.files", pidFile.toString(), "vigil.pids.interval", "100ms"));
            Await.until("the service remembered", () -> pidState(main).containsKey(pidFile.toString()));

            // Killed and reaped while no check runs: a check between the kill and this JVM's reaping would see the
            // process a zombie, rightly, and report ZOMBIE before DIED (seen at load 15).
            main.getCamelContext().getRouteController().suspendRoute("pids-check");
            RealProcesses.kill(service);
            main.getCamelContext().getRouteController().resumeRoute("pids-check");
            Await.until("the finding in the event history", () -> !pidEvents(main).isEmpty());
            assertEquals(List.of(), alerts(), "pooled until reporttime (30 s for pids)");

            daemon.advanceOncePooled(main, Duration.ofSeconds(30));
            Await.until("the report", () -> unchecked(this::alerts).size() == 1);
            Report report = alerts().get(0);
            assertEquals(Source.PIDS, report.source());
            assertEquals(List.of("DIED " + pidFile), report.findings().stream().map(f -> f.kind() + " " + f.subject()).toList());
            assertEquals(String.valueOf(service.pid()), String.valueOf(report.findings().get(0).details().get("before.pid")));
            assertEquals("/usr/bin/sleep", report.findings().get(0).details().get("before.exe"));
        }
    }

    @Test
    void restartingVigilBetweenTwoChecksReportsOnlyTheServiceThatReallyRestarted() throws Exception {
        Path steady = daemon.dir.resolve("steady.pid");
        Path bounced = daemon.dir.resolve("bounced.pid");
        Map<String, String> config = Map.of("vigil.pids.files", steady + "," + bounced, "vigil.pids.interval", "100ms");
        try (RealProcesses processes = new RealProcesses()) {
            processes.daemon(steady);
            Process before = processes.daemon(bounced);
            Main first = start(config);
            Await.until("both services remembered", () -> pidState(first).size() == 2);
            stop(first);

            // While Vigil is down one service restarts (a new process writes its PID); the other runs on.
            RealProcesses.kill(before);
            processes.daemon(bounced);
            Main second = start(config);
            Await.until("the restart found", () -> !pidEvents(second).isEmpty());
            long checks = pidChecks(second);
            Await.until("two more checks", () -> pidChecks(second) >= checks + 2);

            assertEquals(List.of("RESTARTED " + bounced), pidEvents(second));
        }
    }

    @Test
    void anExpectedExecutableFromTheConfigurationIsCheckedAndAMismatchReportedAtOnce() throws Exception {
        Path pidFile = daemon.dir.resolve("sshd.pid");
        try (RealProcesses processes = new RealProcesses()) {
            processes.daemon(pidFile); // runs /usr/bin/sleep
            start(Map.of("vigil.pids.files", pidFile.toString(), "vigil.pids.interval", "100ms",
                    "vigil.pids.expect.sshd.exe", "/usr/sbin/sshd"));

            Await.until("the critical report, with no time passing", () -> unchecked(this::alerts).size() == 1);
            Finding f = alerts().get(0).findings().get(0);
            assertEquals("UNEXPECTED_EXE " + pidFile, f.kind() + " " + f.subject());
            assertEquals(Severity.CRITICAL, f.severity());
            assertEquals("/usr/sbin/sshd", f.details().get("expectedExe"));
        }
    }

    // The real-time watch (fswatch:, route files-watch) on the real kernel. CI runs as root, where fanotify is
    // permitted; elsewhere the fanotify tests are skipped and say why (FanotifyAvailable).

    /** Starts the daemon watching dir/watched and waits for the scheduled check's first run, so it cannot race the watch. */
    private Main startWatching(String mode) throws Exception {
        return startWatching(mode, Map.of());
    }

    private Main startWatching(String mode, Map<String, String> overrides) throws Exception {
        Map<String, String> config = new java.util.HashMap<>(overrides);
        config.put("vigil.files.watch.mode", mode);
        Main main = start(config);
        Await.until("the scheduled check's first run", () -> ((org.apache.camel.support.ScheduledPollConsumer) main.getCamelContext()
                .getRoute("files-check").getConsumer()).getSuccessCounter() >= 1);
        return main;
    }

    private static Process run(Path cwd, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).inheritIO().start();
        assertEquals(0, p.waitFor(), String.join(" ", command));
        return p;
    }

    private static String afterInode(Finding f) {
        return f.details().get("after") instanceof Map<?, ?> after ? String.valueOf(after.get("inode")) : "";
    }

    private static List<Finding> fileFindings(Main main) {
        return new dev.vigil.store.EventLog(Beans.database(main.getCamelContext()))
                .query(new dev.vigil.store.EventLog.Query(null, null, Source.FILES, null, null));
    }

    private static Finding awaitFinding(Main main, String kind, Path path) throws InterruptedException {
        Await.until(kind + " " + path, () -> fileFindings(main).stream().anyMatch(f -> f.kind().equals(kind) && f.subject().equals(path.toString())));
        return fileFindings(main).stream().filter(f -> f.kind().equals(kind) && f.subject().equals(path.toString())).findFirst().orElseThrow();
    }

    private static List<dev.vigil.watch.FileEvent> rawEvents(Main main, String process, dev.vigil.watch.EventType type) {
        return new dev.vigil.store.FileEventHistory(Beans.database(main.getCamelContext())).query(
                new dev.vigil.store.FileEventHistory.Query(null, null, null, process, null, null, type == null ? null : java.util.Set.of(type)));
    }

    /** The command name of `sh`: the shell /bin/sh links to (dash on Debian). */
    private static String shell() throws IOException {
        return Path.of("/bin/sh").toRealPath().getFileName().toString();
    }

    private static int myUid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    private static Path treeOfFiles(Path parent, int files) throws IOException {
        Path tree = Files.createDirectories(parent.resolve("cache"));
        for (int i = 0; i < files; i++) {
            Files.writeString(tree.resolve("f" + i), "x");
        }
        return tree;
    }

    @ExtendWith(FanotifyAvailable.class)
    @Test
    void aShellWriteBecomesAModifiedFindingNamingTheProcessAndItsUser() throws Exception {
        Path watched = Files.createDirectory(daemon.dir.resolve("watched"));
        Path file = Files.writeString(watched.resolve("hosts"), "127.0.0.1 localhost\n");
        Main main = startWatching("fanotify");

        Process sh = run(watched, "sh", "-c", "echo x >> hosts");
        awaitFinding(main, "MODIFIED", file);
        daemon.advanceOncePooled(main, Duration.ofSeconds(15));
        Await.until("the report", () -> unchecked(this::alerts).size() == 1);

        List<Finding> reported = alerts().get(0).findings();
        assertEquals(List.of("MODIFIED " + file), reported.stream().map(f -> f.kind() + " " + f.subject()).toList());
        Map<String, Object> details = reported.get(0).details();
        // The kernel names the process by the path it was started as (sh); the name of what that path links to
        // (dash) is as right.
        assertTrue(java.util.Set.of("sh", shell()).contains(String.valueOf(details.get("comm"))), String.valueOf(details));
        assertEquals(String.valueOf(sh.pid()), String.valueOf(details.get("pid")));
        assertEquals(String.valueOf(myUid()), String.valueOf(details.get("uid")));
        assertEquals(true, details.get("attributed"));
    }

    @ExtendWith(FanotifyAvailable.class)
    @Test
    void aDirectoryThatChangesTwiceInsideOneReportIsListedOnceInItInItsLatestState() throws Exception {
        Path watched = Files.createDirectory(daemon.dir.resolve("watched"));
        Files.writeString(watched.resolve("hosts"), "127.0.0.1 localhost\n");
        Main main = startWatching("fanotify");

        run(watched, "touch", "a");
        awaitFinding(main, "ATTRIBUTES", watched);
        run(watched, "touch", "b");
        Await.until("the directory's second change", () -> fileFindings(main).stream()
                .filter(f -> f.subject().equals(watched.toString())).count() == 2);
        daemon.advanceOncePooled(main, Duration.ofSeconds(15));
        Await.until("the report", () -> unchecked(this::alerts).size() == 1);

        List<Finding> reported = alerts().get(0).findings();
        assertEquals(java.util.Set.of("ADDED " + watched.resolve("a"), "ADDED " + watched.resolve("b"), "ATTRIBUTES " + watched),
                java.util.Set.copyOf(reported.stream().map(f -> f.kind() + " " + f.subject()).toList()));
        assertEquals(3, reported.size(), "each path once");
        Finding directory = reported.stream().filter(f -> f.subject().equals(watched.toString())).findFirst().orElseThrow();
        assertEquals(String.valueOf(Files.getLastModifiedTime(watched).toInstant()),
                ((Map<?, ?>) directory.details().get("after")).get("mtime"), "as after the second change");
    }

    @Test
    void aWriteThatLeavesTheFileAsItWasMakesNoFinding() throws Exception {
        Path watched = Files.createDirectory(daemon.dir.resolve("watched"));
        Path file = Files.writeString(watched.resolve("hosts"), "127.0.0.1 localhost\n");
        Path other = Files.writeString(watched.resolve("motd"), "welcome\n");
        Main main = startWatching("fanotify");

        // Opened for writing and closed without a write: the kernel sends CLOSE_WRITE, but content, size, mtime
        // and ctime are all as before (O_CREAT on an existing file and O_APPEND change nothing by themselves).
        Process noop = run(watched, "sh", "-c", ": >> hosts");
        run(watched, "sh", "-c", "echo changed >> motd");
        // Events are verified in the order they came, so once motd's finding is there, hosts has been verified.
        awaitFinding(main, "MODIFIED", other);

        assertTrue(rawEvents(main, shell(), dev.vigil.watch.EventType.CLOSE_WRITE).stream()
                .anyMatch(e -> file.equals(e.path()) && e.pid() == noop.pid()), "the write was seen: " + rawEvents(main, null, null));
        assertEquals(List.of(), fileFindings(main).stream().filter(f -> f.subject().equals(file.toString())).toList());
    }

    @ExtendWith(FanotifyAvailable.class)
    @Test
    void rmRfOfAThousandFilesRecordsEveryDeletionAndReportsEachAsDeleted() throws Exception {
        Path watched = Files.createDirectory(daemon.dir.resolve("watched"));
        Path tree = treeOfFiles(watched, 1000);
        Main main = startWatching("fanotify");

        run(watched, "rm", "-rf", "cache");
        Await.until("1,001 DELETED findings (1,000 files and their directory)", Duration.ofMinutes(2),
                () -> fileFindings(main).stream().filter(f -> f.kind().equals("DELETED")).count() == 1001);

        java.util.Set<Path> deletedByRm = new java.util.HashSet<>();
        rawEvents(main, "rm", dev.vigil.watch.EventType.DELETE).forEach(e -> deletedByRm.add(e.path()));
        for (int i = 0; i < 1000; i++) {
            assertTrue(deletedByRm.contains(tree.resolve("f" + i)), "raw DELETE by rm of f" + i);
        }
        assertTrue(deletedByRm.contains(tree));
    }

    @ExtendWith(FanotifyAvailable.class)
    @Test
    void aFloodThatOverflowsATinyWatcherQueueIsMadeUpForByACheckThatReportsTheLostChanges() throws Exception {
        Path watched = Files.createDirectory(daemon.dir.resolve("watched"));
        Main main = startWatching("fanotify", Map.of("vigil.files.watch.queueSize", "8"));

        List<Path> flood = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            flood.add(Files.writeString(watched.resolve("f" + i), "x"));
        }
        Await.until("an OVERFLOW finding", () -> fileFindings(main).stream().anyMatch(f -> f.kind().equals("OVERFLOW")));
        Await.until("an ADDED finding of each of the 1,000 files", Duration.ofMinutes(2), () -> fileFindings(main).stream()
                .filter(f -> f.kind().equals("ADDED")).map(Finding::subject).distinct().count() == 1000);

        List<Finding> found = fileFindings(main);
        Finding overflow = found.stream().filter(f -> f.kind().equals("OVERFLOW")).findFirst().orElseThrow();
        assertEquals(watched.toString(), overflow.subject());
        assertTrue(String.valueOf(overflow.details().get("message")).contains("events dropped in this directory: the consumer did not keep up with the watcher queue (capacity 8)"),
                String.valueOf(overflow.details()));
        Map<String, List<Finding>> added = found.stream().filter(f -> f.kind().equals("ADDED"))
                .collect(java.util.stream.Collectors.groupingBy(Finding::subject));
        java.util.Set<Path> eventSeen = new java.util.HashSet<>();
        rawEvents(main, null, null).forEach(e -> eventSeen.add(e.path()));
        List<Path> lost = flood.stream().filter(f -> !eventSeen.contains(f)).toList();
        assertTrue(!lost.isEmpty(), "the flood lost no file's events: nothing shows the check made up for them");
        // A file the check found half-written is reported again once whole, so a file may have two findings.
        for (Path f : flood) {
            assertTrue(added.containsKey(f.toString()), "no ADDED finding of " + f);
        }
        for (Path f : lost) {
            List<Map<String, Object>> details = added.get(f.toString()).stream().map(Finding::details).toList();
            assertTrue(details.stream().allMatch(d -> FileEventVerifier.OVERFLOW_CHECK.equals(d.get("foundBy"))
                    && Boolean.FALSE.equals(d.get("attributed"))), f + ": " + details);
        }
    }

    @Test
    void withInotifyForcedTheSameChangesAreReportedWithoutAttribution() throws Exception {
        Path watched = Files.createDirectory(daemon.dir.resolve("watched"));
        Path file = Files.writeString(watched.resolve("hosts"), "127.0.0.1 localhost\n");
        Path tree = treeOfFiles(watched, 1000);
        Main main = startWatching("inotify");

        run(watched, "sh", "-c", "echo x >> hosts; mkdir sub; echo y > sub/new; rm -rf cache");
        Finding modified = awaitFinding(main, "MODIFIED", file);
        awaitFinding(main, "ADDED", watched.resolve("sub"));
        awaitFinding(main, "ADDED", watched.resolve("sub/new"));
        Await.until("1,001 DELETED findings", Duration.ofMinutes(2), () -> fileFindings(main).stream().filter(f -> f.kind().equals("DELETED")).count() == 1001);

        assertEquals(false, modified.details().get("attributed"));
        assertEquals(null, modified.details().get("comm"));
        List<dev.vigil.watch.FileEvent> deletes = rawEvents(main, null, dev.vigil.watch.EventType.DELETE);
        assertTrue(deletes.stream().map(dev.vigil.watch.FileEvent::path).toList().containsAll(
                java.util.stream.IntStream.range(0, 1000).mapToObj(i -> tree.resolve("f" + i)).toList()));
        assertTrue(deletes.stream().noneMatch(dev.vigil.watch.FileEvent::attributed));
    }

    @ExtendWith(FanotifyAvailable.class)
    @Test
    void eventsCommandAnswersWhichFilesTouchCreated() throws Exception {
        Path watched = Files.createDirectory(daemon.dir.resolve("watched"));
        Main main = startWatching("fanotify");
        run(watched, "touch", "made-by-touch");
        run(watched, "sh", "-c", "echo x > made-by-sh");
        awaitFinding(main, "ADDED", watched.resolve("made-by-sh"));

        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.out;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals(0, dev.vigil.cli.VigilCommand.commandLine().execute("events", "--db", daemon.dir.resolve("vigil.db").toString(),
                    "--process", "touch", "--type", "CREATE", "--format", "csv"));
        } finally {
            System.setOut(saved);
        }
        List<String> lines = out.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        assertEquals("time,types,path,old_path,pid,ppid,comm,exe,uid,user,attributed", lines.get(0));
        assertEquals(1, lines.size() - 1, String.join("\n", lines));
        assertTrue(lines.get(1).contains("," + watched.resolve("made-by-touch") + ","), lines.get(1));
        // touch's name, or, when touch exited before /proc was read (a loaded machine), no name but its executable,
        // which the exec event itself carries (see ProcessTable): never another program's name
        assertTrue(lines.get(1).contains(",touch,") || lines.get(1).matches(".*,,(/usr)?/bin/touch,.*"), lines.get(1));
    }

    /** `vigil events` with these arguments on the test's database, its standard output as lines. */
    private List<String> eventsCommand(String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.out;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            List<String> all = new java.util.ArrayList<>(List.of("events", "--db", daemon.dir.resolve("vigil.db").toString()));
            all.addAll(List.of(args));
            assertEquals(0, dev.vigil.cli.VigilCommand.commandLine().execute(all.toArray(String[]::new)));
        } finally {
            System.setOut(saved);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    }

    /** The daemon watching (fanotify) dir/watched, which holds one baselined file, hosts. */
    private Main watchingHosts(Map<String, String> overrides) throws Exception {
        Path watched = Files.createDirectory(daemon.dir.resolve("watched"));
        Files.writeString(watched.resolve("hosts"), "127.0.0.1 localhost\n");
        return startWatching("fanotify", overrides);
    }

    /** The processes a finding lists, as "pid events" in its order. */
    private static List<String> processes(Finding f) {
        Object listed = f.details().get("processes");
        return listed instanceof List<?> l ? l.stream().map(p -> (Map<?, ?>) p)
                .map(p -> p.get("pid") + " " + p.get("events")).toList() : List.of();
    }

    @ExtendWith(FanotifyAvailable.class)
    @Test
    void aWriteFollowedByTouchDashRIsBlamedOnTheWriterWhileTouchIsListedForItsAttrib() throws Exception {
        Path reference = Files.writeString(daemon.dir.resolve("reference"), "");
        // both in one debounce window, whatever the machine's load
        Main main = watchingHosts(Map.of("vigil.files.watch.debounce", "2s", "vigil.files.watch.debounceMax", "5s"));
        Path file = daemon.dir.resolve("watched/hosts");
        Path watched = file.getParent();

        Process writer = run(watched, "sh", "-c", "echo 10.0.0.66 evil >> hosts");
        Process touch = run(watched, "touch", "-r", reference.toString(), "hosts");
        Finding modified = awaitFinding(main, "MODIFIED", file);

        assertEquals(String.valueOf(writer.pid()), String.valueOf(modified.details().get("pid")), String.valueOf(modified.details()));
        assertEquals(Path.of("/bin/sh").toRealPath().toString(), modified.details().get("exe"));
        assertEquals("CLOSE_WRITE,MODIFY", modified.details().get("events"));
        assertEquals(List.of(writer.pid() + " CLOSE_WRITE,MODIFY", touch.pid() + " ATTRIB,CLOSE_WRITE"), processes(modified));
    }

    @ExtendWith(FanotifyAvailable.class)
    @Test
    void aChildWritingThroughADescriptorItInheritedIsNamedNotTheParentThatClosesIt() throws Exception {
        Main main = watchingHosts(Map.of());
        Path file = daemon.dir.resolve("watched/hosts");

        // the parent opens, a child shell writes its own pid through the inherited descriptor, the parent closes
        Process parent = run(file.getParent(), "sh", "-c", "exec 3>>hosts; sh -c 'echo $$ >&3'; exec 3>&-; exit 0");
        Finding modified = awaitFinding(main, "MODIFIED", file);

        List<String> lines = Files.readAllLines(file);
        String child = lines.get(lines.size() - 1);
        assertEquals(child, String.valueOf(modified.details().get("pid")), String.valueOf(modified.details()));
        assertEquals(List.of(child + " MODIFY", parent.pid() + " CLOSE_WRITE"), processes(modified));
    }

    @ExtendWith(FanotifyAvailable.class)
    @Test
    void aChildThatOnlyClosesAnInheritedDescriptorLastIsNotBlamedForItsParentsWrite() throws Exception {
        Main main = watchingHosts(Map.of());
        Path file = daemon.dir.resolve("watched/hosts");

        // the parent writes and closes; a child it left holding the descriptor closes it last, when it ends
        Process parent = run(file.getParent(), "sh", "-c", "exec 3>>hosts; echo 10.0.0.66 evil >&3; sleep 1 & exec 3>&-; exit 0");
        Await.until("the child's CLOSE_WRITE", () -> rawEvents(main, "sleep", dev.vigil.watch.EventType.CLOSE_WRITE).stream()
                .anyMatch(e -> file.equals(e.path())));
        Finding modified = awaitFinding(main, "MODIFIED", file);

        assertEquals(String.valueOf(parent.pid()), String.valueOf(modified.details().get("pid")), String.valueOf(modified.details()));
    }

    @ExtendWith(FanotifyAvailable.class)
    @Test
    void eventsOfProcessShAndPython3FindWhatTheShellAndPythonWrote() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is installed");
        Path watched = Files.createDirectory(daemon.dir.resolve("watched"));
        Main main = startWatching("fanotify");
        Process sh = run(watched, "sh", "-c", "echo x > by-sh");
        Process python = run(watched, "python3", "-c", "open('by-python', 'w').write('x')");
        awaitFinding(main, "ADDED", watched.resolve("by-sh"));
        awaitFinding(main, "ADDED", watched.resolve("by-python"));

        List<String> bySh = eventsCommand("--process", "sh", "--format", "csv");
        assertTrue(bySh.stream().anyMatch(l -> l.contains("," + watched.resolve("by-sh") + ",,") && l.contains("," + sh.pid() + ",")),
                String.join("\n", bySh));
        assertTrue(bySh.stream().noneMatch(l -> l.contains("by-python")), String.join("\n", bySh));
        List<String> byPython = eventsCommand("--process", "python3", "--format", "csv");
        assertTrue(byPython.stream().anyMatch(l -> l.contains("," + watched.resolve("by-python") + ",,")
                && l.contains("," + python.pid() + ",")), String.join("\n", byPython));
        assertTrue(byPython.stream().noneMatch(l -> l.contains("by-sh")), String.join("\n", byPython));
    }

    @ExtendWith(FanotifyAvailable.class)
    @Test
    void aChangeTheTrickleFindsBeforeTheWatchVerifiesItCarriesTheWriter() throws Exception {
        // the watch holds its events for an hour: whatever is found, the trickle found it
        Main main = watchingHosts(Map.of("vigil.files.watch.debounce", "1h", "vigil.files.watch.debounceMax", "1h",
                "vigil.files.trickle.enabled", "true", "vigil.files.trickle.fileRate", "1000", "vigil.files.trickle.byteRate", "10000000"));
        Path file = daemon.dir.resolve("watched/hosts");
        Path watched = file.getParent();
        Await.until("the trickle's first baseline", () -> new dev.vigil.fim.Integrity(new dev.vigil.store.SqliteBaseline(
                Beans.database(main.getCamelContext())), dev.vigil.fim.ScanOptions.defaults(), dev.vigil.fim.PathPolicy.none())
                .hasBaseline(watched));
        // the trickle waits until the write's raw events are stored, so what it finds has them to go by
        main.getCamelContext().getRouteController().stopRoute("files-trickle");
        Process writer = run(watched, "sh", "-c", "echo 10.0.0.66 evil >> hosts");
        Await.until("the write's raw events", () -> rawEvents(main, null, dev.vigil.watch.EventType.CLOSE_WRITE).stream()
                .anyMatch(e -> file.equals(e.path())));
        main.getCamelContext().getRouteController().startRoute("files-trickle");
        Finding modified = awaitFinding(main, "MODIFIED", file);

        assertEquals(String.valueOf(writer.pid()), String.valueOf(modified.details().get("pid")), String.valueOf(modified.details()));
        assertEquals(true, modified.details().get("attributed"));
        assertEquals(Path.of("/bin/sh").toRealPath().toString(), modified.details().get("exe"));
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

    private static List<Finding> logEvents(Main main) {
        return new dev.vigil.store.EventLog(Beans.database(main.getCamelContext()))
                .query(new dev.vigil.store.EventLog.Query(null, null, Source.LOGS, null, null));
    }

    @Test
    void aFloodOfLinesACrackingRuleMatchesIsTenAlertsAtOnceThenOneReportAMinuteAfterTheFirst() throws Exception {
        Path log = daemon.dir.resolve("logs/auth.log");
        Main main = startFollowing(log);

        // what `logger -t 'sshd[1]' 'POSSIBLE BREAK-IN ATTEMPT!'` lets any user write, 40 times
        append(log, java.util.stream.IntStream.range(0, 40)
                .mapToObj(i -> "Nov 22 01:00:01 web sshd[" + i + "]: POSSIBLE BREAK-IN ATTEMPT!").toArray(String[]::new));
        Await.until("the forty alerts recorded", () -> logEvents(main).size() == 40);
        Await.until("ten alerts at once", () -> unchecked(this::alerts).size() == 10);
        assertTrue(alerts().stream().allMatch(r -> r.findings().size() == 1 && r.critical()));

        daemon.advance(Duration.ofSeconds(60));
        Await.until("the other thirty together, a minute after the first", () -> unchecked(this::alerts).size() == 11);
        Report together = alerts().get(10);
        assertEquals(30, together.findings().size());
        assertTrue(together.critical());
        assertEquals(List.of(), new dev.vigil.store.EventLog(Beans.database(main.getCamelContext())).pooled());
    }

    private static void append(Path file, String... lines) throws IOException {
        Files.writeString(file, String.join("\n", lines) + "\n", java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    @Test
    void aLineAppendedToAFollowedLogBecomesAFindingUnderItsLogcheckHeadingAndIgnoredLinesDoNot() throws Exception {
        Path log = Files.createDirectories(daemon.dir.resolve("logs")).resolve("auth.log");
        Files.writeString(log, "Nov 22 00:59:00 web sshd[1]: Failed password for root from 203.0.113.9 port 1 ssh2\n");
        Main main = start(Map.of("vigil.logs.files", log.toString(), "vigil.logs.interval", "100ms"));
        TestDaemon.awaitFollowing(main, log);

        append(log, "Nov 22 01:00:01 web sshd[812]: Accepted publickey for alice from 192.0.2.10 port 50122 ssh2",
                "Nov 22 01:00:02 web sshd[813]: Failed password for root from 203.0.113.5 port 40022 ssh2");
        Await.until("the event", () -> logEvents(main).size() == 1);
        Finding event = logEvents(main).get(0);
        assertEquals("SECURITY_EVENT", event.kind());
        assertEquals("Nov 22 01:00:02 web sshd[813]: Failed password for root from 203.0.113.5 port 40022 ssh2", event.subject());
        assertEquals(Map.of("section", "Security Events", "rulefile", "sshd", "logfile", log.toString()), event.details());
        assertEquals(List.of(), alerts(), "pooled for vigil.report.logs.reportTime (30 s)");

        daemon.advanceOncePooled(main, Duration.ofSeconds(30));
        Await.until("the report", () -> unchecked(this::alerts).size() == 1);
        assertEquals(List.of(event.subject()), alerts().get(0).findings().stream().map(Finding::subject).toList());

        append(log, "Nov 22 01:00:05 web sshd[816]: error: maximum authentication attempts exceeded for root from"
                + " 203.0.113.5 port 40200 ssh2 [preauth]");
        Await.until("the alert, reported at once inside the holdoff", () -> unchecked(this::alerts).size() == 2);
        Finding alert = alerts().get(1).findings().get(0);
        assertEquals("SECURITY_ALERT", alert.kind());
        assertEquals(Severity.CRITICAL, alert.severity());
        assertEquals("sshd", alert.details().get("rulefile"));
    }

    @Test
    void aRuleFileDroppedIntoALocalTreeChangesTheNextClassificationWithoutARestart() throws Exception {
        Path log = Files.createDirectories(daemon.dir.resolve("logs")).resolve("syslog");
        Files.writeString(log, "");
        Path local = Files.createDirectories(daemon.dir.resolve("local/ignore.d.server"));
        Main main = start(Map.of("vigil.logs.files", log.toString(), "vigil.logs.interval", "100ms",
                "vigil.logs.local", daemon.dir.resolve("local") + ":server", "vigil.logs.rulesFreshness", "0"));
        TestDaemon.awaitFollowing(main, log);
        String routine = "Nov 22 01:00:00 web backup[77]: nightly backup done";
        append(log, routine);
        Await.until("the line as a system event", () -> logEvents(main).size() == 1);
        assertEquals("SYSTEM_EVENT", logEvents(main).get(0).kind());

        Files.writeString(local.resolve("backup"), "^\\w{3} [ :0-9]{11} [._[:alnum:]-]+ backup\\[[0-9]+\\]: nightly backup done$\n");
        append(log, routine, "Nov 22 01:00:01 web backup[77]: nightly backup FAILED");
        Await.until("the next line", () -> logEvents(main).size() == 2);
        assertEquals("Nov 22 01:00:01 web backup[77]: nightly backup FAILED", logEvents(main).get(1).subject(),
                "the routine line is ignored by the new rule");
        // counted after the batch's findings are sent
        Await.until("the new rule's match counted", () -> new dev.vigil.store.RuleStatsStore(Beans.database(main.getCamelContext()),
                daemon.clock()).unusedSince(Instant.parse("2100-01-01T00:00:00Z")).stream()
                .map(dev.vigil.store.RuleStatsStore.Row::matches).toList().equals(List.of(1L)));
    }

    @Test
    void aLogFileMissingAtStartIsReadFromItsStartOnceItAppears() throws Exception {
        Path log = daemon.dir.resolve("logs/later.log");
        Main main = start(Map.of("vigil.logs.files", log.toString(), "vigil.logs.interval", "100ms"));
        Await.until("log polls", () -> ((org.apache.camel.support.ScheduledPollConsumer) main.getCamelContext()
                .getRoute("logs-check").getConsumer()).getSuccessCounter() >= 2);

        Files.createDirectories(log.getParent());
        append(log, "Nov 22 01:00:00 web kernel: [1.0] something new");
        Await.until("the line", () -> logEvents(main).size() == 1);
    }

    @Test
    void withRotationAlertOnARenamedLogIsReportedAndItsSuccessorFollowed() throws Exception {
        Path log = Files.createDirectories(daemon.dir.resolve("logs")).resolve("syslog");
        Files.writeString(log, "");
        Main main = start(Map.of("vigil.logs.files", log.toString(), "vigil.logs.interval", "100ms",
                "vigil.logs.rotationAlert", "true"));
        TestDaemon.awaitFollowing(main, log);
        append(log, "Nov 22 01:00:00 web app[1]: last line of the old file");
        Files.move(log, daemon.dir.resolve("logs/syslog.1"));
        append(log, "Nov 22 01:00:01 web app[1]: first line of the new file");

        Await.until("both lines and the rotation", () -> logEvents(main).size() == 3);
        assertEquals(List.of("SYSTEM_EVENT Nov 22 01:00:00 web app[1]: last line of the old file",
                        "SYSTEM_EVENT Nov 22 01:00:01 web app[1]: first line of the new file", "ROTATED " + log),
                logEvents(main).stream().map(f -> f.kind() + " " + f.subject()).toList());
    }

    @Test
    void aLogGroupWorkingThroughABacklogHoldsAnotherGroupsNewLineBackByOneBatchNotByTheWholeBacklog() throws Exception {
        Path flooded = Files.createDirectories(daemon.dir.resolve("logs")).resolve("flooded.log");
        Path other = daemon.dir.resolve("logs/other.log");
        Files.writeString(flooded, "");
        Files.writeString(other, "");
        Path local = Files.createDirectories(daemon.dir.resolve("local/ignore.d.server"));
        Files.writeString(local.resolve("filler"), "^\\w{3} [ :0-9]{11} [._[:alnum:]-]+ filler\\[[0-9]+\\]: .*$\n");
        Map<String, String> config = Map.of("vigil.logs.files", flooded.toString(), "vigil.logs.interval", "100ms",
                "vigil.logs.local", daemon.dir.resolve("local") + ":server", "vigil.logs.group.web.files", other.toString());
        Main first = start(config);
        TestDaemon.awaitFollowing(first, flooded);
        Await.until("the web group's tail to start", () -> new dev.vigil.store.LogOffsetStore(
                Beans.database(first.getCamelContext()), "web", java.time.Clock.systemUTC()).load().containsKey(other));
        stop(first);

        // While Vigil is down, the first log grows by several batches (1 MiB each) of ignored lines and a last line
        // that is not ignored; the other group's log gets one line.
        StringBuilder filler = new StringBuilder();
        String line = "Nov 22 01:00:00 web filler[1]: " + "x".repeat(200) + "\n";
        while (filler.length() < 3 * (1 << 20) + 1000) {
            filler.append(line);
        }
        append(flooded, filler + "Nov 22 01:00:09 web app[1]: the flood's last line");
        append(other, "Nov 22 01:00:05 web app[2]: the other group's line");

        Main second = start(config);
        Await.until("both lines", () -> logEvents(second).size() == 2);
        assertEquals(List.of("Nov 22 01:00:05 web app[2]: the other group's line",
                        "Nov 22 01:00:09 web app[1]: the flood's last line"),
                logEvents(second).stream().map(Finding::subject).toList(),
                "the other group's line is read in the first turn, before the flood's later batches");
    }

    private static long fileDeliveries(Main main) {
        return TestDaemon.outbox(main).list(false, 10).stream()
                .filter(d -> d.channel().equals("file") && d.status() == dev.vigil.store.Outbox.Status.DELIVERED).count();
    }

    /** Starts the daemon following the empty log {@code log}, polled every 100 ms, once it follows it. */
    private Main startFollowing(Path log) throws Exception {
        Files.createDirectories(log.getParent());
        Files.writeString(log, "");
        Main main = start(Map.of("vigil.logs.files", log.toString(), "vigil.logs.interval", "100ms"));
        TestDaemon.awaitFollowing(main, log);
        return main;
    }

    @Test
    void aTenMegabyteLogLineIsOneFindingCutToMaxlineWithAMarkerAndTheReportBehindItArrivesToo() throws Exception {
        Main main = start(Map.of("vigil.logs.interval", "100ms"));
        daemon.longLogLine(main);
        // read once written whole: a report of this size may be read half-appended
        Await.until("the report", () -> fileDeliveries(main) == 1);
        daemon.criticalFinding(main, "/etc/after-the-long-line");
        Await.until("the report behind it", () -> fileDeliveries(main) == 2);

        List<Finding> findings = alerts().get(0).findings();
        assertEquals(1, findings.size(), "one finding for the line, not one per piece");
        Finding line = findings.get(0);
        String subject = line.subject();
        assertTrue(subject.startsWith("Nov 22 01:00:00 web app[1]: xxx"), subject.substring(0, 40));
        assertTrue(subject.endsWith(TestDaemon.LONG_LINE_MARKER), subject.substring(subject.length() - 60));
        assertEquals(dev.vigil.logcheck.LogTail.DEFAULT_MAX_LINE + TestDaemon.LONG_LINE_MARKER.length(), subject.length());
        assertEquals(TestDaemon.LONG_LINE_BYTES, ((Number) line.details().get("truncated")).intValue());
        assertEquals(List.of("/etc/after-the-long-line"),
                alerts().get(1).findings().stream().map(Finding::subject).toList());
    }

    @Test
    void aPaddedLineLongerThanMaxlineForgesNoAlertFromTheTextAfterItsPadding() throws Exception {
        Path log = daemon.dir.resolve("logs/auth.log");
        Main main = startFollowing(log);
        // Lines used to be cut every MiB and each piece classified alone: this padding put the forged sshd line
        // at the start of a piece.
        String start = "Nov 22 01:00:04 web app[1]: ";
        String forged = "Nov 22 01:00:05 web sshd[816]: error: maximum authentication attempts exceeded for root from"
                + " 203.0.113.5 port 40200 ssh2 [preauth]";
        String padded = start + "x".repeat((1 << 20) - start.length()) + forged;
        append(log, padded, "Nov 22 01:00:06 web app[1]: after");
        Await.until("the line after it", () -> logEvents(main).stream().anyMatch(f -> f.subject().endsWith("after")));

        List<Finding> events = logEvents(main);
        assertEquals(List.of("SYSTEM_EVENT", "SYSTEM_EVENT"), events.stream().map(Finding::kind).toList());
        assertTrue(events.get(0).subject().endsWith(dev.vigil.alert.Truncated.marker(padded.length())),
                events.get(0).subject().substring(events.get(0).subject().length() - 60));
    }

    @Test
    void aLogLineIsShownAsUtf8AndAnInvalidByteAsPercentHex() throws Exception {
        Path log = daemon.dir.resolve("logs/syslog");
        Main main = startFollowing(log);
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        line.writeBytes("Nov 22 01:00:00 web app[1]: caf\u00e9 \u2713 ".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        line.write(0xFF);
        line.write('\n');
        Files.write(log, line.toByteArray(), java.nio.file.StandardOpenOption.APPEND);

        Await.until("the line", () -> logEvents(main).size() == 1);
        String shown = "Nov 22 01:00:00 web app[1]: caf\u00e9 \u2713 %FF";
        assertEquals(shown, logEvents(main).get(0).subject());
        daemon.advanceOncePooled(main, Duration.ofSeconds(30));
        Await.until("the report", () -> unchecked(this::alerts).size() == 1);
        assertEquals(List.of(shown), alerts().get(0).findings().stream().map(Finding::subject).toList());
    }
}
