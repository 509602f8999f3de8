package dev.vigil.camel;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.Await;
import dev.vigil.FleetHosts;
import dev.vigil.KafkaBroker;
import dev.vigil.store.FleetDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Polls of full records: many hosts (or whoever holds one host's key, who may write to any partition) send reports
 * filled with small findings to what a record holds, over 64 partitions, so that one fetch of the collector carries
 * tens of megabytes of them. `vigil collect` in a child JVM with a heap of 160 MB stores every finding. Fetching 50 MiB
 * at once (Kafka's default) and checking and storing a whole poll at a time, it ran out of heap with 192 MB.
 */
class FullPollsTest {

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    private static final int HOSTS = 32;
    private static final int RECORDS = 64;
    /** Findings in each record: about 600 KB of report, under a record's 768 KiB (FleetRecord.MAX_REPORT_BYTES). */
    private static final int PER_RECORD = 4000;

    private Process collector;

    @AfterEach
    void stop() throws InterruptedException {
        if (collector != null) {
            collector.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aCollectorWithASmallHeapStoresPollsOfFullRecords() throws Exception {
        KAFKA.createTopic("full", 64, false);
        KAFKA.createTopic("full-heartbeats", 1, true);
        Map<String, String> settings = new HashMap<>(Map.of(
                "vigil.collect.brokers", KAFKA.bootstrapServers(),
                "vigil.collect.topic", "full",
                "vigil.collect.heartbeatTopic", "full-heartbeats",
                "vigil.collect.group", "collect-full",
                "vigil.collect.jdbc.url", daemon.dir.resolve("fleet.db").toString(),
                "vigil.collect.database", daemon.dir.resolve("collect.db").toString(),
                "vigil.report.files.reportTime", "1",
                "vigil.report.files.reportHoldoff", "0",
                "vigil.files.watch.enabled", "false"));
        IntStream.range(0, HOSTS).forEach(i -> settings.put("vigil.collect.hostKey." + host(i), key(host(i))));
        try (FleetHosts hosts = new FleetHosts(KAFKA.bootstrapServers(), "full", "full-heartbeats", InstantSource.system());
             HikariDataSource fleet = FleetDataSource.open(daemon.dir.resolve("fleet.db").toString(), "", "", daemon.dir)) {
            // sent before the collector starts: its first polls are as full as the partitions make them
            for (int r = 0; r < RECORDS; r++) {
                String host = host(r % HOSTS);
                String[] subjects = new String[PER_RECORD];
                for (int f = 0; f < PER_RECORD; f++) {
                    subjects[f] = "/full/" + r + "/" + f;
                }
                hosts.sendAsync(host, key(host), hosts.report(host, subjects));
            }
            hosts.flush();
            // as the vigil launcher starts it, but for the heap: it exits on an OutOfMemoryError (which else ends the consumer's
            // thread without a word, and the collector consumes nothing more)
            collector = daemon.childCollector(settings, "-Xmx160m", "-XX:+ExitOnOutOfMemoryError");
            Await.until("every finding in the fleet store", Duration.ofMinutes(4), () -> {
                assertTrue(collector.isAlive(), () -> "the collector exited; its log:\n" + log());
                return stored(fleet) == (long) RECORDS * PER_RECORD;
            });
            String log = log();
            assertFalse(log.contains("OutOfMemoryError"), "no OutOfMemoryError in the collector's log:\n" + log);
            assertEquals((long) RECORDS * PER_RECORD, stored(fleet), "each finding stored once");
        }
    }

    private String log() {
        try {
            return Files.readString(daemon.dir.resolve("collector.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String host(int i) {
        return String.format("h%02d", i);
    }

    private static String key(String host) {
        return "key-of-" + host;
    }

    /** The findings the fleet store holds; none while the collector has not made its schema yet. */
    private static long stored(HikariDataSource fleet) {
        try (Connection c = fleet.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM findings WHERE kind = 'MODIFIED'")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException notYet) {
            if (String.valueOf(notYet.getMessage()).contains("no such table")) {
                return 0;
            }
            throw new IllegalStateException(notYet);
        }
    }
}
