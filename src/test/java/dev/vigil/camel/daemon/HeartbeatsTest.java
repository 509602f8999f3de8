package dev.vigil.camel.daemon;

import dev.vigil.alert.Backoff;
import dev.vigil.alert.ClosedReport;
import dev.vigil.alert.Finding;
import dev.vigil.alert.RecordedFinding;
import dev.vigil.alert.Report;
import dev.vigil.alert.Secrets;
import dev.vigil.alert.Severity;
import dev.vigil.alert.Source;
import dev.vigil.camel.channel.Channels;
import dev.vigil.camel.channel.OutboxDispatcher;
import dev.vigil.fim.Integrity;
import dev.vigil.fim.NoProblemsSink;
import dev.vigil.fim.PathPolicy;
import dev.vigil.fim.ScanOptions;
import dev.vigil.fim.ScanStats;
import dev.vigil.store.BaselineSeal;
import dev.vigil.store.Database;
import dev.vigil.store.EventLog;
import dev.vigil.store.HeartbeatSeal;
import dev.vigil.store.Outbox;
import dev.vigil.store.SqliteBaseline;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When the broker taking a heartbeat brings the kafka channel's waiting retries forward ({@link Heartbeats#sent}):
 * the first heartbeat of a run, the first after heartbeats failed, and, until that is done, each next one; not every
 * heartbeat, so a report the broker refuses while it takes heartbeats keeps its backoff. A real outbox (SQLite) and
 * dispatcher; no channel route, so nothing is sent and what is due stays due for the test to see. The dispatcher's
 * clock stands still: only the heartbeat can make a retry due.
 */
class HeartbeatsTest {

    private static final Instant NOW = Instant.parse("2026-12-06T06:00:00Z");

    @TempDir
    Path dir;

    private DefaultCamelContext context;
    private Database db;
    private Outbox outbox;
    private Heartbeats heartbeats;
    private String reportId;

    @BeforeEach
    void start() {
        context = new DefaultCamelContext();
        context.start();
        db = Database.open(dir.resolve("vigil.db"));
        outbox = new Outbox(db);
        context.getRegistry().bind(DaemonConfiguration.OUTBOX, new OutboxDispatcher(context, outbox,
                new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(10), Duration.ofDays(1), new Random(1)),
                InstantSource.fixed(NOW), Secrets.of(Map.of()), 1));
        heartbeats = new Heartbeats(context, "web1", null, outbox, null, new HeartbeatSeal(db));
        Report report = Report.of(Source.FILES, List.of(new Finding(Source.FILES, "MODIFIED", "/etc/hosts", "web1", NOW,
                Severity.WARNING, Map.of())), NOW);
        reportId = report.id();
        outbox.storeAll(List.of(new ClosedReport(report, List.of())), List.of(Channels.KAFKA), NOW);
    }

    @AfterEach
    void stop() {
        context.stop();
        db.close();
    }

    /** The report's kafka delivery failed again, its next attempt ten minutes away. */
    private void refused() {
        outbox.failed(reportId, Channels.KAFKA, "refused", NOW.plusSeconds(600));
    }

    private boolean due() {
        return !outbox.lanesDue(Channels.KAFKA, 1, NOW).isEmpty();
    }

    private void heartbeatFailed() {
        Exchange failed = new DefaultExchange(context);
        failed.setProperty(Exchange.EXCEPTION_CAUGHT, new IllegalStateException("broker down"));
        heartbeats.failed(failed);
    }

    @Test
    void theFirstHeartbeatTakenAndTheFirstAfterFailedOnesBringTheRetryForwardAndNoOtherDoes() {
        refused();
        heartbeats.sent();
        assertTrue(due(), "the first heartbeat this run");

        refused();
        heartbeats.sent();
        assertFalse(due(), "a report refused while heartbeats go through keeps its backoff");

        heartbeatFailed();
        heartbeatFailed();
        heartbeats.sent();
        assertTrue(due(), "the first heartbeat after failed ones: the broker is back");

        refused();
        heartbeats.sent();
        assertFalse(due());
    }

    @Test
    void aRetryTheOutboxCouldNotBringForwardIsBroughtForwardByTheNextHeartbeat() throws Exception {
        refused();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("vigil.db"));
             Statement s = c.createStatement()) {
            s.execute("ALTER TABLE outbox_delivery RENAME TO outbox_delivery_away");
            heartbeats.sent();
            s.execute("ALTER TABLE outbox_delivery_away RENAME TO outbox_delivery");
        }
        assertFalse(due(), "the outbox could not be read");

        heartbeats.sent();
        assertTrue(due(), "owed until done");
    }

    /** A baseline of {@code files} (names under etc/ and their text), with its store, integrity and event history. */
    private final class Baselined {
        final Path etc;
        final SqliteBaseline store = new SqliteBaseline(db, "web1");
        final Integrity integrity = new Integrity(store, ScanOptions.defaults(), PathPolicy.none());
        final EventLog events = new EventLog(db);

        Baselined(Map<String, String> files) throws Exception {
            etc = Files.createDirectories(dir.resolve("etc"));
            for (Map.Entry<String, String> f : files.entrySet()) {
                Files.writeString(etc.resolve(f.getKey()), f.getValue());
            }
            context.getRegistry().bind(DaemonConfiguration.BASELINE_SEAL, new BaselineSeal(db));
            heartbeats = restarted();
            integrity.baseline(List.of(etc), NoProblemsSink.INSTANCE, new ScanStats());
        }

        /** {@code name} changed to {@code text} and accepted: the new seal. */
        String accept(String name, String text) throws Exception {
            Files.writeString(etc.resolve(name), text);
            return integrity.accept(List.of(etc.resolve(name)), NoProblemsSink.INSTANCE, new ScanStats()).seal().value();
        }

        /** A new heartbeats bean, as after a restart. */
        Heartbeats restarted() {
            return new Heartbeats(context, "web1", null, outbox, store, new HeartbeatSeal(db));
        }
    }

    /** The report of {@code pooled}, stored for the kafka channel at {@code at}. */
    private Report stored(List<RecordedFinding> pooled, Instant at) {
        Report report = Report.of(Source.FILES, pooled.stream().map(RecordedFinding::finding).toList(), at);
        outbox.storeAll(List.of(new ClosedReport(report, pooled.stream().map(RecordedFinding::event).toList())),
                List.of(Channels.KAFKA), at);
        return report;
    }

    /**
     * While the ACCEPTED announcing a new seal has yet to reach the broker (handed over and pooled in the event history,
     * then waiting for the kafka channel), heartbeats show the seal they showed before: a collector judges a new seal
     * whose announcement does not follow within its tolerance as tampering, and the pool may hold it off for minutes,
     * the reports partition be out of reach while the heartbeats' is not. A real baseline, accepted into.
     */
    @Test
    void aNewSealIsShownOnlyOnceTheKafkaChannelHasSentTheAcceptedAnnouncingIt() throws Exception {
        Baselined etc = new Baselined(Map.of("hosts", "127.0.0.1 localhost\n"));
        String first = etc.store.seal().value();
        assertEquals(first, heartbeats.heartbeat(NOW).seal().value(), "a first baseline is announced by no ACCEPTED");

        String second = etc.accept("hosts", "127.0.0.1 localhost web1\n");
        assertEquals(first, heartbeats.heartbeat(NOW).seal().value(), "its ACCEPTED handed over");
        List<RecordedFinding> pooled = etc.events.claimHandedOver();
        assertEquals(List.of("ACCEPTED"), pooled.stream().map(f -> f.finding().kind()).toList());
        assertEquals(first, heartbeats.heartbeat(NOW).seal().value(), "its ACCEPTED pooled");
        Report announcing = stored(pooled, NOW);
        outbox.failed(announcing.id(), Channels.KAFKA, "NOT_ENOUGH_REPLICAS", NOW.plusSeconds(600));
        assertEquals(first, heartbeats.heartbeat(NOW.plusSeconds(60)).seal().value(), "its report waiting for a retry");

        outbox.delivered(Channels.KAFKA, List.of(new Outbox.Done(announcing.id(), NOW.plusSeconds(90))));
        assertEquals(second, heartbeats.heartbeat(NOW.plusSeconds(120)).seal().value(),
                "the broker has it; the report of changes still to send holds nothing back");
    }

    /**
     * A restart while an ACCEPTED waits shows the seal the heartbeats showed before it, kept in the store: here two
     * accepts in one holdoff, the first one's report sent, so the seal between them is one no heartbeat showed.
     */
    @Test
    void aRestartWhileAnAcceptedWaitsShowsTheSealShownBeforeIt() throws Exception {
        Baselined etc = new Baselined(Map.of("hosts", "127.0.0.1 localhost\n", "hostname", "web1\n"));
        String first = heartbeats.heartbeat(NOW).seal().value();

        etc.accept("hosts", "127.0.0.1 localhost web1\n");
        Report sent = stored(etc.events.claimHandedOver(), NOW);
        String third = etc.accept("hostname", "web1.example\n");
        List<RecordedFinding> secondAccept = etc.events.claimHandedOver();
        outbox.delivered(Channels.KAFKA, List.of(new Outbox.Done(sent.id(), NOW.plusSeconds(30))));
        assertEquals(first, heartbeats.heartbeat(NOW.plusSeconds(60)).seal().value(), "the second ACCEPTED pooled");

        Heartbeats restarted = etc.restarted();
        assertEquals(first, restarted.heartbeat(NOW.plusSeconds(90)).seal().value(),
                "after a restart, the seal shown before, while the second ACCEPTED waits");
        Report announcing = stored(secondAccept, NOW.plusSeconds(100));
        assertEquals(first, restarted.heartbeat(NOW.plusSeconds(110)).seal().value(), "its report not yet sent");
        outbox.delivered(Channels.KAFKA, List.of(new Outbox.Done(announcing.id(), NOW.plusSeconds(115))));
        assertEquals(third, restarted.heartbeat(NOW.plusSeconds(120)).seal().value(), "its report sent: the seal as it is");
        assertEquals(third, etc.restarted().heartbeat(NOW.plusSeconds(150)).seal().value(), "and as it is after another restart");
    }

    /** The seal shown cannot be kept (a full disk): the heartbeat goes out all the same, and it is kept once it can be. */
    @Test
    void aSealThatCannotBeKeptIsShownAllTheSameAndKeptOnceItCanBe() throws Exception {
        Baselined etc = new Baselined(Map.of("hosts", "127.0.0.1 localhost\n"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("vigil.db"));
             Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TRIGGER full_disk BEFORE INSERT ON heartbeat_seal BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END");
            String first = heartbeats.heartbeat(NOW).seal().value();
            assertEquals(etc.store.seal().value(), first);
            assertTrue(new HeartbeatSeal(db).last().isEmpty());

            etc.accept("hosts", "127.0.0.1 localhost web1\n");
            st.executeUpdate("DROP TRIGGER full_disk");
            assertEquals(first, heartbeats.heartbeat(NOW.plusSeconds(60)).seal().value(), "its ACCEPTED waits");
            assertEquals(first, new HeartbeatSeal(db).last().orElseThrow().value(),
                    "kept by the next heartbeat, though an announcement waits");
        }
    }
}
