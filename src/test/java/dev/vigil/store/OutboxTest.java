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
}
