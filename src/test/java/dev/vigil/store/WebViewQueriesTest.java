package dev.vigil.store;

import dev.vigil.alert.Finding;
import dev.vigil.alert.Severity;
import dev.vigil.alert.Source;
import dev.vigil.pid.PidKind;
import dev.vigil.pid.PidState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store's queries behind the web view: pages of findings, hourly counts, open deviations. */
class WebViewQueriesTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:30:00Z");

    @TempDir
    Path dir;

    private static Finding finding(Source source, String kind, String subject, Instant time, Map<String, Object> details) {
        return new Finding(source, kind, subject, "web1", time, Severity.WARNING, details);
    }

    @Test
    void aPageHoldsTheNewestMatchingFindingsNewestFirst() {
        EventLog events = new EventLog(Database.open(dir.resolve("vigil.db")));
        for (int i = 0; i < 5; i++) {
            events.record(finding(Source.FILES, "MODIFIED", "/etc/file" + i, NOW.plusSeconds(i), Map.of()));
        }
        events.record(finding(Source.LOGS, "SYSTEM_EVENT", "sshd: hello", NOW, Map.of()));

        List<String> page = events.newest(new EventLog.Query(null, null, Source.FILES, null, null), 3).stream()
                .map(Finding::subject).toList();

        assertEquals(List.of("/etc/file4", "/etc/file3", "/etc/file2"), page);
    }

    @Test
    void findingsAreSelectedByTheProcessTheyName() {
        EventLog events = new EventLog(Database.open(dir.resolve("vigil.db")));
        events.record(finding(Source.FILES, "MODIFIED", "/etc/hosts", NOW, Map.of("comm", "sh", "exe", "/usr/bin/dash")));
        events.record(finding(Source.FILES, "MODIFIED", "/etc/motd", NOW, Map.of("comm", "vim", "exe", "/usr/bin/vim.basic")));
        events.record(finding(Source.FILES, "ADDED", "/etc/new", NOW, Map.of()));

        assertEquals(List.of("/etc/hosts"), subjects(events, "sh"), "by command name");
        assertEquals(List.of("/etc/hosts"), subjects(events, "dash"), "by the executable's file name");
        assertEquals(List.of("/etc/motd"), subjects(events, "/usr/bin/vim.basic"), "by executable");
        assertEquals(List.of(), subjects(events, "da%"), "a LIKE wildcard is a plain character");
    }

    private static List<String> subjects(EventLog events, String process) {
        return events.query(new EventLog.Query(null, null, null, null, null, process)).stream().map(Finding::subject).toList();
    }

    @Test
    void findingsAreCountedPerSourceAndHour() {
        EventLog events = new EventLog(Database.open(dir.resolve("vigil.db")));
        events.record(finding(Source.FILES, "MODIFIED", "/etc/old", NOW.minusSeconds(7200), Map.of()));
        events.record(finding(Source.FILES, "MODIFIED", "/etc/a", Instant.parse("2026-11-22T09:05:00Z"), Map.of()));
        events.record(finding(Source.FILES, "MODIFIED", "/etc/b", Instant.parse("2026-11-22T09:59:59Z"), Map.of()));
        events.record(finding(Source.LOGS, "SYSTEM_EVENT", "line", Instant.parse("2026-11-22T09:30:00Z"), Map.of()));
        events.record(finding(Source.LOGS, "SYSTEM_EVENT", "line", Instant.parse("2026-11-22T10:00:00Z"), Map.of()));

        List<EventLog.HourlyCount> counts = events.hourlyCounts(Instant.parse("2026-11-22T09:00:00Z"));

        Instant nine = Instant.parse("2026-11-22T09:00:00Z");
        Instant ten = Instant.parse("2026-11-22T10:00:00Z");
        assertEquals(List.of(new EventLog.HourlyCount(Source.FILES, nine, 2), new EventLog.HourlyCount(Source.LOGS, nine, 1),
                new EventLog.HourlyCount(Source.LOGS, ten, 1)), counts);
    }

    @Test
    void openDeviationsAreTheReportedPathsAndPidProblemsWithWhatTheyLastWere() {
        Database db = Database.open(dir.resolve("vigil.db"));
        EventLog events = new EventLog(db);
        events.record(finding(Source.FILES, "ADDED", "/etc/cron.d/evil", NOW, Map.of()));
        events.record(finding(Source.FILES, "MODIFIED", "/etc/cron.d/evil", NOW.plusSeconds(5), Map.of()));
        events.record(finding(Source.FILES, "MODIFIED", "/etc/accepted", NOW, Map.of()));
        events.record(finding(Source.PIDS, "DIED", "/run/sshd.pid", NOW, Map.of()));
        String remember = "INSERT INTO reported(path, fingerprint) VALUES (?, ?)";
        db.update("seed", remember, "/etc/cron.d/evil".getBytes(StandardCharsets.UTF_8), "fp1");
        db.update("seed", remember, "/etc/gone-from-history".getBytes(StandardCharsets.UTF_8), "fp2");
        new PidStateStore(db, Clock.fixed(NOW, ZoneOffset.UTC)).save("pids", Map.of(
                "/run/sshd.pid", new PidState("/run/sshd.pid", PidKind.DIED, "DIED", "boot-1", null),
                "/run/cron.pid", new PidState("/run/cron.pid", null, null, "boot-1", null)), List.of());

        OpenDeviations.Page page = new OpenDeviations(db).list(100);

        assertEquals(3, page.total());
        List<OpenDeviations.Open> open = page.open();
        assertEquals(List.of("/etc/cron.d/evil", "/etc/gone-from-history", "/run/sshd.pid"),
                open.stream().map(OpenDeviations.Open::subject).toList());
        assertEquals("MODIFIED", open.get(0).kind(), "what the deviation last was");
        assertEquals(NOW.plusSeconds(5), open.get(0).finding().time());
        assertNull(open.get(1).finding(), "a deviation whose findings the retention removed is still open");
        assertEquals("DIED", open.get(2).kind());
        assertEquals(Source.PIDS, open.get(2).source());
    }

    /**
     * With a long history (100,000 findings in bench/ops.sh) the chart and the open deviations must not read every
     * finding: SQLite's plan for each names an index that answers it, and no scan of the table.
     */
    @Test
    void theChartAndTheOpenDeviationsAreAnsweredFromIndexesNotByReadingEveryFinding() {
        Database db = Database.open(dir.resolve("vigil.db"));
        EventLog events = new EventLog(db);
        for (int i = 0; i < 50; i++) {
            events.record(finding(i % 2 == 0 ? Source.FILES : Source.LOGS, "MODIFIED", "/etc/file" + i % 5, NOW.plusSeconds(i), Map.of()));
        }

        String chart = plan(db, EventLog.HOURLY_COUNTS, "2026-11-22T00:00:00Z");
        String open = plan(db, EventLog.newestAboutSql(2), "files", "/etc/file0", "/etc/file2");

        assertTrue(chart.contains("COVERING INDEX event_time_source"), chart);
        assertTrue(open.contains("INDEX event_source_subject (source=? AND subject=?)"), open);
        assertFalse(chart.contains("SCAN event") || open.contains("SCAN event"), chart + "\n" + open);
        assertEquals(List.of(new EventLog.HourlyCount(Source.FILES, Instant.parse("2026-11-22T10:00:00Z"), 25),
                new EventLog.HourlyCount(Source.LOGS, Instant.parse("2026-11-22T10:00:00Z"), 25)),
                events.hourlyCounts(Instant.parse("2026-11-22T00:00:00Z")), "the counts are those of every finding");
        assertEquals(NOW.plusSeconds(40), events.newestAbout(Source.FILES, List.of("/etc/file0")).get("/etc/file0").time());
    }

    private static String plan(Database db, String sql, Object... args) {
        return String.join("\n", db.query("explain", "EXPLAIN QUERY PLAN " + sql, rs -> rs.getString("detail"), args));
    }
}
