package dev.vigil.store;

import dev.vigil.alert.Source;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

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

        long deleted = new HistoryRetention(db, Duration.ofDays(90), FileEventHistory.DEFAULT_MAX_ROWS, Set::of, () -> NOW).prune();

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

        assertEquals(2, new HistoryRetention(db, Duration.ofDays(90), FileEventHistory.DEFAULT_MAX_ROWS, Set::of, () -> NOW).prune(),
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

        assertEquals(25_000, new HistoryRetention(db, Duration.ofDays(1), FileEventHistory.DEFAULT_MAX_ROWS, Set::of, () -> NOW).prune());
        assertEquals(1, raw.query(new FileEventHistory.Query(null, null, null, null, null, null, null)).size());
    }

    @Test
    void theOrderOfATrickleNoRouteRunsGoesAndTheRunningOnesStays() {
        Database db = Database.open(dir.resolve("vigil.db"));
        SqliteBaseline store = new SqliteBaseline(db);
        Map<String, Integer> entries = Map.of("fscan:files", 3, "fscan:renamed", 12_345, "fswatch:web unwatched", 2);
        entries.forEach((trickle, n) -> {
            try (var order = store.verifications(trickle)) {
                for (int i = 1; i <= n; i++) {
                    order.record(("/srv/f" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8), i);
                }
            }
        });

        assertEquals(12_345, new HistoryRetention(db, Duration.ofDays(90), FileEventHistory.DEFAULT_MAX_ROWS,
                () -> Set.of("fscan:files", "fswatch:web unwatched", "fscan:not-yet-run"), () -> NOW).prune());

        entries.forEach((trickle, n) -> {
            try (var order = store.verifications(trickle)) {
                assertEquals(trickle.equals("fscan:renamed") ? 0 : n, order.latest(), trickle);
            }
        });
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
            outbox.delivered(channel, List.of(new Outbox.Done(delivered.id(), old), new Outbox.Done(recent.id(), NOW)));
        }
        outbox.delivered("console", List.of(new Outbox.Done(pending.id(), old), new Outbox.Done(failed.id(), old)));
        outbox.failed(failed.id(), "webhook", "HTTP 500", null);

        assertEquals(1, new HistoryRetention(db, Duration.ofDays(90), FileEventHistory.DEFAULT_MAX_ROWS, Set::of, () -> NOW).prune());

        assertEquals(java.util.Set.of(pending.id(), failed.id(), recent.id()), outbox.list(false, 100).stream()
                .map(Outbox.Delivery::reportId).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void theRawHistoryStaysWithinItsBoundThroughABurstOfCreatesAndDeletes() throws Exception {
        Database db = Database.open(dir.resolve("vigil.db"));
        FileEventHistory raw = new FileEventHistory(db, 50_000);
        int burst = 200_000;
        List<FileEvent> batch = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
            batch.add(new FileEvent(Set.of(i % 2 == 0 ? EventType.CREATE : EventType.DELETE), Path.of("/srv/tmp/f" + i / 2),
                    null, false, NOW.plusMillis(i), 4242, 1, "tar", "/usr/bin/tar", 0, "root", true, null));
            if (batch.size() == 4096 || i == burst - 1) {
                raw.append(batch);
                batch.clear();
                assertTrue(rows(db) <= 50_000, rows(db) + " rows after " + (i + 1) + " events");
            }
        }

        assertEquals(50_000, rows(db));
        List<FileEvent> kept = raw.query(new FileEventHistory.Query(null, null, null, null, null, null, null));
        assertEquals(Path.of("/srv/tmp/f75000"), kept.get(0).path(), "the oldest kept is the 150,001st");
        assertEquals(Path.of("/srv/tmp/f99999"), kept.get(kept.size() - 1).path());
    }

    @Test
    void pruningAlsoDeletesTheOldestRawEventsBeyondTheBound() throws Exception {
        Database db = Database.open(dir.resolve("vigil.db"));
        FileEventHistory raw = new FileEventHistory(db);
        List<FileEvent> recent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            recent.add(event("/etc/f" + i, NOW.minusSeconds(30 - i)));
        }
        raw.append(recent);

        assertEquals(20, new HistoryRetention(db, Duration.ofDays(90), 10, Set::of, () -> NOW).prune());
        assertEquals(List.of(Path.of("/etc/f20"), Path.of("/etc/f29")), List.of(
                raw.query(new FileEventHistory.Query(null, null, null, null, null, null, null)).get(0).path(),
                raw.query(new FileEventHistory.Query(null, null, null, null, null, null, null)).get(9).path()));
    }

    private static long rows(Database db) throws java.sql.SQLException {
        try (var c = db.connect(); var s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM file_event")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    @Test
    void aRetentionThatIsNotPositiveIsRefused() {
        Database db = Database.open(dir.resolve("vigil.db"));
        assertThrows(IllegalArgumentException.class, () -> new HistoryRetention(db, Duration.ZERO, FileEventHistory.DEFAULT_MAX_ROWS, Set::of, () -> NOW));
    }

    private static Report report(String path, Instant time) {
        return Report.of(Source.FILES, List.of(finding(path, time)), time);
    }

    private static Finding finding(String path, Instant time) {
        return new Finding(Source.FILES, "MODIFIED", path, "h", time, Severity.WARNING, Map.of());
    }

    private static FileEvent event(String path, Instant time) {
        return new FileEvent(Set.of(EventType.CLOSE_WRITE), Path.of(path), null, false, time, -1, -1, null, null, -1, null, false, null);
    }
}
