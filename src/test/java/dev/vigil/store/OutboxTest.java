package dev.vigil.store;

import dev.vigil.alert.Source;
import dev.vigil.alert.ClosedReport;
import dev.vigil.alert.Finding;
import dev.vigil.alert.RecordedFinding;
import dev.vigil.alert.Report;
import dev.vigil.alert.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class OutboxTest {

    private static final Instant NOW = Instant.parse("2026-11-22T01:00:00Z");

    @TempDir
    Path dir;

    private static Finding finding(String path, Severity severity) {
        return new Finding(Source.FILES, "MODIFIED", path, "web1", NOW, severity, Map.of());
    }

    @Test
    void aRecordedFindingStaysPooledUntilTheReportHoldingItIsInTheOutbox() {
        Database db = Database.open(dir.resolve("vigil.db"));
        EventLog events = new EventLog(db);
        Finding first = finding("/etc/hosts", Severity.WARNING);
        Finding second = finding("/etc/motd", Severity.WARNING);
        long firstRow = events.record(first);
        long secondRow = events.record(second);
        assertEquals(List.of(new RecordedFinding(firstRow, first), new RecordedFinding(secondRow, second)), events.pooled());

        new Outbox(db).store(new ClosedReport(Report.of(Source.FILES, List.of(first), NOW), List.of(firstRow)),
                List.of("file"), NOW);

        assertEquals(List.of(new RecordedFinding(secondRow, second)), events.pooled());
        assertEquals(2, events.query(new EventLog.Query(null, null, null, null, null)).size(), "the history keeps both");
    }

    @Test
    void theLastReportOfEachSourceIsTheNewestThatStartedAHoldoff() {
        Database db = Database.open(dir.resolve("vigil.db"));
        Outbox outbox = new Outbox(db);
        outbox.store(new ClosedReport(Report.of(Source.FILES, List.of(finding("/etc/hosts", Severity.WARNING)), NOW),
                List.of()), List.of("file"), NOW);
        outbox.store(new ClosedReport(Report.of(Source.FILES, List.of(finding("/etc/shadow", Severity.CRITICAL)), NOW),
                List.of()), List.of("file"), NOW.plusSeconds(10));

        assertEquals(Map.of(Source.FILES, NOW), outbox.lastReports(), "a critical finding's own report holds nothing off");
    }

    @Test
    void reportsStoredTogetherReachEachChannelInTheirOrderAndLeaveThePool() {
        Database db = Database.open(dir.resolve("vigil.db"));
        EventLog events = new EventLog(db);
        Finding first = finding("/etc/hosts", Severity.WARNING);
        Finding second = finding("/etc/motd", Severity.WARNING);
        List<Long> rows = events.recordAll(List.of(first, second));
        Report one = Report.of(Source.FILES, List.of(first), NOW);
        Report two = Report.of(Source.FILES, List.of(second), NOW);
        Outbox outbox = new Outbox(db);

        outbox.storeAll(List.of(new ClosedReport(one, List.of(rows.get(0))), new ClosedReport(two, List.of(rows.get(1)))),
                List.of("file", "webhook"), NOW);

        assertEquals(List.of(), events.pooled());
        for (String channel : List.of("file", "webhook")) {
            assertEquals(List.of(one, two), outbox.due(channel, NOW, 10, id -> null).stream().map(Outbox.Delivery::report).toList());
        }
        outbox.delivered("file", List.of(new Outbox.Done(one.id(), NOW), new Outbox.Done(two.id(), NOW)));
        assertEquals(List.of(), outbox.due("file", NOW, 10, id -> null));
        assertEquals(2, outbox.due("webhook", NOW, 10, id -> null).size(), "each channel marks its own deliveries");
    }

    @Test
    void aReportTheCallerHoldsIsTakenAsItIsAndOnlyTheOthersAreReadBack() {
        Database db = Database.open(dir.resolve("vigil.db"));
        Outbox outbox = new Outbox(db);
        Report held = Report.of(Source.FILES, List.of(finding("/etc/hosts", Severity.WARNING)), NOW);
        Report other = Report.of(Source.FILES, List.of(finding("/etc/motd", Severity.WARNING)), NOW);
        outbox.storeAll(List.of(new ClosedReport(held, List.of()), new ClosedReport(other, List.of())), List.of("file"), NOW);

        List<Outbox.Delivery> due = outbox.due("file", NOW, 10, id -> id.equals(held.id()) ? held : null);

        assertSame(held, due.get(0).report());
        assertEquals(other, due.get(1).report());
        assertNotSame(other, due.get(1).report(), "read back from the outbox");
    }
}
