package dev.vigil.camel;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.Await;
import dev.vigil.FleetHosts;
import dev.vigil.KafkaBroker;
import dev.vigil.alert.Finding;
import dev.vigil.store.EventLog;
import dev.vigil.store.FleetDataSource;
import dev.vigil.store.FleetStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * `vigil collect` in a child JVM killed with SIGKILL while it consumes a stream of two hosts' reports, then started
 * again: every finding is in the fleet store once and reaches the channel (the alert file) once.
 */
class KilledCollectorTest {

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();
    private Path dir;

    @BeforeEach
    void takeTheDaemonsDirectory() {
        dir = daemon.dir;
    }

    private Process collector;
    /** How long a restarted collector may take to start, rejoin its group and forward a backlog, on a busy machine. */
    private static final Duration RESTART = Duration.ofMinutes(3);

    @AfterEach
    void stop() throws InterruptedException {
        if (collector != null) {
            collector.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aCollectorKilledWhileConsumingLosesAndRepeatsNothingAfterItsRestart() throws Exception {
        KAFKA.createTopic("reports", 2, false);
        KAFKA.createTopic("heartbeats", 1, true);
        List<String> subjects = new ArrayList<>();
        try (FleetHosts hosts = new FleetHosts(KAFKA.bootstrapServers(), "reports", "heartbeats", InstantSource.system());
             HikariDataSource fleet = FleetDataSource.open(dir.resolve("fleet.db").toString(), "", "", dir)) {
            start("reports", "heartbeats");
            send(hosts, subjects, 0, 100);
            Await.until("the collector storing findings", () -> stored(fleet) >= 10);
            collector.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: nothing of its shutdown runs
            send(hosts, subjects, 100, 150);

            start("reports", "heartbeats");
            hosts.send("web1", "key-one", hosts.report("web1", "/marker/web1"));
            hosts.send("web2", "key-two", hosts.report("web2", "/marker/web2"));
            Await.until("every finding and both markers in the alert file", RESTART, () -> alertSubjects().containsAll(subjects)
                    && alertSubjects().containsAll(List.of("/marker/web1", "/marker/web2")));

            subjects.addAll(List.of("/marker/web1", "/marker/web2"));
            assertEquals(once(subjects), counts(alertSubjects()), "each finding once in the alert file");
            assertEquals(once(subjects), counts(new FleetStore(fleet).findings(null, new EventLog.Query(null, null, null, null, null))
                    .stream().map(Finding::subject).toList()), "each finding once in the fleet store");
        }
    }

    @Test
    void aCollectorKilledWhileItStoresAndForwardsAPollLosesAndRepeatsNothingAfterItsRestart() throws Exception {
        KAFKA.createTopic("backlog", 2, false);
        KAFKA.createTopic("backlog-heartbeats", 1, true);
        List<String> subjects = new ArrayList<>();
        try (FleetHosts hosts = new FleetHosts(KAFKA.bootstrapServers(), "backlog", "backlog-heartbeats", InstantSource.system());
             HikariDataSource fleet = FleetDataSource.open(dir.resolve("fleet.db").toString(), "", "", dir)) {
            // a backlog of several polls (at most 500 records each) before the collector starts
            send(hosts, subjects, 0, 1500);
            start("backlog", "backlog-heartbeats");
            Await.until("the collector storing its first poll", () -> stored(fleet) >= 1);
            collector.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL, in the middle of a poll's work

            start("backlog", "backlog-heartbeats");
            hosts.send("web1", "key-one", hosts.report("web1", "/marker/web1"));
            hosts.send("web2", "key-two", hosts.report("web2", "/marker/web2"));
            Await.until("every finding and both markers in the alert file", RESTART, () -> alertSubjects().containsAll(subjects)
                    && alertSubjects().containsAll(List.of("/marker/web1", "/marker/web2")));

            subjects.addAll(List.of("/marker/web1", "/marker/web2"));
            assertEquals(once(subjects), counts(alertSubjects()), "each finding once in the alert file");
            assertEquals(once(subjects), counts(new FleetStore(fleet).findings(null, new EventLog.Query(null, null, null, null, null))
                    .stream().map(Finding::subject).toList()), "each finding once in the fleet store");
        }
    }

    /** Reports {@code from} to {@code to}, one finding each, alternately of web1 and web2. */
    private static void send(FleetHosts hosts, List<String> subjects, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            String host = i % 2 == 0 ? "web1" : "web2";
            String subject = "/" + host + "/file" + i;
            hosts.send(host, i % 2 == 0 ? "key-one" : "key-two", hosts.report(host, subject));
            subjects.add(subject);
        }
    }

    /** Starts the collector on the topics given, in the group named after the reports topic. */
    private void start(String reports, String heartbeats) throws IOException {
        Map<String, String> settings = new HashMap<>(Map.of(
                "vigil.collect.brokers", KAFKA.bootstrapServers(),
                "vigil.collect.topic", reports,
                "vigil.collect.heartbeatTopic", heartbeats,
                "vigil.collect.hostKey.web1", "key-one",
                "vigil.collect.hostKey.web2", "key-two",
                "vigil.collect.jdbc.url", dir.resolve("fleet.db").toString(),
                "vigil.collect.database", dir.resolve("collect.db").toString(),
                "vigil.report.files.reportTime", "1",
                "vigil.report.files.reportHoldoff", "0",
                "vigil.files.watch.enabled", "false"));
        settings.put("vigil.collect.group", "collect-" + reports);
        settings.put("vigil.collect.orphanAge", "5s"); // a kill's orphans forwarded by the restarted collector soon
        collector = daemon.childCollector(settings);
    }

    /** How many findings the fleet store holds; none while the collector has not made its schema yet. */
    private static int stored(HikariDataSource fleet) {
        try {
            return new FleetStore(fleet).findings(null, new EventLog.Query(null, null, null, null, null)).size();
        } catch (RuntimeException notYet) {
            return 0;
        }
    }

    private List<String> alertSubjects() {
        return daemon.alertReports().stream().flatMap(r -> r.findings().stream()).map(Finding::subject).toList();
    }

    private static Map<String, Long> counts(List<String> subjects) {
        return subjects.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private static Map<String, Long> once(List<String> subjects) {
        return subjects.stream().collect(Collectors.toMap(Function.identity(), s -> 1L));
    }
}
