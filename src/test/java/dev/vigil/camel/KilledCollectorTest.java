package dev.vigil.camel;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.Await;
import dev.vigil.FleetHosts;
import dev.vigil.KafkaBroker;
import dev.vigil.alert.Finding;
import dev.vigil.alert.Source;
import dev.vigil.store.EventLog;
import dev.vigil.store.FleetDataSource;
import dev.vigil.store.FleetStore;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `vigil collect` in a child JVM killed with SIGKILL while it consumes a stream of two hosts' reports, then started
 * again: every finding is in the fleet store once and reaches the channel (the alert file) once. And one that ends out
 * of memory decompressing a record, as a host's root can make it: the next reads on past it.
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

    /** A record of zeros this large claims more memory than the collector's heap ({@link #SMALL_HEAP}) has. */
    private static final int BOMB = 256 << 20;
    private static final String SMALL_HEAP = "-Xmx160m";

    @Test
    void aCompressedRecordTooLargeForTheHeapEndsOneCollectorAndIsQuarantinedUnreadByTheNext() throws Exception {
        KAFKA.createTopic("bombed", 1, false);
        KAFKA.createTopic("bombed-heartbeats", 1, true);
        // web1's root publishes, in one zstd batch of a few kilobytes, a report, the bomb and another report
        Map<String, Object> oneBatch = Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd",
                ProducerConfig.LINGER_MS_CONFIG, 60_000, ProducerConfig.BATCH_SIZE_CONFIG, BOMB + (16 << 20),
                ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * BOMB + (32 << 20), ProducerConfig.MAX_REQUEST_SIZE_CONFIG, BOMB + (16 << 20));
        try (FleetHosts hosts = new FleetHosts(KAFKA.bootstrapServers(), "bombed", "bombed-heartbeats", InstantSource.system());
             FleetHosts web1 = new FleetHosts(KAFKA.bootstrapServers(), "bombed", "bombed-heartbeats", InstantSource.system(), oneBatch);
             HikariDataSource fleet = FleetDataSource.open(dir.resolve("fleet.db").toString(), "", "", dir)) {
            hosts.send("web2", "key-two", hosts.report("web2", "/web2/before"));
            List<Future<RecordMetadata>> batch = List.of(
                    web1.sendAsync("web1", "key-one", web1.report("web1", "/web1/before")),
                    web1.sendRawAsync("bombed", "web1", new byte[BOMB], Map.of()),
                    web1.sendAsync("web1", "key-one", web1.report("web1", "/web1/in-its-batch")),
                    web1.sendAsync("web1", "key-one", web1.report("web1", "/web1/also-in-its-batch")));
            web1.flush();
            List<Long> offsets = new ArrayList<>();
            for (Future<RecordMetadata> sent : batch) {
                offsets.add(sent.get().offset());
            }
            assertEquals(List.of(1L, 2L, 3L, 4L), offsets);
            // another host's report between two bombs: kept, whatever the search for a bomb's batch's end steps over
            hosts.send("web2", "key-two", hosts.report("web2", "/web2/between"));
            Future<RecordMetadata> second = web1.sendRawAsync("bombed", "web1", new byte[BOMB], Map.of());
            web1.flush();
            assertEquals(6L, second.get().offset());
            hosts.send("web2", "key-two", hosts.report("web2", "/web2/after"));

            start("bombed", "bombed-heartbeats", SMALL_HEAP, "-XX:+ExitOnOutOfMemoryError");
            assertTrue(collector.waitFor(RESTART.toSeconds(), TimeUnit.SECONDS), "the collector ends in the poll that reads the bomb");
            assertEquals(3, collector.exitValue(), "ended by ExitOnOutOfMemoryError, as `vigil collect` runs");
            Path consuming = dir.resolve("collect.db.consuming");
            assertTrue(Files.exists(consuming), "left by a collector that did not stop cleanly: the next is careful");

            start("bombed", "bombed-heartbeats", SMALL_HEAP, "-XX:+ExitOnOutOfMemoryError");
            Await.until("web2's report after the bombs in the fleet store", RESTART,
                    () -> storedSubjects(fleet).contains("/web2/after"));
            assertEquals(once(List.of("/web2/before", "/web1/before", "/web2/between", "/web2/after")),
                    counts(storedSubjects(fleet)), "each readable report once; those after a bomb in its batch only through it");
            String why = " of bombed-0 cannot be read: decompressing it takes more memory than the collector has: a"
                    + " compressed record claims more bytes than vigil.collect.maxRecord";
            try (Connection c = fleet.getConnection(); Statement st = c.createStatement();
                 ResultSet rows = st.executeQuery("SELECT record_offset, host, reason FROM quarantine ORDER BY record_offset")) {
                assertTrue(rows.next(), "the first bomb quarantined");
                assertEquals(4L, rows.getLong(1), "at the last offset of the range: its commit passes the whole batch");
                assertEquals("(none)", rows.getString(2), "unread: not even its key");
                assertEquals("offsets 2 to 4" + why, rows.getString(3));
                assertTrue(rows.next(), "the second bomb quarantined");
                assertEquals("offsets 6 to 6" + why, rows.getString(3));
                assertFalse(rows.next());
            }
            Await.until("their REJECTED in the alert file", RESTART, () -> alertSubjects().containsAll(
                    List.of("record bombed/0/4 claiming host (none)", "record bombed/0/6 claiming host (none)")));
            assertTrue(collector.isAlive(), "the collector reads on");
            collector.destroy(); // SIGTERM: Camel Main's shutdown stops the context
            assertEquals(143, collector.waitFor(), "ended by SIGTERM once its shutdown ran");
            assertFalse(Files.exists(consuming), "removed by a clean stop: the next collector reads as records come");
        }
    }

    private static List<String> storedSubjects(HikariDataSource fleet) {
        return new FleetStore(fleet).findings(null, new EventLog.Query(null, null, null, null, null)).stream()
                .filter(f -> f.source() != Source.FLEET).map(Finding::subject).toList();
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
    private void start(String reports, String heartbeats, String... jvmOptions) throws IOException {
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
        collector = daemon.childCollector(settings, jvmOptions);
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
