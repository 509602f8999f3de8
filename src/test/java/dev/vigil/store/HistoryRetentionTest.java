package dev.vigil.store;

import dev.vigil.alert.Finding;
import dev.vigil.alert.Report;
import dev.vigil.alert.Severity;
import dev.vigil.watch.EventType;
import dev.vigil.watch.FileEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HistoryRetentionTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void rowsOlderThanTheRetentionGoAndNewerOnesStay() {
        Database db = Database.open(dir.resolve("vigil.db"));
        EventLog events = new EventLog(db);
        FileEventHistory raw = new FileEventHistory(db);
        events.record(finding("/etc/old", NOW.minus(Duration.ofDays(91))));
        events.record(finding("/etc/recent", NOW.minus(Duration.ofDays(89))));
        raw.append(List.of(event("/etc/old", NOW.minus(Duration.ofDays(91))), event("/etc/recent", NOW.minusSeconds(5))));

        long deleted = new HistoryRetention(db, Duration.ofDays(90), () -> NOW).prune();

        assertEquals(2, deleted);
        assertEquals(List.of("/etc/recent"), events.query(new EventLog.Query(null, null, null, null, null)).stream()
                .map(Finding::subject).toList());
        assertEquals(List.of(Path.of("/etc/recent")), raw.query(new FileEventHistory.Query(null, null, null, null, null, null, null))
                .stream().map(FileEvent::path).toList());
    }

    @Test
    void oldScanRunsGoButTheLastOfEachKindAndAreaStays() {
        Database db = Database.open(dir.resolve("vigil.db"));
        SqliteBaseline store = new SqliteBaseline(db);
        Instant old = NOW.minus(Duration.ofDays(100));
        for (String kind : List.of("check", "check", "baseline")) {
            store.recordRun(new dev.vigil.fim.BaselineStore.ScanRun(kind, "/etc", old, old.plusSeconds(1), 10, 0, 0));
        }
        store.recordRun(new dev.vigil.fim.BaselineStore.ScanRun("check", "/usr", old, old.plusSeconds(2), 20, 0, 0));
        store.recordRun(new dev.vigil.fim.BaselineStore.ScanRun("check", "/usr", NOW, NOW.plusSeconds(3), 30, 0, 0));

        assertEquals(2, new HistoryRetention(db, Duration.ofDays(90), () -> NOW).prune(),
                "the older check of /etc and the old check of /usr");
        assertEquals(List.of("check /usr 30", "baseline /etc 10", "check /etc 10"), store.recentRuns(10).stream()
                .map(r -> r.kind() + " " + r.area() + " " + r.entries()).toList());
    }

    @Test
    void aBacklogLargerThanOneBatchIsDeletedWhole() {
        Database db = Database.open(dir.resolve("vigil.db"));
        FileEventHistory raw = new FileEventHistory(db);
        List<FileEvent> old = new ArrayList<>();
        for (int i = 0; i < 25_000; i++) {
            old.add(event("/var/www/f" + i, NOW.minus(Duration.ofDays(2)).plusMillis(i)));
        }
        raw.append(old);
        raw.append(List.of(event("/var/www/today", NOW)));

        assertEquals(25_000, new HistoryRetention(db, Duration.ofDays(1), () -> NOW).prune());
        assertEquals(1, raw.query(new FileEventHistory.Query(null, null, null, null, null, null, null)).size());
    }

    @Test
    void reportsEveryChannelTookGoWithTheHistoryAndOthersStayWhateverTheirAge() {
        Database db = Database.open(dir.resolve("vigil.db"));
        Outbox outbox = new Outbox(db);
        Instant old = NOW.minus(Duration.ofDays(100));
        Report delivered = report("/etc/delivered", old);
        Report pending = report("/etc/pending", old);
        Report failed = report("/etc/given-up", old);
        Report recent = report("/etc/recent", NOW.minusSeconds(60));
        for (Report r : List.of(delivered, pending, failed, recent)) {
            outbox.store(new dev.vigil.alert.ClosedReport(r, List.of()), List.of("console", "webhook"), r.created());
        }
        for (String channel : List.of("console", "webhook")) {
            outbox.delivered(delivered.id(), channel, old);
            outbox.delivered(recent.id(), channel, NOW);
        }
        outbox.delivered(pending.id(), "console", old);
        outbox.delivered(failed.id(), "console", old);
        outbox.failed(failed.id(), "webhook", "HTTP 500", null);

        assertEquals(1, new HistoryRetention(db, Duration.ofDays(90), () -> NOW).prune());

        assertEquals(java.util.Set.of(pending.id(), failed.id(), recent.id()), outbox.list(false, 100).stream()
                .map(Outbox.Delivery::reportId).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void aRetentionThatIsNotPositiveIsRefused() {
        Database db = Database.open(dir.resolve("vigil.db"));
        assertThrows(IllegalArgumentException.class, () -> new HistoryRetention(db, Duration.ZERO, () -> NOW));
    }

    private static Report report(String path, Instant time) {
        return Report.of("files", List.of(finding(path, time)), time);
    }

    private static Finding finding(String path, Instant time) {
        return new Finding("files", "MODIFIED", path, "h", time, Severity.WARNING, Map.of());
    }

    private static FileEvent event(String path, Instant time) {
        return new FileEvent(Set.of(EventType.CLOSE_WRITE), Path.of(path), null, false, time, -1, -1, null, null, -1, null, false, null);
    }
}
