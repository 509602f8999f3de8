package dev.vigil.camel;

import dev.vigil.Await;
import dev.vigil.alert.Finding;
import dev.vigil.alert.Severity;
import dev.vigil.alert.Source;
import dev.vigil.camel.status.VigilMetrics;
import dev.vigil.fim.Integrity;
import dev.vigil.fim.PathPolicy;
import dev.vigil.fim.ReportMark;
import dev.vigil.fim.ScanOptions;
import dev.vigil.os.PathBytes;
import dev.vigil.store.Database;
import dev.vigil.store.EventLog;
import dev.vigil.store.SqliteBaseline;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.main.Main;
import org.apache.camel.support.DefaultConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * "A deviation is reported once" without losing one: the daemon as `vigil run` starts it, on a real SQLite file and
 * real files. A finding whose record in the event history failed (here a trigger in the database refuses it, as a
 * full disk or a kill -9 between finding and recording would leave it) is not remembered as reported, so the next
 * check or trickle reports it; and with the scheduled check, the trickle and the watch all running, each deviation
 * is still in the history once.
 */
class ReportOnceTest {

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    @Test
    void aDeviationWhoseRecordFailedIsReportedByTheNextCheck() throws Exception {
        aDeviationWhoseRecordFailedIsReportedAgain("files-check", Map.of("vigil.files.watch.enabled", "false",
                "vigil.files.scan.interval", "100ms"));
    }

    @Test
    void aDeviationWhoseRecordFailedIsReportedByTheTrickleWhenItComesBy() throws Exception {
        aDeviationWhoseRecordFailedIsReportedAgain("files-trickle", Map.of("vigil.files.watch.enabled", "false",
                "vigil.files.trickle.enabled", "true", "vigil.files.trickle.fileRate", "1000",
                "vigil.files.trickle.byteRate", "10000000"));
    }

    private void aDeviationWhoseRecordFailedIsReportedAgain(String detector, Map<String, String> overrides) throws Exception {
        Path watched = Files.createDirectory(daemon.dir.resolve("watched"));
        Path hosts = Files.writeString(watched.resolve("hosts"), "127.0.0.1 localhost\n");
        Main main = daemon.start(overrides);
        awaitBaseline(main, watched);
        Database db = Beans.database(main.getCamelContext());
        sql(db, "CREATE TRIGGER refuse_hosts BEFORE INSERT ON event WHEN NEW.subject = '" + hosts + "'"
                + " BEGIN SELECT RAISE(ABORT, 'the event history cannot take it'); END");
        NotifyBuilder failed = new NotifyBuilder(main.getCamelContext()).fromRoute(detector).whenFailed(1).create();

        Files.setPosixFilePermissions(hosts, PosixFilePermissions.fromString("rw-rw-rw-"));
        if (!failed.matches(60, TimeUnit.SECONDS)) {
            throw new AssertionError("timed out waiting for " + detector + " to fail to record the finding");
        }
        assertEquals(List.of(), subjects(db, hosts), "nothing recorded while the history refuses it");

        sql(db, "DROP TRIGGER refuse_hosts");
        Await.until("the finding recorded by a later pass of " + detector, () -> !subjects(db, hosts).isEmpty());
        assertEquals(List.of("ATTRIBUTES " + hosts), subjects(db, hosts));
    }

    @Test
    void theCheckTheTrickleAndTheWatchTogetherReportEachDeviationOnce() throws Exception {
        Path watched = Files.createDirectory(daemon.dir.resolve("watched"));
        Path hosts = Files.writeString(watched.resolve("hosts"), "127.0.0.1 localhost\n");
        Main main = daemon.start(Map.of("vigil.files.scan.interval", "100ms", "vigil.files.trickle.enabled", "true",
                "vigil.files.trickle.fileRate", "1000", "vigil.files.trickle.byteRate", "10000000"));
        awaitBaseline(main, watched);
        Database db = Beans.database(main.getCamelContext());

        // Both changes are made whole at once (a mode; a file renamed into the area), so every checker sees one state.
        Files.setPosixFilePermissions(hosts, PosixFilePermissions.fromString("rw-rw-rw-"));
        Path staged = Files.writeString(Files.createDirectory(daemon.dir.resolve("staging")).resolve("cron"), "* * * * * root sh\n");
        Path cron = Files.move(staged, watched.resolve("cron"), StandardCopyOption.ATOMIC_MOVE);
        Await.until("both findings", () -> subjects(db, hosts).size() == 1 && subjects(db, cron).size() == 1);
        TestDaemon.awaitPolls(main, "files-check", 3);
        TestDaemon.awaitTrickleCycles(main, 3);

        assertEquals(List.of("ATTRIBUTES " + hosts), subjects(db, hosts), "found by all three, reported once");
        assertEquals(List.of("ADDED " + cron), subjects(db, cron), "found by all three, reported once");
        assertEquals(1, subjects(db, watched).size(), "the directory the file was renamed into: " + subjects(db, watched));
    }

    @Test
    void aDeviationTwoCheckersSendBeforeEitherRecordedItIsRecordedAndCountedOnce() throws Exception {
        Path watched = Files.createDirectory(daemon.dir.resolve("watched"));
        Path hosts = Files.writeString(watched.resolve("hosts"), "127.0.0.1 localhost\n");
        Main main = daemon.start(Map.of("vigil.files.watch.enabled", "false"));
        awaitBaseline(main, watched);
        Database db = Beans.database(main.getCamelContext());

        // as when the check and the trickle both read the memory of reports before either recorded the deviation
        Finding finding = new Finding(Source.FILES, "ATTRIBUTES", hosts.toString(), "test-host", daemon.now(), Severity.WARNING, Map.of());
        List<ReportMark> marks = List.of(ReportMark.reported(PathBytes.of(hosts), "fingerprint"));
        DefaultConsumer check = (DefaultConsumer) main.getCamelContext().getRoute("files-check").getConsumer();
        Consumers.send(check, finding, marks);
        Consumers.send(check, finding, marks);

        assertEquals(List.of("ATTRIBUTES " + hosts), subjects(db, hosts));
        assertEquals(1.0, VigilMetrics.of(main.getCamelContext()).registry()
                .counter("vigil_findings", "source", "files", "kind", "ATTRIBUTES").count(), "counted as it is recorded: once");
    }

    private static void awaitBaseline(Main main, Path watched) throws InterruptedException {
        Await.until("the first baseline", () -> new Integrity(new SqliteBaseline(Beans.database(main.getCamelContext())),
                ScanOptions.defaults(), PathPolicy.none()).hasBaseline(watched));
    }

    /** The file findings in the event history about {@code path}, as "KIND path", oldest first. */
    private static List<String> subjects(Database db, Path path) {
        return new EventLog(db).query(new EventLog.Query(null, null, Source.FILES, null, path.toString())).stream()
                .map((Finding f) -> f.kind() + " " + f.subject()).toList();
    }

    private static void sql(Database db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
