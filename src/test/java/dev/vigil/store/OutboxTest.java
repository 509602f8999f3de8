package dev.vigil.store;

import dev.vigil.alert.Source;
import dev.vigil.alert.ClosedReport;
import dev.vigil.alert.Details;
import dev.vigil.alert.Finding;
import dev.vigil.alert.RecordedFinding;
import dev.vigil.alert.Report;
import dev.vigil.alert.ReportJson;
import dev.vigil.alert.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboxTest {

    private static final Instant NOW = Instant.parse("2026-11-22T01:00:00Z");
    private static final Outbox.Lane ONLY = new Outbox.Lane(0, 1);

    @TempDir
    Path dir;

    private static Finding finding(String path, Severity severity) {
        return finding("web1", path, severity);
    }

    private static Finding finding(String host, String path, Severity severity) {
        return new Finding(Source.FILES, "MODIFIED", path, host, NOW, severity, Map.of());
    }

    private static Report report(String host, String path) {
        return Report.of(Source.FILES, List.of(finding(host, path, Severity.WARNING)), NOW);
    }

    /** Two hosts whose reports take different lanes of two. */
    private static final List<String> TWO_LANES = List.of("web1", "web2");

    private static List<String> subjects(List<Outbox.Delivery> deliveries) {
        return deliveries.stream().map(d -> d.report().host() + d.report().findings().get(0).subject()).toList();
    }

    /**
     * A report stored again (after a failure that came after the outbox's commit, ReportPipeline.returned) is not
     * stored twice, nor are its deliveries: the second store changes nothing and does not fail.
     */
    @Test
    void aReportStoredAgainIsStoredOnce() {
        Database db = Database.open(dir.resolve("vigil.db"));
        Outbox outbox = new Outbox(db);
        ClosedReport closed = new ClosedReport(report("web1", "/etc/hosts"), List.of());
        assertEquals(1, outbox.storeAll(List.of(closed), List.of("file", "webhook"), NOW).size());
        assertEquals(List.of(), outbox.storeAll(List.of(closed), List.of("file", "webhook"), NOW.plusSeconds(1)),
                "nothing stored now, so nothing for the dispatcher to hold again");

        assertEquals(List.of("web1/etc/hosts", "web1/etc/hosts"), subjects(outbox.list(false, 10)), "one delivery a channel");
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
            assertEquals(List.of(one, two), outbox.due(channel, ONLY, NOW, 10, id -> null).stream().map(Outbox.Delivery::report).toList());
        }
        outbox.delivered("file", List.of(new Outbox.Done(one.id(), NOW), new Outbox.Done(two.id(), NOW)));
        assertEquals(List.of(), outbox.due("file", ONLY, NOW, 10, id -> null));
        assertEquals(2, outbox.due("webhook", ONLY, NOW, 10, id -> null).size(), "each channel marks its own deliveries");
    }

    @Test
    void aReportTheCallerHoldsIsTakenAsItIsAndOnlyTheOthersAreReadBack() {
        Database db = Database.open(dir.resolve("vigil.db"));
        Outbox outbox = new Outbox(db);
        Report held = Report.of(Source.FILES, List.of(finding("/etc/hosts", Severity.WARNING)), NOW);
        Report other = Report.of(Source.FILES, List.of(finding("/etc/motd", Severity.WARNING)), NOW);
        List<ReportJson> stored = outbox.storeAll(List.of(new ClosedReport(held, List.of()), new ClosedReport(other, List.of())),
                List.of("file"), NOW);

        List<Outbox.Delivery> due = outbox.due("file", ONLY, NOW, 10, id -> id.equals(held.id()) ? stored.get(0) : null);

        assertSame(stored.get(0), due.get(0).stored());
        assertEquals(other, due.get(1).report());
        assertNotSame(other, due.get(1).report(), "read back from the outbox");
        assertEquals(List.of(held.toJson(), other.toJson()), due.stream().map(d -> d.stored().json()).toList(),
                "each with the JSON stored");
    }

    @Test
    void aChannelsLanesShareItsReportsByHostEachInOrderAndAFailureHoldsBackOnlyItsOwnLane() {
        assertEquals(List.of(0, 1), TWO_LANES.stream().map(h -> Outbox.Lane.of(h, 2).number()).sorted().toList());
        Outbox outbox = new Outbox(Database.open(dir.resolve("vigil.db")));
        List<ClosedReport> reports = new ArrayList<>();
        for (String path : List.of("/a", "/b", "/c")) {
            for (String host : TWO_LANES) {
                reports.add(new ClosedReport(report(host, path), List.of()));
            }
        }
        outbox.storeAll(reports, List.of("webhook"), NOW);
        Outbox.Lane first = Outbox.Lane.of("web1", 2);
        Outbox.Lane second = Outbox.Lane.of("web2", 2);

        assertEquals(List.of("web1/a", "web1/b", "web1/c"), subjects(outbox.due("webhook", first, NOW, 10, id -> null)));
        assertEquals(List.of("web2/a", "web2/b", "web2/c"), subjects(outbox.due("webhook", second, NOW, 10, id -> null)));
        assertEquals(6, outbox.due("webhook", ONLY, NOW, 10, id -> null).size(), "one lane: every host's");

        Outbox.Delivery failing = outbox.due("webhook", first, NOW, 10, id -> null).get(0);
        outbox.failed(failing.reportId(), "webhook", "HTTP 503", NOW.plusSeconds(5));
        assertEquals(List.of(), outbox.due("webhook", first, NOW, 10, id -> null), "web1's later reports wait behind it");
        assertEquals(List.of("web2/a", "web2/b", "web2/c"), subjects(outbox.due("webhook", second, NOW, 10, id -> null)));
    }

    @Test
    void onlyTheLanesWithDeliveriesDueAreWoken() {
        Outbox outbox = new Outbox(Database.open(dir.resolve("vigil.db")));
        Report web1 = report("web1", "/a");
        Report web2 = report("web2", "/a");
        outbox.storeAll(List.of(new ClosedReport(web1, List.of()), new ClosedReport(web2, List.of())), List.of("webhook"), NOW);
        assertEquals(java.util.Set.of(Outbox.Lane.of("web1", 2), Outbox.Lane.of("web2", 2)),
                java.util.Set.copyOf(outbox.lanesDue("webhook", 2, NOW)));

        outbox.delivered("webhook", List.of(new Outbox.Done(web2.id(), NOW)));
        outbox.failed(web1.id(), "webhook", "HTTP 503", NOW.plusSeconds(5));
        assertEquals(List.of(), outbox.lanesDue("webhook", 2, NOW), "web1's retry is not due yet");
        assertEquals(List.of(Outbox.Lane.of("web1", 2)), outbox.lanesDue("webhook", 2, NOW.plusSeconds(5)));
    }

    @Test
    void aChannelsRetriesMadeDueNowKeepTheirAttemptsAndLeaveTheOtherChannelsWaiting() {
        Outbox outbox = new Outbox(Database.open(dir.resolve("vigil.db")));
        Report report = report("web1", "/a");
        outbox.storeAll(List.of(new ClosedReport(report, List.of())), List.of("kafka", "webhook"), NOW);
        outbox.failed(report.id(), "kafka", "broker down", NOW.plusSeconds(600));
        outbox.failed(report.id(), "webhook", "HTTP 503", NOW.plusSeconds(600));
        assertEquals(List.of(), outbox.lanesDue("kafka", 1, NOW));

        assertEquals(1, outbox.dueNow("kafka", NOW));

        assertEquals(List.of(ONLY), outbox.lanesDue("kafka", 1, NOW));
        assertEquals(List.of(), outbox.lanesDue("webhook", 1, NOW), "another channel's retry keeps its time");
        assertEquals(1, outbox.list(false, 10).stream().filter(d -> d.channel().equals("kafka")).findFirst().orElseThrow()
                .attempts(), "the attempt stays counted");
        assertEquals(0, outbox.dueNow("kafka", NOW), "nothing waits any more");
    }

    @Test
    void deliveriesStoredBeforeLanesAreGivenTheirHostsLaneWhenTheDaemonStarts() {
        Database db = Database.open(dir.resolve("vigil.db"));
        Outbox outbox = new Outbox(db);
        outbox.storeAll(TWO_LANES.stream().map(h -> new ClosedReport(report(h, "/a"), List.of())).toList(),
                List.of("webhook"), NOW);
        db.update("test", "UPDATE outbox_delivery SET host_hash = NULL");
        assertEquals(List.of(), outbox.due("webhook", ONLY, NOW, 10, id -> null), "a row without its host's hash is in no lane");

        outbox.hashHosts();

        for (String host : TWO_LANES) {
            assertEquals(List.of(host + "/a"), subjects(outbox.due("webhook", Outbox.Lane.of(host, 2), NOW, 10, id -> null)));
        }
    }

    @Test
    void theStartsLookForDeliveriesWithoutTheirHostsHashReadsOnlyThoseThroughItsIndex() {
        Database db = Database.open(dir.resolve("vigil.db"));
        List<String> plan = db.query("plan", "EXPLAIN QUERY PLAN " + Outbox.UNHASHED, rs -> rs.getString("detail"));
        assertEquals("SEARCH d USING INDEX outbox_delivery_unhashed (status=?)", plan.get(0), String.join("; ", plan));
    }

    private static Report accepted(String host, String seal) {
        return Report.of(Source.FILES, List.of(new Finding(Source.FILES, "ACCEPTED", "accept /etc/hosts", host, NOW,
                Severity.INFO, Map.of(Details.SEAL, seal, Details.SEAL_ROWS, 3))), NOW);
    }

    @Test
    void anAcceptedWaitsForAChannelFromItsHandOverUntilTheChannelHasSentItsReport() throws Exception {
        Database db = Database.open(dir.resolve("vigil.db"));
        Outbox outbox = new Outbox(db);
        EventLog events = new EventLog(db);
        outbox.storeAll(List.of(new ClosedReport(report("web1", "/a"), List.of())), List.of("kafka"), NOW);
        Report tampered = Report.of(Source.FILES, List.of(new Finding(Source.FILES, "BASELINE_TAMPERED", "baseline seal s9",
                "web1", NOW, Severity.CRITICAL, Map.of(Details.SEAL, "s9", Details.SEAL_KEPT, "s1"))), NOW);
        outbox.storeAll(List.of(new ClosedReport(tampered, List.of())), List.of("kafka"), NOW);
        assertFalse(outbox.announcementWaiting("kafka"), "a report of changes, or of the seal's tampering, announces none");

        Report accepted = accepted("web1", "s2");
        try (Connection c = db.connect()) {
            EventLog.handOver(c, accepted.findings().get(0));
        }
        assertTrue(outbox.announcementWaiting("kafka"), "handed over");
        List<RecordedFinding> pooled = events.claimHandedOver();
        assertTrue(outbox.announcementWaiting("kafka"), "pooled");
        outbox.storeAll(List.of(new ClosedReport(accepted, List.of(pooled.get(0).event()))), List.of("kafka", "webhook"), NOW);
        assertEquals(List.of(), events.pooled());
        assertTrue(outbox.announcementWaiting("kafka"), "in the outbox");
        outbox.failed(accepted.id(), "kafka", "broker down", NOW.plusSeconds(600));
        assertTrue(outbox.announcementWaiting("kafka"), "a retry waits");

        outbox.delivered("kafka", List.of(new Outbox.Done(accepted.id(), NOW)));
        assertFalse(outbox.announcementWaiting("kafka"));
        assertTrue(outbox.announcementWaiting("webhook"), "each channel for itself");
    }

    @Test
    void theLookForAWaitingAnnouncementReadsOnlyTheAcceptedFindingsAndReportsWaitingThroughTheirIndexes() {
        Database db = Database.open(dir.resolve("vigil.db"));
        List<String> plan = db.query("plan", "EXPLAIN QUERY PLAN " + Outbox.ANNOUNCEMENT_WAITING, rs -> rs.getString("detail"),
                "kafka");
        String all = String.join("; ", plan);
        for (String step : List.of("SCAN event USING INDEX event_waiting_accepted",
                "SCAN r USING COVERING INDEX outbox_report_announcing",
                "SEARCH d USING INDEX sqlite_autoindex_outbox_delivery_1 (report_id=? AND channel=?)")) {
            assertTrue(plan.contains(step), step + " in " + all);
        }
    }

    /** An ACCEPTED still to send when Vigil is upgraded past migration 017 holds the heartbeat's seal, too. */
    @Test
    void aPendingReportStoredBeforeTheColumnIsMarkedByItsTextWhenTheStoreIsUpgraded() throws Exception {
        Path file = dir.resolve("old.db");
        List<Report> reports = List.of(accepted("web1", "s2"), accepted("web1", "s3"), report("web1", "/a"),
                Report.of(Source.FILES, List.of(new Finding(Source.FILES, "BASELINE_TAMPERED", "baseline seal s9", "web1", NOW,
                        Severity.CRITICAL, Map.of(Details.SEAL, "s9"))), NOW));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            for (String migration : Database.MIGRATIONS.subList(0, 16)) {
                try (InputStream in = Database.class.getResourceAsStream("migrations/" + migration)) {
                    s.executeUpdate(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            s.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)");
            s.execute("INSERT INTO schema_version(version) VALUES (16)");
            try (PreparedStatement r = c.prepareStatement("INSERT INTO outbox_report(id, seq, created, source, report) VALUES (?,?,?,?,?)");
                 PreparedStatement d = c.prepareStatement("INSERT INTO outbox_delivery(report_id, channel, status, next_attempt, "
                         + "host_hash) VALUES (?, 'kafka', ?, ?, 0)")) {
                for (int i = 0; i < reports.size(); i++) {
                    Report report = reports.get(i);
                    Database.bind(r, report.id(), i + 1, EventLog.SORTABLE.format(NOW), "files", ReportJson.of(report).json());
                    r.executeUpdate();
                    Database.bind(d, report.id(), i == 0 ? "DELIVERED" : "PENDING", EventLog.SORTABLE.format(NOW));
                    d.executeUpdate();
                }
            }
        }

        Database db = Database.open(file);
        assertEquals(List.of(reports.get(1).id()), db.query("marked", "SELECT id FROM outbox_report WHERE announces_seal = 1",
                rs -> rs.getString(1)), "the pending ACCEPTED; not the one sent, the report of changes, nor the tampering's");
        assertTrue(new Outbox(db).announcementWaiting("kafka"));
    }
}
