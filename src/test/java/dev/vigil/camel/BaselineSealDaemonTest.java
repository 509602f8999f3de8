package dev.vigil.camel;

import dev.vigil.Await;
import dev.vigil.alert.Details;
import dev.vigil.alert.Finding;
import dev.vigil.alert.Report;
import dev.vigil.alert.Severity;
import dev.vigil.camel.daemon.DaemonConfiguration;
import dev.vigil.cli.VigilCommand;
import dev.vigil.fim.BaselineStore;
import dev.vigil.fim.Integrity;
import dev.vigil.fim.PathPolicy;
import dev.vigil.fim.ScanOptions;
import dev.vigil.os.PathBytes;
import dev.vigil.store.BaselineSeal;
import dev.vigil.store.Database;
import dev.vigil.store.SqliteBaseline;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Evidence of changes to the baseline, on the daemon as `vigil run` starts it with a real SQLite file and the real
 * file channel: `vigil accept` announces the new seal as an ACCEPTED finding that reaches the channels whether the
 * daemon runs or starts later, and a row changed with plain SQL is found by the next full check.
 */
class BaselineSealDaemonTest {

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    private static final Map<String, String> REPORT_AT_ONCE = Map.of("vigil.report.files.reportTime", "0",
            "vigil.report.files.reportHoldoff", "0");

    private List<Finding> alerted(String kind) {
        Path file = daemon.dir.resolve("alerts/alerts.ndjson");
        try {
            if (!Files.exists(file)) {
                return List.of();
            }
            return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(Report::fromJson)
                    .flatMap(r -> r.findings().stream()).filter(f -> f.kind().equals(kind)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void vigil(String... args) {
        assertEquals(0, VigilCommand.commandLine(args).execute(args), String.join(" ", args));
    }

    private String seal() {
        return new BaselineSeal(Database.open(daemon.dir.resolve("vigil.db"))).current().value();
    }

    @Test
    void anAcceptMadeWhileTheDaemonIsStoppedIsReportedWhenItStartsAndOneMadeWhileItRunsAtOnce() throws Exception {
        Path watched = Files.createDirectory(daemon.dir.resolve("watched"));
        Path hosts = Files.writeString(watched.resolve("hosts"), "127.0.0.1 localhost\n");
        String config = daemon.config(REPORT_AT_ONCE).toString();
        vigil("baseline", "--config", config);
        Files.writeString(hosts, "127.0.0.1 localhost\n10.0.0.2 db\n");
        vigil("accept", "--config", config, hosts.toString());
        String afterFirst = seal();

        Main main = daemon.start(REPORT_AT_ONCE);
        Await.until("the ACCEPTED finding in the alert file", () -> alerted("ACCEPTED").size() == 1);
        Finding accepted = alerted("ACCEPTED").get(0);
        assertEquals("test-host", accepted.host());
        assertEquals(List.of(hosts.toString()), accepted.details().get(Details.PATHS));
        assertEquals(afterFirst, accepted.details().get(Details.SEAL), "it announces the seal after the accept");

        Files.writeString(hosts, "127.0.0.1 localhost\n10.0.0.3 db\n");
        vigil("accept", "--config", config, hosts.toString());
        Await.until("the second ACCEPTED finding, with the daemon running", () -> alerted("ACCEPTED").size() == 2);
        assertNotEquals(afterFirst, seal());
        assertEquals(seal(), alerted("ACCEPTED").get(1).details().get(Details.SEAL));
        assertEquals(seal(), main.getCamelContext().getRegistry().lookupByNameAndType(DaemonConfiguration.BASELINE_SEAL,
                BaselineSeal.class).current().value(), "the daemon's view of the seal, for its heartbeat");
    }

    @Test
    void aBaselineRowChangedWithPlainSqlIsACriticalFindingOfTheNextFullCheck() throws Exception {
        Path watched = Files.createDirectory(daemon.dir.resolve("watched"));
        Path shadow = Files.writeString(watched.resolve("shadow"), "root:*:1::::::\n");
        Files.writeString(watched.resolve("passwd"), "root:x:0:0\n");
        Map<String, String> config = new java.util.HashMap<>(REPORT_AT_ONCE);
        config.put("vigil.files.scan.interval", "200ms");
        config.put("vigil.files.watch.enabled", "false");
        Main main = daemon.start(config);
        Database db = Beans.database(main.getCamelContext());
        Integrity integrity = new Integrity(new SqliteBaseline(db), ScanOptions.defaults(), PathPolicy.none());
        Await.until("the first baseline", () -> integrity.hasBaseline(watched));
        TestDaemon.awaitPolls(main, "files-check", 2);
        BaselineStore.SealState verified = integrity.seal();
        assertNotNull(verified.verified(), "a full check found the rows as Vigil wrote them");

        // an intruder makes the baseline agree with a file they will replace: the checks would stay quiet about it
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("UPDATE baseline SET hash = ? WHERE path = ?")) {
            ps.setString(1, "0".repeat(64));
            ps.setBytes(2, PathBytes.of(shadow));
            assertEquals(1, ps.executeUpdate());
        }
        Await.until("the BASELINE_TAMPERED finding in the alert file", () -> alerted("BASELINE_TAMPERED").size() == 1);
        Finding tampered = alerted("BASELINE_TAMPERED").get(0);
        assertEquals(Severity.CRITICAL, tampered.severity());
        assertEquals(verified.value(), tampered.details().get(Details.SEAL_KEPT));
        assertEquals(integrity.seal().value(), tampered.details().get(Details.SEAL), "the seal reported from now on is the rows' own");

        TestDaemon.awaitPolls(main, "files-check", 3);
        assertEquals(1, alerted("BASELINE_TAMPERED").size(), "reported once");
    }
}
