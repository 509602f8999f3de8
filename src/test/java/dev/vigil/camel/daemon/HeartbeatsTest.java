package dev.vigil.camel.daemon;

import dev.vigil.alert.Backoff;
import dev.vigil.alert.ClosedReport;
import dev.vigil.alert.Finding;
import dev.vigil.alert.Report;
import dev.vigil.alert.Secrets;
import dev.vigil.alert.Severity;
import dev.vigil.alert.Source;
import dev.vigil.camel.channel.Channels;
import dev.vigil.camel.channel.OutboxDispatcher;
import dev.vigil.store.Database;
import dev.vigil.store.Outbox;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        heartbeats = new Heartbeats(context, "web1", null, outbox, null);
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
}
