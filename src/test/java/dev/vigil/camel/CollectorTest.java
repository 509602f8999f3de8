package dev.vigil.camel;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.Await;
import dev.vigil.FleetHosts;
import dev.vigil.KafkaBroker;
import dev.vigil.PostgresServer;
import dev.vigil.alert.Finding;
import dev.vigil.alert.Json;
import dev.vigil.alert.Report;
import dev.vigil.alert.Severity;
import dev.vigil.alert.Source;
import dev.vigil.camel.collect.CollectConfiguration;
import dev.vigil.camel.collect.FleetRecords;
import dev.vigil.cli.CollectCommand;
import dev.vigil.cli.CommandRun;
import dev.vigil.cli.VigilHome;
import dev.vigil.fleet.SealHistory;
import dev.vigil.store.EventLog;
import dev.vigil.store.FleetDataSource;
import dev.vigil.store.FleetStore;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `vigil collect` as it starts (routes/collect/fleet.yaml with routes/report.yaml and routes/channels.yaml) over a
 * real Kafka broker, on each fleet store: a SQLite file and a real PostgreSQL server. Records are produced as
 * hosts produce them (signed, in the wire format); the channel is the alert file.
 */
class CollectorTest {

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();
    @RegisterExtension
    static final PostgresServer POSTGRES = new PostgresServer();
    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    private static final AtomicInteger RUN = new AtomicInteger();
    private static final String KEY_ONE = "key-of-web1";
    private static final String KEY_TWO = "key-of-web2";

    enum Store { SQLITE, POSTGRESQL }

    private final List<AutoCloseable> open = new ArrayList<>();
    private FleetHosts hosts;
    private HikariDataSource fleet;
    private Path config;
    private Map<String, String> lastOverrides;

    @AfterEach
    void close() throws Exception {
        daemon.close();
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void twoHostsFindingsReachTheChannelOnceEachInOneReportPerHost(Store store) throws Exception {
        Main collector = start(store, Map.of());
        Report first = hosts.report("web1", "/etc/passwd", "/etc/group");
        hosts.send("web1", KEY_ONE, first);
        hosts.send("web2", KEY_TWO, hosts.report("web2", "/etc/hosts"));
        hosts.send("web1", KEY_ONE, hosts.report("web1", "/etc/shadow"));
        hosts.send("web1", KEY_ONE, first); // a retry of the host's outbox: the same report id, a new signature
        // after the retry in web1's partition: once its finding is in, the retry has been read
        hosts.send("web1", KEY_ONE, hosts.report("web1", "/etc/marker"));
        Await.until("the marker in the collector's event history", () -> subjects(events(collector)).contains("/etc/marker"));
        daemon.advanceOncePooled(collector, Duration.ofSeconds(31));
        Await.until("the findings in the alert file", () -> alertSubjects().size() >= 5);

        assertEquals(List.of("/etc/group", "/etc/hosts", "/etc/marker", "/etc/passwd", "/etc/shadow"),
                alertSubjects().stream().sorted().toList());
        List<Report> reports = alertReports();
        assertEquals(2, reports.size(), "one report per host: " + reports);
        for (Report r : reports) {
            assertTrue(r.findings().stream().allMatch(f -> f.host().equals(r.host())), "a report holds one host's findings");
        }
        assertEquals(5, new FleetStore(fleet).findings(null, everything()).size());
        assertEquals(List.of("/etc/group", "/etc/marker", "/etc/passwd", "/etc/shadow"), new FleetStore(fleet).findings("web1", everything())
                .stream().map(Finding::subject).sorted().toList());
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void tamperedAndUnknownRecordsAreQuarantinedAndRejectedWhileTheRestGoesOn(Store store) throws Exception {
        Main collector = start(store, Map.of("vigil.report.files.reportTime", "0"));
        hosts.send("web1", KEY_ONE, hosts.report("web1", "/etc/before"));
        Report tampered = hosts.report("web1", "/etc/tampered");
        hosts.send(hosts.reportsTopic(), "web1", "not-the-key-of-web1", tampered.id(), tampered.toJson());
        Report unknown = hosts.report("web9", "/etc/unknown");
        hosts.send(hosts.reportsTopic(), "web9", "some-key", unknown.id(), unknown.toJson());
        hosts.send(hosts.reportsTopic(), "web1", KEY_ONE, "not-json", "{\"id\": [");
        hosts.send("web1", KEY_ONE, hosts.report("web1", "/etc/after"));

        Await.until("three REJECTED and both good findings in the alert file", () -> kinds("REJECTED") == 3
                && alertSubjects().containsAll(List.of("/etc/before", "/etc/after")));
        assertTrue(alertSubjects().stream().noneMatch(s -> s.equals("/etc/tampered") || s.equals("/etc/unknown")));
        assertTrue(alertReports().stream().flatMap(r -> r.findings().stream()).filter(f -> f.kind().equals("REJECTED"))
                .allMatch(Finding::critical));
        assertEquals(List.of("bad signature (or a timestamp beyond vigil.collect.maxAge)",
                "not a report: ", "unknown host (no vigil.collect.hostKey.web9)"), quarantineReasons());
    }

    /**
     * A host's report cannot pass as the collector's own verdicts on that host (source fleet): pooled with them, a
     * flood of its own could bury its BASELINE_TAMPERED. Quarantined and REJECTED; the host's next report goes on.
     */
    @ParameterizedTest
    @EnumSource(Store.class)
    void aHostsReportOfSourceFleetIsQuarantined(Store store) throws Exception {
        start(store, Map.of("vigil.report.files.reportTime", "0"));
        hosts.send("web1", KEY_ONE, Report.of(Source.FILES, List.of(new Finding(Source.FLEET, "BASELINE_TAMPERED",
                "forged verdict", "web1", daemon.now(), Severity.CRITICAL, Map.of())), daemon.now()));
        hosts.send("web1", KEY_ONE, Report.of(Source.FLEET, List.of(new Finding(Source.FILES, "MODIFIED",
                "/etc/in-a-fleet-report", "web1", daemon.now(), Severity.WARNING, Map.of())), daemon.now()));
        hosts.send("web1", KEY_ONE, hosts.report("web1", "/etc/after"));

        Await.until("two REJECTED and the good finding in the alert file", () -> kinds("REJECTED") == 2
                && alertSubjects().contains("/etc/after"));
        assertEquals(List.of("a finding of source fleet, which only the collector makes",
                "a report of source fleet, which only the collector makes"), quarantineReasons());
        assertTrue(alertSubjects().stream().noneMatch(s -> s.equals("forged verdict") || s.equals("/etc/in-a-fleet-report")));
    }

    /**
     * A record's headers are its sender's, and none becomes a header of the collector's routes: a good heartbeat
     * carrying the header the heartbeat route is steered by (a quarantine reason) is stored as the heartbeat it is.
     */
    @ParameterizedTest
    @EnumSource(Store.class)
    void aRecordsOwnHeadersDoNotSteerTheCollectorsRoutes(Store store) throws Exception {
        start(store, Map.of());
        hosts.heartbeat("web1", KEY_ONE, "seal-1", Map.of("fleetQuarantine", "forged by the host", "fleetHost", "web2"));
        hosts.heartbeat("web2", KEY_TWO, "seal-1");

        Await.until("both hosts in the fleet store", () -> new FleetStore(fleet).hosts().size() == 2);
        assertEquals(List.of(), quarantineReasons());
        assertEquals(0, kinds("REJECTED"));
    }

    /**
     * Records no honest host sends, and which the fleet store's columns cannot take as they are (PostgreSQL refuses
     * a NUL and enforces VARCHAR bounds; SQLite does neither): each is quarantined, or stored with its text cut or
     * its NUL replaced in the columns and whole in the finding's JSON. None stops the consumers.
     */
    @ParameterizedTest
    @EnumSource(Store.class)
    void recordsTheStoreCannotTakeAsTheyAreAreQuarantinedOrStoredAndTheStreamGoesOn(Store store) throws Exception {
        Main collector = start(store, Map.of("vigil.report.files.reportTime", "0", "vigil.report.fleet.reportTime", "0",
                "vigil.report.fleet.reportHoldoff", "0"));
        String reportsTopic = hosts.reportsTopic();
        hosts.send("web1", KEY_ONE, hosts.report("web1", "/etc/before"));
        // no key needed for these two: a time beyond Java's instants, a NUL in the record's key
        Map<String, String> farFuture = Map.of("vigil-id", "far", "vigil-host", "web1",
                "vigil-timestamp", "99999999999999999", "vigil-signature", "sha256=00");
        hosts.sendRaw(reportsTopic, "web1", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), farFuture);
        hosts.sendRaw(hosts.heartbeatsTopic(), "web1", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), farFuture);
        hosts.sendRaw(reportsTopic, "web\u0000", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Map.of("vigil-id", "nul", "vigil-host", "web\u0000"));
        // signed with web1's key, as its root could
        Report kindless = hosts.report("web1", "/etc/kindless");
        com.fasterxml.jackson.databind.node.ObjectNode withoutKind = (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(kindless.toJson());
        ((com.fasterxml.jackson.databind.node.ObjectNode) withoutKind.get("findings").get(0)).remove("kind");
        hosts.send(reportsTopic, "web1", KEY_ONE, kindless.id(), Json.write(withoutKind));
        // not reports (Report refuses them): no findings, an id that is not a UUID
        Report nullFindings = hosts.report("web1", "/etc/nothing");
        hosts.send(reportsTopic, "web1", KEY_ONE, nullFindings.id(), nullFindings.toJson().replaceFirst("\"findings\":\\[.*\\]", "\"findings\":null"));
        Report farTime = hosts.report("web1", "/etc/far");
        hosts.send(reportsTopic, "web1", KEY_ONE, farTime.id(),
                farTime.toJson().replace(daemon.now().toString(), "+1000000000-01-01T00:00:00Z"));
        Report longId = hosts.report("web1", "/etc/long-id");
        String id = "x".repeat(100);
        hosts.send(reportsTopic, "web1", KEY_ONE, id, longId.toJson().replace(longId.id(), id));
        String longKind = "K".repeat(65);
        Report storable = Report.of(Source.FILES, List.of(
                new Finding(Source.FILES, "MODIFIED", "/etc/nul\u0000name", "web1", daemon.now(), Severity.WARNING, Map.of()),
                new Finding(Source.FILES, "MODIFIED", "/etc/lone-SURROGATE", "web1", daemon.now(), Severity.WARNING, Map.of()),
                new Finding(Source.FILES, longKind, "/etc/long-kind", "web1", daemon.now(), Severity.WARNING, Map.of())),
                daemon.now());
        hosts.send(reportsTopic, "web1", KEY_ONE, storable.id(), storable.toJson().replace("SURROGATE", "\\ud800"));
        hosts.send("web1", KEY_ONE, hosts.report("web1", "/etc/after"));
        Map<String, Object> beat = new java.util.LinkedHashMap<>();
        beat.put("host", "web2");
        beat.put("version", "0.1\u0000");
        beat.put("sentAt", "S".repeat(65));
        beat.put("seal", Map.of("value", "a".repeat(1000), "rows", 10));
        // a NUL after the JSON, which its parser does not read to
        hosts.send(hosts.heartbeatsTopic(), "web2", KEY_TWO, "web2:1", Json.write(beat) + "\u0000");
        hosts.heartbeat("web1", KEY_ONE, "seal-1");

        Await.until("both good reports' findings in the alert file, and web1's heartbeat stored", () ->
                alertSubjects().containsAll(List.of("/etc/before", "/etc/after")) && new FleetStore(fleet).hosts().size() == 2);
        Await.until("seven REJECTED in the alert file", () -> kinds("REJECTED") == 7);
        assertEquals(List.of(
                "a finding without its source, kind, subject, time or severity",
                "a finding's time beyond what the fleet store keeps: +1000000000-01-01T00:00:00Z",
                "bad signature (or a timestamp beyond vigil.collect.maxAge)",
                "bad signature (or a timestamp beyond vigil.collect.maxAge)",
                "no plain host name as the key and vigil-host header",
                "not a report: ",
                "not a report: "), quarantineReasons().stream().sorted().toList());
        assertEquals(List.of("web\uFFFD"), column("SELECT host FROM quarantine WHERE host <> 'web1'"));
        assertEquals(List.of("/etc/lone-?", "/etc/nul\uFFFDname"),
                column("SELECT subject FROM findings WHERE subject LIKE '/etc/nul%' OR subject LIKE '/etc/lone%' ORDER BY subject"));
        assertEquals(List.of("K".repeat(64)), column("SELECT kind FROM findings WHERE subject = '/etc/long-kind'"));
        assertTrue(new FleetStore(fleet).findings("web1", everything()).stream().anyMatch(f -> f.kind().equals(longKind)),
                "the finding's JSON keeps its kind whole");
        assertTrue(alerted("MODIFIED").stream().anyMatch(f -> f.subject().equals("/etc/nul\u0000name")),
                "the channel has the finding as the host made it");
        assertEquals(List.of("a".repeat(100) + " " + "S".repeat(64) + " 0.1\uFFFD"),
                column("SELECT hosts.seal || ' ' || seals.sent_at || ' ' || hosts.version FROM hosts JOIN seals ON seals.host = hosts.name WHERE hosts.name = 'web2'"));
        Await.until("every stored finding forwarded", this::forwardedAll);
    }

    /**
     * A host signs each attempt anew, so a report sent again long after (its broker's answer lost, then the host down)
     * is told from a new one by its id only: ids are kept as long as findings, and a report made before that is
     * quarantined, not stored twice.
     */
    @ParameterizedTest
    @EnumSource(Store.class)
    void aReportSentAgainAfterItsIdIsForgottenIsQuarantinedNotStoredTwice(Store store) throws Exception {
        Main collector = start(store, Map.of("vigil.history.keep", "3d", "vigil.collect.maxAge", "1d",
                "vigil.report.files.reportTime", "0", "vigil.report.fleet.reportTime", "0"));
        Report early = hosts.report("web1", "/etc/early");
        hosts.send("web1", KEY_ONE, early);
        Await.until("the report stored", () -> count("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED") == 1);
        collector.stop();
        daemon.advance(Duration.ofDays(2));
        Main twoDaysOn = restart();
        hosts.send("web1", KEY_ONE, early); // sent again two days on, within vigil.history.keep: known
        hosts.send("web1", KEY_ONE, hosts.report("web1", "/etc/marker"));
        Await.until("the marker stored", () -> count("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED") == 2);
        assertEquals(1, count("SELECT COUNT(*) FROM findings WHERE subject = '/etc/early'"));

        twoDaysOn.stop();
        daemon.advance(Duration.ofDays(3));
        restart(); // forgets the ids processed more than vigil.history.keep and a day ago: the early report's
        Await.until("the early report's id forgotten", () -> count("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED") == 1);
        hosts.send("web1", KEY_ONE, early);
        Await.until("the early report quarantined", () -> count("SELECT COUNT(*) FROM quarantine") == 1);
        assertEquals(List.of("made before the collector's memory of report ids (vigil.history.keep): it may be stored already"),
                quarantineReasons());
        assertEquals(0, count("SELECT COUNT(*) FROM findings WHERE subject = '/etc/early'"),
                "not stored again (its first row went with vigil.history.keep)");
        hosts.send("web1", KEY_ONE, hosts.report("web1", "/etc/after"));
        Await.until("a later report stored", () -> count("SELECT COUNT(*) FROM findings WHERE subject = '/etc/after'") == 1);
    }

    /**
     * A report id is its host's: a host's root that learnt another host's report id (from the topic, or an alert the
     * other host sent elsewhere first) and sent a report of its own under it, before the other's or in the same poll,
     * hides neither report.
     */
    @ParameterizedTest
    @EnumSource(Store.class)
    void aReportIdAnotherHostSentFirstHidesNeitherReport(Store store) throws Exception {
        Main collector = start(store, Map.of("vigil.report.files.reportTime", "0"));
        Report web2 = hosts.report("web2", "/etc/hosts");
        hosts.send("web1", KEY_ONE, underTheIdOf(web2, hosts.report("web1", "/etc/decoy")));
        Await.until("web1's report stored", () -> count("SELECT COUNT(*) FROM findings WHERE subject = '/etc/decoy'") == 1);
        hosts.send("web2", KEY_TWO, web2);
        collector.getCamelContext().getRouteController().stopRoute("collect-reports");
        Report web1 = hosts.report("web1", "/etc/later");
        hosts.send("web2", KEY_TWO, underTheIdOf(web1, hosts.report("web2", "/etc/decoy-in-the-same-poll")));
        hosts.send("web1", KEY_ONE, web1);
        collector.getCamelContext().getRouteController().startRoute("collect-reports");

        Await.until("the four reports stored", () -> count("SELECT COUNT(*) FROM findings") == 4);
        assertEquals(List.of("/etc/decoy", "/etc/later"), new FleetStore(fleet).findings("web1", everything()).stream()
                .map(Finding::subject).sorted().toList());
        assertEquals(List.of("/etc/decoy-in-the-same-poll", "/etc/hosts"), new FleetStore(fleet).findings("web2", everything())
                .stream().map(Finding::subject).sorted().toList());
        Await.until("the four findings in the alert file", () -> alertSubjects().size() == 4);
        hosts.send("web2", KEY_TWO, web2); // and a report sent again is still one already stored
        hosts.send("web2", KEY_TWO, hosts.report("web2", "/etc/marker"));
        Await.until("the marker stored", () -> count("SELECT COUNT(*) FROM findings WHERE subject = '/etc/marker'") == 1);
        assertEquals(1, count("SELECT COUNT(*) FROM findings WHERE subject = '/etc/hosts'"));
    }

    /** {@code report} as it would be with {@code other}'s report id. */
    private static Report underTheIdOf(Report other, Report report) {
        return new Report(other.id(), report.source(), report.host(), report.created(), report.findings());
    }

    @Test
    void forgedRecordsClaimingThirtyHostsAreRejectedOnTheCollectorsHostTenReportsAtOnceAndTheRestTogether() throws Exception {
        Main collector = start(Store.SQLITE, Map.of());
        for (int i = 0; i < 30; i++) {
            Report forged = hosts.report("forger" + i, "/etc/forged");
            hosts.send(hosts.reportsTopic(), "forger" + i, "some-key", forged.id(), forged.toJson());
        }

        Await.until("ten REJECTED reports at once", () -> kinds("REJECTED") == 10);
        dev.vigil.camel.daemon.ReportPipeline reports = collector.getCamelContext().getRegistry()
                .lookupByNameAndType("reports", dev.vigil.camel.daemon.ReportPipeline.class);
        Await.until("the other twenty waiting for the minute", () -> reports.waiting() == 20);
        String collectorHost = collector.getCamelContext().resolvePropertyPlaceholders("{{vigil.host}}");
        assertTrue(alerted("REJECTED").stream().allMatch(f -> f.host().equals(collectorHost)
                && f.details().get("claimedHost").toString().startsWith("forger")), "the collector's findings, naming the claim");

        daemon.advance(Duration.ofSeconds(60));
        Await.until("the other twenty", () -> kinds("REJECTED") == 30);
        assertEquals(11, alertReports().stream().filter(r -> r.findings().stream().anyMatch(f -> f.kind().equals("REJECTED"))).count(),
                "one pool for them all, not one a made-up host: ten reports at once, then one");
        assertEquals(30, quarantineReasons().size());
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void aPollWithAQuarantinedRecordAmongGoodOnesStoresTheGoodOnesOnceAndQuarantinesTheBadOne(Store store) throws Exception {
        Main collector = start(store, Map.of("vigil.report.files.reportTime", "0"));
        // the records wait in the topic while the consumer is stopped: its first poll after the start reads them all
        collector.getCamelContext().getRouteController().stopRoute("collect-reports");
        Report first = hosts.report("web1", "/etc/first");
        hosts.send("web1", KEY_ONE, first);
        Report tampered = hosts.report("web1", "/etc/tampered");
        hosts.send(hosts.reportsTopic(), "web1", "not-the-key-of-web1", tampered.id(), tampered.toJson());
        hosts.send("web2", KEY_TWO, hosts.report("web2", "/etc/second", "/etc/third"));
        hosts.send("web1", KEY_ONE, first); // the same report id again in the same poll
        collector.getCamelContext().getRouteController().startRoute("collect-reports");

        Await.until("the REJECTED and the three good findings in the alert file", () -> kinds("REJECTED") == 1
                && alertSubjects().containsAll(List.of("/etc/first", "/etc/second", "/etc/third")));
        assertEquals(List.of("/etc/first", "/etc/second", "/etc/third"), alertSubjects().stream().sorted().toList());
        assertEquals(List.of("bad signature (or a timestamp beyond vigil.collect.maxAge)"), quarantineReasons());
        assertEquals(List.of("/etc/first", "/etc/second", "/etc/third"), new FleetStore(fleet).findings(null, everything())
                .stream().filter(f -> f.kind().equals("MODIFIED")).map(Finding::subject).sorted().toList());
        Await.until("every stored finding forwarded", this::forwardedAll);
    }

    /**
     * A record larger than vigil.collect.maxRecord, signed with its host's key, on either topic: quarantined with its
     * first 64 KiB and its size, REJECTED, and the records after it taken as usual.
     */
    @ParameterizedTest
    @EnumSource(Store.class)
    void recordsLargerThanTheMaximumAreQuarantinedOnBothTopicsAndTheRestGoesOn(Store store) throws Exception {
        start(store, Map.of("vigil.collect.maxRecord", "4096", "vigil.report.files.reportTime", "0"));
        Report huge = hosts.report("web1", "/etc/" + "h".repeat(100_000));
        hosts.send("web1", KEY_ONE, huge);
        Map<String, Object> beat = Map.of("host", "web2", "padding", "p".repeat(100_000));
        hosts.send(hosts.heartbeatsTopic(), "web2", KEY_TWO, "web2:huge", Json.write(beat));
        hosts.send("web1", KEY_ONE, hosts.report("web1", "/etc/after"));
        hosts.heartbeat("web2", KEY_TWO, "seal-1");

        Await.until("both REJECTED, the good finding and web2's good heartbeat", () -> kinds("REJECTED") == 2
                && alertSubjects().contains("/etc/after") && new FleetStore(fleet).hosts().size() == 1);
        assertTrue(quarantineReasons().stream().allMatch(r -> r.startsWith("larger than vigil.collect.maxRecord (")),
                quarantineReasons().toString());
        assertEquals(2, quarantineReasons().size());
        assertEquals(List.of(String.valueOf(4 * ((64 * 1024 + 2) / 3))),
                column("SELECT DISTINCT LENGTH(raw) FROM quarantine"), "the first 64 KiB of each, in base64");
        assertFalse(alertSubjects().contains(huge.findings().get(0).subject()));
    }

    /**
     * A poll read again (its offsets where a collector killed before its commit leaves them) finds its forged records'
     * quarantine rows and REJECTED stored with its reports: nothing is stored or reported twice, and it is committed.
     */
    @ParameterizedTest
    @EnumSource(Store.class)
    void aPollReadAgainStoresAndReportsItsQuarantinedRecordsOnce(Store store) throws Exception {
        Main collector = start(store, Map.of("vigil.report.files.reportTime", "0"));
        hosts.send("web1", KEY_ONE, hosts.report("web1", "/etc/first"));
        for (int i = 0; i < 3; i++) {
            Report forged = hosts.report("web1", "/etc/forged");
            hosts.send(hosts.reportsTopic(), "web1", "not-the-key-of-web1", forged.id(), forged.toJson());
        }
        hosts.send("web2", KEY_TWO, hosts.report("web2", "/etc/second"));
        Await.until("three REJECTED and both good findings in the alert file", () -> kinds("REJECTED") == 3
                && alertSubjects().containsAll(List.of("/etc/first", "/etc/second")) && forwardedAll());

        readAgain(collector, hosts.reportsTopic(), 5);
        hosts.send("web1", KEY_ONE, hosts.report("web1", "/etc/marker"));
        Await.until("the marker in the alert file", () -> alertSubjects().contains("/etc/marker") && forwardedAll());

        assertEquals(3, kinds("REJECTED"), "each REJECTED reported once");
        assertEquals(List.of("/etc/first", "/etc/marker", "/etc/second"), alertSubjects().stream().sorted().toList());
        assertEquals(3, count("SELECT COUNT(*) FROM quarantine"));
        assertEquals(3, count("SELECT COUNT(*) FROM findings WHERE kind = 'REJECTED'"));
        assertEquals(6, count("SELECT COUNT(*) FROM findings"));
    }

    /**
     * Beyond vigil.collect.quarantineMax rows, records that fail their checks are counted, not kept: one
     * quarantine_overflow row a partition and hour, one REJECTED for it. The reports around them go on; a poll read
     * again keeps, counts and reports nothing twice, in the hour or the next; a later poll of the hour adds to its row;
     * the next hour has a row of its own.
     */
    @ParameterizedTest
    @EnumSource(Store.class)
    void forgedRecordsBeyondTheQuarantinesBoundAreCountedAnHourAPartitionNotKept(Store store) throws Exception {
        Main collector = start(store, Map.of("vigil.collect.quarantineMax", "2", "vigil.report.files.reportTime", "0"));
        hosts.send("web1", KEY_ONE, hosts.report("web1", "/etc/first"));
        long kept = forge("web1") + forge("web1");
        long counted = forge("web1") + forge("web1") + forge("web1");
        hosts.send("web2", KEY_TWO, hosts.report("web2", "/etc/second"));
        Await.until("three REJECTED and both good findings in the alert file", () -> kinds("REJECTED") == 3
                && alertSubjects().containsAll(List.of("/etc/first", "/etc/second")) && forwardedAll());
        assertEquals(kept, count("SELECT SUM(size) FROM quarantine"));
        assertEquals(List.of("0/1", "0/2"), column("SELECT partition_no || '/' || record_offset FROM quarantine "
                + "ORDER BY record_offset"), "the first two kept");
        assertEquals(List.of("3 5 3 " + counted), overflowRows(), "the other three counted: offsets 3 to 5");
        assertEquals(1, alerted("REJECTED").stream().filter(f -> f.subject().equals("records of "
                + hosts.reportsTopic() + "/0 failed their checks beyond the quarantine's bound: counted, not kept"))
                .filter(Finding::critical).count());

        readAgain(collector, hosts.reportsTopic(), 7);
        hosts.send("web1", KEY_ONE, hosts.report("web1", "/etc/marker"));
        Await.until("the marker in the alert file", () -> alertSubjects().contains("/etc/marker") && forwardedAll());
        assertEquals(3, kinds("REJECTED"), "each REJECTED reported once");
        assertEquals(2, count("SELECT COUNT(*) FROM quarantine"));
        assertEquals(List.of("3 5 3 " + counted), overflowRows(), "each record counted once");

        long later = forge("web2");
        hosts.send("web1", KEY_ONE, hosts.report("web1", "/etc/second-marker"));
        Await.until("the second marker in the alert file", () -> alertSubjects().contains("/etc/second-marker")
                && forwardedAll());
        assertEquals(List.of("3 8 4 " + (counted + later)), overflowRows(), "a later poll of the hour adds to its row");
        assertEquals(3, kinds("REJECTED"), "no REJECTED more for the hour's row");

        daemon.advance(Duration.ofHours(1));
        readAgain(collector, hosts.reportsTopic(), 10);
        assertEquals(List.of("3 8 4 " + (counted + later)), overflowRows(), "read again in the next hour: not again");
        assertEquals(2, count("SELECT COUNT(*) FROM quarantine"));
        long nextHour = forge("web2");
        Await.until("the next hour's REJECTED", () -> kinds("REJECTED") == 4 && forwardedAll());
        assertEquals(List.of("3 8 4 " + (counted + later), "10 10 1 " + nextHour), overflowRows());
        assertEquals(4, count("SELECT COUNT(*) FROM findings WHERE kind = 'REJECTED'"));
    }

    /** Sends a report of {@code host} signed with a key not its own; returns the record's size in bytes. */
    private long forge(String host) throws Exception {
        Report forged = hosts.report(host, "/etc/forged");
        hosts.send(hosts.reportsTopic(), host, "not-the-key-of-" + host, forged.id(), forged.toJson());
        return forged.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /** The quarantine_overflow rows, each its first and last offset, its count and bytes, in the order of their hours. */
    private List<String> overflowRows() throws SQLException {
        return column("SELECT first_offset || ' ' || last_offset || ' ' || records || ' ' || size "
                + "FROM quarantine_overflow ORDER BY hour_start");
    }

    /**
     * A host's findings beyond vigil.collect.hostMaxBytes are not stored: a report that would pass it is quarantined
     * with a REJECTED naming the bound (a smaller one that fits is stored), while another host's reports are stored. Each host's
     * bytes are kept in the store (host_shares, added to as findings are stored, counted again from the findings by the
     * retention as the collector starts and daily), so a collector started again holds the host to what it stored, a
     * poll read again counts nothing twice, and the findings the retention deletes no longer count.
     */
    @ParameterizedTest
    @EnumSource(Store.class)
    void aHostsReportsBeyondItsShareOfTheStoreAreQuarantinedWhileAnotherHostsAreStored(Store store) throws Exception {
        Main collector = start(store, Map.of("vigil.collect.hostMaxBytes", "64KB", "vigil.history.keep", "1d",
                "vigil.report.files.reportTime", "0"));
        for (int i = 0; i < 8; i++) {
            hosts.send("web1", KEY_ONE, large("web1", "/etc/large/" + i));
        }
        hosts.send("web2", KEY_TWO, hosts.report("web2", "/etc/other-host"));
        Await.until("web2's finding and two REJECTED in the alert file", () -> kinds("REJECTED") == 2
                && alertSubjects().contains("/etc/other-host") && forwardedAll());
        assertEquals(List.of("/etc/large/0", "/etc/large/1", "/etc/large/2", "/etc/large/3", "/etc/large/4",
                "/etc/large/5"), column("SELECT subject FROM findings WHERE host = 'web1' ORDER BY subject"),
                "six findings of about 10 KB fit in 64 KiB, a seventh does not");
        assertEquals(List.of("6", "7"), column("SELECT record_offset FROM quarantine ORDER BY record_offset"));
        assertTrue(quarantineReasons().stream().allMatch(r -> r.contains("vigil.collect.hostMaxBytes")),
                quarantineReasons().toString());
        List<String> stored = storedByHost();
        assertEquals(stored, shares(), "each host's bytes in host_shares, added as they were stored");
        hosts.heartbeat("web1", KEY_ONE, "seal-1");
        Await.until("web1 in the fleet store's hosts", () -> new FleetStore(fleet).hosts().size() == 1);
        long web1Bytes = count("SELECT SUM(OCTET_LENGTH(finding)) FROM findings WHERE host = 'web1'");
        assertEquals(web1Bytes, new FleetStore(fleet).hosts().get(0).storedBytes());
        CommandRun hostsListed = CommandRun.vigil("hosts", "--config", config.toString());
        String share = " (" + Math.round(100.0 * web1Bytes / 65536) + "%) ";
        assertTrue(hostsListed.out().lines().anyMatch(l -> l.startsWith("web1 ") && l.contains(" KiB" + share)),
                hostsListed + " names web1's share" + share);
        readAgain(collector, hosts.reportsTopic(), 9);
        assertEquals(2, count("SELECT COUNT(*) FROM findings WHERE kind = 'REJECTED'"),
                "read again, the reports stored are found processed before their host's share is weighed");
        assertEquals(List.of("6", "7"), column("SELECT record_offset FROM quarantine ORDER BY record_offset"));

        collector.stop();
        execute("DELETE FROM host_shares"); // as in a store an older collector kept
        Main restarted = restart();
        Await.until("the findings counted as the collector started", () -> shares().equals(stored));
        readShares(restarted);
        hosts.send("web1", KEY_ONE, large("web1", "/etc/large/after-restart"));
        hosts.send("web1", KEY_ONE, hosts.report("web1", "/etc/small"));
        Await.until("the small finding in the alert file, the large one REJECTED", () ->
                alertSubjects().contains("/etc/small") && kinds("REJECTED") == 3 && forwardedAll());
        assertEquals(0, count("SELECT COUNT(*) FROM findings WHERE subject = '/etc/large/after-restart'"));
        List<String> withTheSmallOne = storedByHost();
        assertEquals(withTheSmallOne, shares());

        daemon.advance(Duration.ofDays(2));
        restarted.getCamelContext().getRouteController().stopRoute("fleet-store-retention");
        restarted.getCamelContext().getRouteController().startRoute("fleet-store-retention");
        // waited for in the store: the retention counts each host in a transaction of its own, and a notification
        // of its exchange completing came before the last count
        Await.until("the findings the retention deleted no longer counted", () -> shares().equals(List.of("web1 0", "web2 0")));
        readShares(restarted);
        hosts.send("web1", KEY_ONE, large("web1", "/etc/large/after-retention"));
        Await.until("the large finding stored", () ->
                count("SELECT COUNT(*) FROM findings WHERE subject = '/etc/large/after-retention'") == 1);
        assertEquals(3, kinds("REJECTED"));
    }

    /** Has the collector read the hosts' shares of the store now, as route fleet-shares does every 10 s. */
    private static void readShares(Main collector) {
        collector.getCamelContext().createFluentProducerTemplate().to("direct:fleet-shares-read").request();
    }

    /** A report of {@code host} with one finding of about 10 KB of JSON. */
    private Report large(String host, String subject) {
        return Report.of(Source.FILES, List.of(new Finding(Source.FILES, "MODIFIED", subject, host,
                daemon.clock().instant(), Severity.WARNING, Map.of("note", "x".repeat(10_000)))), daemon.clock().instant());
    }

    /** Each host's bytes of findings' JSON in the store, counted from the findings (its own excluded), by host. */
    private List<String> storedByHost() throws SQLException {
        return column("SELECT host || ' ' || SUM(OCTET_LENGTH(finding)) FROM findings WHERE source <> 'fleet'"
                + " GROUP BY host ORDER BY host");
    }

    /**
     * The rows of host_shares, each its host and bytes, by host, but the collector's own (counted again with the rest,
     * at 0: its findings are of source fleet).
     */
    private List<String> shares() {
        try {
            return column("SELECT host || ' ' || bytes FROM host_shares WHERE host <> 'test-host' ORDER BY host");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void aReportOfManyFindingsHasEveryFindingStoredAndForwarded(Store store) throws Exception {
        start(store, Map.of());
        hosts.send("web1", KEY_ONE, hosts.report("web1", IntStream.range(0, 1500).mapToObj(i -> "/etc/many/" + i)
                .toArray(String[]::new)));

        Await.until("the report's 1,500 findings stored", () -> count("SELECT COUNT(*) FROM findings WHERE subject LIKE '/etc/many/%'") == 1500);
        Await.until("every stored finding forwarded", this::forwardedAll);
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void findingsAKillLeftStoredAndNotForwardedAreLeftAloneWhileYoungAndForwardedOnceWhenOrphaned(Store store) throws Exception {
        Main collector = start(store, Map.of("vigil.report.files.reportTime", "0"));
        hosts.send("web1", KEY_ONE, hosts.report("web1", "/etc/forwarded"));
        Await.until("the first finding in the alert file, its poll's unforwarded row gone",
                () -> alertSubjects().contains("/etc/forwarded") && forwardedAll());
        collector.stop();
        // As kills leave them: the forwarded finding named again (a kill before its unforwarded row went), a poll's
        // findings stored and named, more than one look-up takes (a kill before the report pipeline had them), the
        // first twelve of them one report's (ids .../0 to .../11), and a finding an older collector stored with
        // forwarded = 0 and did not forward.
        List<String> subjects = new ArrayList<>();
        List<String> named = new ArrayList<>();
        String manyFindings = UUID.randomUUID().toString();
        try (Connection c = fleet.getConnection()) {
            c.setAutoCommit(false);
            try (var insert = c.prepareStatement("INSERT INTO findings (id, report_id, host, source, kind, severity,"
                    + " subject, found_at, stored_at, finding, forwarded) VALUES (?, ?, 'web2', 'files', 'MODIFIED',"
                    + " 'WARNING', ?, ?, ?, ?, ?)")) {
                for (int i = 0; i <= FleetRecords.IDS_PER_LOOKUP; i++) {
                    String subject = i == FleetRecords.IDS_PER_LOOKUP ? "/etc/legacy" : "/etc/stored/" + i;
                    String reportId = i < 12 ? manyFindings : UUID.randomUUID().toString();
                    Finding f = new Finding(Source.FILES, "MODIFIED", subject, "web2", daemon.clock().instant(),
                            Severity.WARNING, Map.of());
                    String id = reportId + "/" + (i < 12 ? i : 0);
                    insert.setString(1, id);
                    insert.setString(2, reportId);
                    insert.setString(3, subject);
                    insert.setLong(4, f.time().toEpochMilli());
                    insert.setLong(5, f.time().toEpochMilli());
                    insert.setString(6, Json.write(f));
                    insert.setInt(7, subject.equals("/etc/legacy") ? 0 : 1);
                    insert.executeUpdate();
                    subjects.add(subject);
                    if (!subject.equals("/etc/legacy")) {
                        named.add(id);
                    }
                }
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT id FROM findings WHERE subject = '/etc/forwarded'")) {
                rs.next();
                named.add(rs.getString(1));
            }
            try (var insert = c.prepareStatement("INSERT INTO unforwarded (id, stored_at, findings) VALUES (?, ?, ?)")) {
                insert.setString(1, named.get(0));
                insert.setLong(2, daemon.clock().instant().toEpochMilli());
                insert.setString(3, String.join("\n", named));
                insert.executeUpdate();
            }
            c.commit();
        }

        Main restarted = restart();
        Main beside = another();
        // each collector's two look-ups (10 s timers), waited for together: each run twice from now
        List<NotifyBuilder> looks = new ArrayList<>();
        for (Main each : List.of(restarted, beside)) {
            for (String route : List.of("fleet-orphaned-polls", "fleet-orphaned-findings")) {
                looks.add(new NotifyBuilder(each.getCamelContext()).fromRoute(route).whenCompleted(2).create());
            }
        }
        for (NotifyBuilder look : looks) {
            assertTrue(look.matches(60, TimeUnit.SECONDS), "each collector looked for orphans twice");
        }
        assertTrue(alertSubjects().stream().noneMatch(subjects::contains),
                "left to the collector that stored them for vigil.collect.orphanAge: it may be forwarding them");
        // one collector left: another's event history does not hold /etc/forwarded, and it would forward it again
        beside.stop();
        daemon.advance(Duration.ofMinutes(2).plusSeconds(1));
        Await.until("every finding left unforwarded in the alert file", () -> alertSubjects().containsAll(subjects));
        Await.until("no finding left unforwarded", this::forwardedAll);

        subjects.add("/etc/forwarded");
        assertEquals(subjects.stream().sorted().toList(), alertSubjects().stream().sorted().toList(), "each finding once");
        List<String> oneReports = IntStream.range(0, 12).mapToObj(i -> "/etc/stored/" + i).toList();
        assertEquals(oneReports, alertSubjects().stream().filter(oneReports::contains).toList(),
                "a report's findings in its order, its eleventh after its third");
    }

    /**
     * A collector whose report pipeline waits longer than vigil.collect.orphanAge (here for its own database's write
     * lock, which the test holds) keeps renewing its hold on the poll it stored, and on a finding of its own (a
     * REJECTED): another collector of the store does not take them for orphans, and the channels have them once.
     */
    @ParameterizedTest
    @EnumSource(Store.class)
    void aPollOrFindingWhosePipelineIsSlowerThanTheOrphanAgeIsLeftToItsCollector(Store store) throws Exception {
        Main collector = start(store, Map.of("vigil.report.files.reportTime", "0", "vigil.report.fleet.reportTime", "0",
                "vigil.report.fleet.reportHoldoff", "0"));
        Main beside = another();
        // beside only looks for orphans: every poll is the first collector's
        beside.getCamelContext().getRouteController().stopRoute("collect-reports");
        hosts.send("web1", KEY_ONE, hosts.report("web1", "/etc/first"));
        Await.until("the first finding forwarded", () -> alertSubjects().contains("/etc/first") && forwardedAll());

        try (Connection own = java.sql.DriverManager.getConnection("jdbc:sqlite:" + daemon.dir.resolve("vigil.db"));
             Statement lock = own.createStatement()) {
            // the collector's event history waits for this (up to SQLite's busy timeout, 30 s)
            lock.execute("BEGIN IMMEDIATE");
            hosts.send("web1", KEY_ONE, hosts.report("web1", "/etc/slow"));
            Await.until("the poll stored, its pipeline waiting", () -> count("SELECT COUNT(*) FROM unforwarded") == 1);
            threeMinutesRenewed("the hold renewed");
            TestDaemon.awaitCompleted(beside, "fleet-orphaned-polls", 1);
            // a look-up that found the row just before its last renewal: its claim takes nothing
            beside.getCamelContext().createProducerTemplate().sendBodyAndHeader("direct:fleet-orphaned-poll",
                    Map.of("id", column("SELECT id FROM unforwarded").get(0),
                            "findings", column("SELECT findings FROM unforwarded").get(0)),
                    "fleetOrphanCutoff", daemon.clock().millis() - 1);
            assertEquals(1, count("SELECT COUNT(*) FROM unforwarded"), "three minutes old, left to its collector");
            assertFalse(alertSubjects().contains("/etc/slow"), "not forwarded by the collector beside");
            assertEquals(1, collector.getCamelContext().getInflightRepository().size("collect-reports"),
                    "the poll still waits in the pipeline (SQLite's busy timeout has not passed)");
            lock.execute("ROLLBACK");
        }

        Await.until("the slow poll forwarded", () -> alertSubjects().contains("/etc/slow") && forwardedAll());
        TestDaemon.awaitCompleted(beside, "fleet-orphaned-polls", 1);
        assertEquals(List.of("/etc/first", "/etc/slow"), alertSubjects(), "each once");

        try (Connection own = java.sql.DriverManager.getConnection("jdbc:sqlite:" + daemon.dir.resolve("vigil.db"));
             Statement lock = own.createStatement()) {
            lock.execute("BEGIN IMMEDIATE");
            Report forged = hosts.report("web1", "/etc/forged");
            hosts.send(hosts.reportsTopic(), "web1", "not-the-key-of-web1", forged.id(), forged.toJson());
            Await.until("the REJECTED stored, its pipeline waiting",
                    () -> count("SELECT COUNT(*) FROM findings WHERE kind = 'REJECTED'") == 1);
            threeMinutesRenewed("the REJECTED's hold renewed");
            // both of beside's looks, at once (the pipeline waits for the lock up to SQLite's busy timeout, 30 s)
            NotifyBuilder polls = new NotifyBuilder(beside.getCamelContext()).fromRoute("fleet-orphaned-polls")
                    .whenCompleted(1).create();
            NotifyBuilder findings = new NotifyBuilder(beside.getCamelContext()).fromRoute("fleet-orphaned-findings")
                    .whenCompleted(1).create();
            assertTrue(polls.matches(20, TimeUnit.SECONDS) && findings.matches(20, TimeUnit.SECONDS),
                    "the collector beside looked for orphans");
            assertEquals(1, count("SELECT COUNT(*) FROM unforwarded"), "three minutes old, left to its collector");
            assertEquals(0, kinds("REJECTED"), "not forwarded by the collector beside");
            assertEquals(1, collector.getCamelContext().getInflightRepository().size("collect-reports"),
                    "the REJECTED's poll still waits in the pipeline (SQLite's busy timeout has not passed)");
            lock.execute("ROLLBACK");
        }
        Await.until("the REJECTED forwarded", () -> kinds("REJECTED") == 1 && forwardedAll());
        TestDaemon.awaitCompleted(beside, "fleet-orphaned-polls", 1);
        assertEquals(1, kinds("REJECTED"), "once");
    }

    /** Advances the test's clock three minutes, one at a time, each time waiting for the one unforwarded row's renewal. */
    private void threeMinutesRenewed(String what) throws InterruptedException {
        for (int minute = 0; minute < 3; minute++) {
            daemon.advance(Duration.ofMinutes(1));
            long now = daemon.clock().millis();
            Await.until(what, () -> storedAt().equals(List.of(now)));
        }
    }

    private List<Long> storedAt() {
        try {
            return column("SELECT stored_at FROM unforwarded").stream().map(Long::valueOf).toList();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void aHostWhoseHeartbeatsStopIsSilentOnceAndBackOnce(Store store) throws Exception {
        Main collector = startWithBothHostsHeartbeating(store);
        daemon.advance(Duration.ofMinutes(4));
        hosts.heartbeat("web2", KEY_TWO, "seal-1");
        Await.until("web2's second heartbeat stored", () -> new FleetStore(fleet).hosts().get(1).lastHeartbeat()
                .equals(daemon.now().truncatedTo(ChronoUnit.SECONDS)));
        daemon.advance(Duration.ofMinutes(2));

        Await.until("HOST_SILENT in the alert file", () -> kinds("HOST_SILENT") == 1);
        TestDaemon.awaitCompleted(collector, "fleet-silence", 3);
        CommandRun hostsListed = CommandRun.vigil("hosts", "--config", config.toString());
        assertEquals(0, hostsListed.status(), hostsListed.toString());
        assertTrue(hostsListed.out().lines().anyMatch(l -> l.startsWith("web1 ") && l.contains("fanotify") && l.contains("SILENT")),
                hostsListed.toString());
        assertTrue(hostsListed.out().lines().anyMatch(l -> l.startsWith("web2 ") && l.contains(" ok ")), hostsListed.toString());
        CommandRun events = CommandRun.vigil("events", "--host", "web1", "--config", config.toString());
        assertEquals(0, events.status(), events.toString());
        assertTrue(events.out().contains("web1  fleet HOST_SILENT"), events.toString());
        hosts.heartbeat("web1", KEY_ONE, "seal-1");
        Await.until("HOST_BACK in the alert file", () -> kinds("HOST_BACK") == 1);
        TestDaemon.awaitCompleted(collector, "fleet-silence", 3);

        assertEquals(1, kinds("HOST_SILENT"));
        assertEquals(1, kinds("HOST_BACK"));
        assertTrue(alertReports().stream().flatMap(r -> r.findings().stream())
                .filter(f -> f.kind().startsWith("HOST_")).allMatch(f -> f.host().equals("web1")));
    }

    /**
     * A collector started after a stop longer than the silence reads the heartbeats sent meanwhile before it judges
     * any host silent: it waits the silence from its start (judging at once, it found every host's last stored
     * heartbeat older than the silence and reported each silent, then back). A host that stopped meanwhile is silent
     * once that wait is over.
     */
    @ParameterizedTest
    @EnumSource(Store.class)
    void aCollectorStartedAfterAStopLongerThanTheSilenceJudgesSilenceOnlyOnceItHasReadThatLong(Store store) throws Exception {
        Main collector = startWithBothHostsHeartbeating(store);
        collector.stop();
        daemon.advance(Duration.ofMinutes(10));
        hosts.heartbeat("web1", KEY_ONE, "seal-1"); // web2 stopped while the collector was down

        Main restarted = restart();
        Instant sent = daemon.now().truncatedTo(ChronoUnit.SECONDS);
        Await.until("web1's heartbeat read", () -> new FleetStore(fleet).hosts().get(0).lastHeartbeat().equals(sent));
        TestDaemon.awaitCompleted(restarted, "fleet-silence", 3);
        assertEquals(0, kinds("HOST_SILENT"));
        daemon.advance(Duration.ofMinutes(4));
        hosts.heartbeat("web1", KEY_ONE, "seal-1");
        Instant later = daemon.now().truncatedTo(ChronoUnit.SECONDS);
        Await.until("web1's next heartbeat read", () -> new FleetStore(fleet).hosts().get(0).lastHeartbeat().equals(later));
        daemon.advance(Duration.ofMinutes(2));

        Await.until("HOST_SILENT in the alert file", () -> kinds("HOST_SILENT") == 1);
        TestDaemon.awaitCompleted(restarted, "fleet-silence", 3);
        assertEquals(List.of("web2"), alerted("HOST_SILENT").stream().map(Finding::host).toList());
        assertEquals(0, kinds("HOST_BACK"));
    }

    /**
     * A heartbeat sent longer than the silence ago (read from a backlog behind a flood, or sent again) says nothing of
     * the host now: it brings no silent host back, which the silence check found silent again at once (a HOST_BACK and
     * a HOST_SILENT for each such heartbeat). A fresh one does, once.
     */
    @ParameterizedTest
    @EnumSource(Store.class)
    void aHeartbeatOlderThanTheSilenceBringsNoSilentHostBack(Store store) throws Exception {
        Main collector = startWithWeb1Heartbeating(store);
        daemon.advance(Duration.ofMinutes(6));
        Await.until("HOST_SILENT in the alert file", () -> kinds("HOST_SILENT") == 1);

        Instant lateSent = daemon.now().minus(Duration.ofSeconds(330)).truncatedTo(ChronoUnit.SECONDS);
        try (FleetHosts late = new FleetHosts(KAFKA.bootstrapServers(), hosts.reportsTopic(), hosts.heartbeatsTopic(),
                () -> lateSent)) {
            late.heartbeat("web1", KEY_ONE, "seal-1");
        }
        Await.until("the late heartbeat stored", () -> new FleetStore(fleet).hosts().get(0).lastHeartbeat().equals(lateSent));
        TestDaemon.awaitCompleted(collector, "fleet-silence", 3);
        assertEquals(0, kinds("HOST_BACK"));
        assertEquals(1, kinds("HOST_SILENT"));

        hosts.heartbeat("web1", KEY_ONE, "seal-1");
        Await.until("HOST_BACK in the alert file", () -> kinds("HOST_BACK") == 1);
        TestDaemon.awaitCompleted(collector, "fleet-silence", 3);
        assertEquals(1, kinds("HOST_SILENT"));
        assertEquals(1, kinds("HOST_BACK"));
    }

    /**
     * A host's mark (silent, or back) and its finding are stored together: while the finding cannot be stored (a
     * trigger refuses it, as a full disk would), the mark is not either, and the finding is made once it can be.
     */
    @ParameterizedTest
    @EnumSource(Store.class)
    void aHostSilentOrBackThatCannotBeStoredLeavesTheHostAsItWasUntilItCan(Store store) throws Exception {
        Main collector = startWithWeb1Heartbeating(store);
        refuse(store, "HOST_SILENT");
        NotifyBuilder refused = new NotifyBuilder(collector.getCamelContext()).fromRoute("fleet-silence").whenFailed(2).create();
        daemon.advance(Duration.ofMinutes(6));
        assertTrue(refused.matches(60, TimeUnit.SECONDS), "the silence check failed twice");
        assertEquals(0, count("SELECT silent FROM hosts WHERE name = 'web1'"), "not marked without its HOST_SILENT");

        allow(store);
        Await.until("HOST_SILENT in the alert file", () -> kinds("HOST_SILENT") == 1);
        assertEquals(1, count("SELECT silent FROM hosts WHERE name = 'web1'"));
        refuse(store, "HOST_BACK");
        NotifyBuilder backRefused = new NotifyBuilder(collector.getCamelContext()).fromRoute("collect-heartbeats").whenFailed(2).create();
        hosts.heartbeat("web1", KEY_ONE, "seal-1");
        assertTrue(backRefused.matches(60, TimeUnit.SECONDS), "the heartbeat failed twice");
        assertEquals(1, count("SELECT silent FROM hosts WHERE name = 'web1'"), "still silent without its HOST_BACK");

        allow(store);
        Await.until("HOST_BACK in the alert file", () -> kinds("HOST_BACK") == 1);
        TestDaemon.awaitCompleted(collector, "fleet-silence", 3);
        assertEquals(0, count("SELECT silent FROM hosts WHERE name = 'web1'"));
        assertEquals(1, kinds("HOST_SILENT"));
        assertEquals(1, kinds("HOST_BACK"));
    }

    /** A collector with a silence of 5 minutes and its fleet findings reported at once, and web1's first heartbeat read. */
    private Main startWithWeb1Heartbeating(Store store) throws Exception {
        Main collector = startReportingSilence(store);
        hosts.heartbeat("web1", KEY_ONE, "seal-1");
        Await.until("web1 in the fleet store", () -> new FleetStore(fleet).hosts().size() == 1);
        return collector;
    }

    private Main startWithBothHostsHeartbeating(Store store) throws Exception {
        Main collector = startReportingSilence(store);
        hosts.heartbeat("web1", KEY_ONE, "seal-1");
        hosts.heartbeat("web2", KEY_TWO, "seal-1");
        Await.until("both hosts in the fleet store", () -> new FleetStore(fleet).hosts().size() == 2);
        return collector;
    }

    /** A collector with a silence of five minutes, reporting fleet findings at once. */
    private Main startReportingSilence(Store store) throws Exception {
        return start(store, Map.of("vigil.collect.silence", "5m", "vigil.report.fleet.reportTime", "0",
                "vigil.report.fleet.reportHoldoff", "0"));
    }

    /** Makes the fleet store refuse to store a finding of {@code kind}, as a full disk would refuse every one. */
    private void refuse(Store store, String kind) throws SQLException {
        refuse(store, "findings", "NEW.kind = '" + kind + "'");
    }

    /** Has the fleet store refuse rows inserted into {@code table} for which {@code when} holds, as a full disk would. */
    private void refuse(Store store, String table, String when) throws SQLException {
        if (store == Store.SQLITE) {
            execute("CREATE TRIGGER refuse_kind BEFORE INSERT ON " + table + " WHEN " + when
                    + " BEGIN SELECT RAISE(ABORT, 'refused'); END");
        } else {
            execute("CREATE OR REPLACE FUNCTION refuse_finding() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$"
                    + " LANGUAGE plpgsql");
            execute("CREATE TRIGGER refuse_kind BEFORE INSERT ON " + table + " FOR EACH ROW WHEN (" + when
                    + ") EXECUTE FUNCTION refuse_finding()");
        }
    }

    private void allow(Store store) throws SQLException {
        allow(store, "findings");
    }

    private void allow(Store store, String table) throws SQLException {
        execute(store == Store.SQLITE ? "DROP TRIGGER refuse_kind" : "DROP TRIGGER refuse_kind ON " + table);
    }

    private void execute(String statement) throws SQLException {
        try (Connection c = fleet.getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /**
     * A host's findings are its root's to write, each up to a record's size: the collector's report pool lists them
     * only while their text fits vigil.report.files.maxChars and counts the rest (a host sending thousands of such
     * findings within a holdoff ran the collector out of memory, and again at each start, as its event history
     * pooled them again). The fleet store keeps each whole.
     */
    @ParameterizedTest
    @EnumSource(Store.class)
    void aHostsFindingsArePooledWhileTheirTextFitsTheBoundAndTheFleetStoreKeepsEachWhole(Store store) throws Exception {
        start(store, Map.of("vigil.report.files.maxChars", "250000"));
        for (int i = 0; i < 5; i++) {
            Finding large = new Finding(Source.FILES, "MODIFIED", "/srv/" + i, "web1", daemon.now(), Severity.WARNING,
                    Map.of("after", Map.of("xattrs", Map.of("user.note", "x".repeat(100_000)))));
            hosts.send("web1", KEY_ONE, Report.of(Source.FILES, List.of(large), daemon.now()));
        }
        Await.until("the findings stored", () -> new FleetStore(fleet).findings("web1", everything()).size() == 5);
        // pooled before the report's time comes: one stored, not yet forwarded, would wait for the next report
        Await.until("every stored finding forwarded", this::forwardedAll);
        daemon.advance(Duration.ofSeconds(15));

        Await.until("the report in the alert file", () -> alertReports().stream().anyMatch(r -> r.host().equals("web1")));
        List<String> listed = alertReports().stream().filter(r -> r.host().equals("web1"))
                .flatMap(r -> r.findings().stream()).map(Finding::subject).toList();
        assertEquals(List.of("/srv/0", "/srv/1", "3 more findings not in this report; vigil events lists them"), listed);
        assertTrue(new FleetStore(fleet).findings("web1", everything()).stream()
                .allMatch(f -> Json.write(f).contains("x".repeat(100_000))), "each finding whole in the fleet store");
    }

    /**
     * A host's open deviations are its file findings since its last ACCEPTED, an UNLISTED one (a full pool's report
     * ends with it) counted as the findings it stands for; {@code vigil events --kind UNLISTED} finds it.
     */
    @ParameterizedTest
    @EnumSource(Store.class)
    void openDeviationsCountWhatAnUnlistedFindingStandsFor(Store store) throws Exception {
        start(store, Map.of());
        hosts.heartbeat("web1", KEY_ONE, "seal-1");
        hosts.send("web1", KEY_ONE, hosts.report("web1", "/etc/before"));
        daemon.advance(Duration.ofMinutes(1));
        hosts.send("web1", KEY_ONE, Report.of(Source.FILES, List.of(new Finding(Source.FILES, "ACCEPTED", "accept /etc/before",
                "web1", daemon.now(), Severity.NOTICE, Map.of())), daemon.now()));
        daemon.advance(Duration.ofMinutes(1));
        Instant now = daemon.now();
        hosts.send("web1", KEY_ONE, Report.of(Source.FILES, List.of(
                new Finding(Source.FILES, "MODIFIED", "/etc/after", "web1", now, Severity.WARNING, Map.of()),
                new Finding(Source.FILES, "UNLISTED", "7 more findings not in this report; vigil events lists them", "web1", now,
                        Severity.WARNING, Map.of("count", 7, "byKind", Map.of("ADDED", 7), "first", now.toString(),
                                "last", now.toString()))), now));
        hosts.send("web1", KEY_ONE, Report.of(Source.LOGS, List.of(new Finding(Source.LOGS, "SECURITY_EVENT", "sshd: a line",
                "web1", now, Severity.WARNING, Map.of())), now));
        Await.until("the findings stored", () -> count("SELECT COUNT(*) FROM findings") == 5
                && new FleetStore(fleet).hosts().size() == 1);

        assertEquals(8, new FleetStore(fleet).hosts().get(0).openDeviations(), "/etc/after and the 7 UNLISTED stands for");
        CommandRun hostsListed = CommandRun.vigil("hosts", "--config", config.toString());
        assertTrue(hostsListed.out().lines().anyMatch(l -> l.startsWith("web1 ") && l.endsWith(" 8")), hostsListed.toString());
        CommandRun unlisted = CommandRun.vigil("events", "--host", "web1", "--kind", "unlisted", "--config", config.toString());
        assertEquals(0, unlisted.status(), unlisted.toString());
        assertEquals(1, unlisted.out().lines().filter(l -> l.contains("files UNLISTED ") && l.endsWith(" 7 more findings not in this report; vigil events lists them")).count(), unlisted.toString());
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void aSealChangedWithoutAnAcceptedReportIsBaselineTamperedOnce(Store store) throws Exception {
        Main collector = startJudgingSeals(store);
        bothHostsAtSealOneAndWeb2AcceptsSealTwo();
        daemon.advance(Duration.ofMinutes(1));
        // changed behind Vigil's back, to a seal made to trip the look-up of its announcements (LIKE's wildcards,
        // its escape character at the end)
        String tripping = "seal-%_\\";
        hosts.heartbeat("web1", KEY_ONE, tripping);
        hosts.heartbeat("web2", KEY_TWO, "seal-2"); // changed by vigil accept, announced
        Await.until("both new seals in the seal history", () -> sealRows() == 4);
        daemon.advance(Duration.ofMinutes(11));

        Await.until("BASELINE_TAMPERED in the alert file", () -> kinds("BASELINE_TAMPERED") == 1);
        TestDaemon.awaitCompleted(collector, "fleet-seals", 3);
        List<Finding> tampered = alerted("BASELINE_TAMPERED");
        assertEquals(1, tampered.size());
        assertEquals("web1", tampered.get(0).host());
        assertEquals(tripping, tampered.get(0).details().get("to"));
        assertTrue(tampered.get(0).critical());

        // announced, to a seal with characters the finding's JSON escapes (a quote, a backslash, a NUL, which the fleet
        // store's columns hold as U+FFFD), which the look-up reads
        String escaped = "seal-\"3\\\u0000";
        hosts.send("web2", KEY_TWO, accepted("web2", escaped));
        Await.until("web2's second ACCEPTED in the fleet store", () -> new FleetStore(fleet).findings("web2", everything()).size() == 2);
        daemon.advance(Duration.ofMinutes(1));
        hosts.heartbeat("web2", KEY_TWO, escaped);
        Await.until("web2's third seal in the seal history", () -> sealRows() == 5);
        daemon.advance(Duration.ofMinutes(11));
        TestDaemon.awaitCompleted(collector, "fleet-seals", 3);
        assertEquals(1, kinds("BASELINE_TAMPERED"), "the change to " + escaped + " was announced");
    }

    /**
     * A heartbeat sent before the host's current seal was first shown, sent again by anyone who can write to the topic
     * (its signature holds for vigil.collect.maxAge), says nothing of the host now: it does not roll the seal back to
     * one nobody announced since, and no BASELINE_TAMPERED comes of it.
     */
    @ParameterizedTest
    @EnumSource(Store.class)
    void aHeartbeatSentAgainFromBeforeTheCurrentSealDoesNotRollItBack(Store store) throws Exception {
        Main collector = startJudgingSeals(store);
        Instant sealOneSent = daemon.now();
        bothHostsAtSealOneAndWeb2AcceptsSealTwo();
        daemon.advance(Duration.ofMinutes(1));
        hosts.heartbeat("web2", KEY_TWO, "seal-2");
        Await.until("web2's new seal in the seal history", () -> sealRows() == 3);

        try (FleetHosts replaying = new FleetHosts(KAFKA.bootstrapServers(), hosts.reportsTopic(), hosts.heartbeatsTopic(),
                () -> sealOneSent)) {
            replaying.heartbeat("web2", KEY_TWO, "seal-1");
        }
        daemon.advance(Duration.ofMinutes(1));
        hosts.heartbeat("web2", KEY_TWO, "seal-2");
        Instant last = daemon.now().truncatedTo(ChronoUnit.SECONDS);
        Await.until("the heartbeat after the replayed one read", () -> new FleetStore(fleet).hosts().get(1).lastHeartbeat().equals(last));
        daemon.advance(Duration.ofMinutes(11));
        TestDaemon.awaitCompleted(collector, "fleet-seals", 3);

        assertEquals(0, kinds("BASELINE_TAMPERED"));
        assertEquals(List.of("web1 seal-1", "web2 seal-1", "web2 seal-2"), seals().stream().sorted().toList());
    }

    /**
     * A host's key signs as many heartbeats as it likes: of new seals shown faster than vigil.collect.sealsPerHour, at
     * most that many in an hour go into the seal history, its hosts row and the seal decision (each unannounced one a
     * BASELINE_TAMPERED finding, outside the host's share of the store); the first seal shown after the hour is judged
     * as a change from the last taken.
     */
    @ParameterizedTest
    @EnumSource(Store.class)
    void newSealsBeyondTheHoursBoundAreJudgedWithTheFirstShownAfterTheHour(Store store) throws Exception {
        Main collector = start(store, Map.of("vigil.collect.sealTolerance", "10m", "vigil.report.fleet.reportTime", "0",
                "vigil.collect.sealsPerHour", "3"));
        Instant last = null;
        for (int i = 1; i <= 5; i++) {
            hosts.heartbeat("web1", KEY_ONE, "seal-" + i);
            last = daemon.now().truncatedTo(ChronoUnit.SECONDS);
            daemon.advance(Duration.ofSeconds(1));
        }
        Instant fifth = last;
        Await.until("the fifth heartbeat applied", () -> new FleetStore(fleet).hosts().stream()
                .anyMatch(h -> h.lastHeartbeat().equals(fifth)));
        assertEquals(List.of("web1 seal-1", "web1 seal-2", "web1 seal-3"), seals().stream().sorted().toList());
        assertEquals(List.of("seal-3"), column("SELECT seal FROM hosts"));
        daemon.advance(Duration.ofMinutes(11));
        assertTamperedOnce(List.of("web1 seal-1 seal-2", "web1 seal-2 seal-3"), collector);

        daemon.advance(Duration.ofMinutes(49));
        hosts.heartbeat("web1", KEY_ONE, "seal-6");
        Await.until("the seal shown after the hour in the seal history", () -> sealRows() == 4);
        daemon.advance(Duration.ofMinutes(11));
        assertTamperedOnce(List.of("web1 seal-1 seal-2", "web1 seal-2 seal-3", "web1 seal-3 seal-6"), collector);
    }

    /**
     * A heartbeat signed before the last one applied but after the current seal was first shown (a host's clock set
     * back; any host's key can sign one) moves the seal decision, not the hosts row: the heartbeats after it showing the
     * same seal are no change to the decision, and add no seal history rows (each did before, without bound: the rows
     * were made whenever the seal differed from the hosts row's).
     */
    @ParameterizedTest
    @EnumSource(Store.class)
    void heartbeatsShowingASealTheDecisionHoldsAddNoSealHistoryRows(Store store) throws Exception {
        start(store, Map.of());
        Instant t0 = daemon.now();
        hosts.heartbeat("web1", KEY_ONE, "seal-1");
        daemon.advance(Duration.ofMinutes(10));
        hosts.heartbeat("web1", KEY_ONE, "seal-1");
        for (int minute = 5; minute <= 7; minute++) {
            Instant signed = t0.plus(Duration.ofMinutes(minute));
            try (FleetHosts earlier = new FleetHosts(KAFKA.bootstrapServers(), hosts.reportsTopic(), hosts.heartbeatsTopic(),
                    () -> signed)) {
                earlier.heartbeat("web1", KEY_ONE, "seal-2");
            }
        }
        long lastSigned = t0.plus(Duration.ofMinutes(7)).toEpochMilli();
        Await.until("the last heartbeat applied", () -> count("SELECT COUNT(*) FROM applied_heartbeats WHERE signed_at = "
                + lastSigned) == 1);
        assertEquals(List.of("web1 seal-1", "web1 seal-2"), seals().stream().sorted().toList());
    }

    /**
     * Heartbeats read again (where a collector killed before its poll's commit leaves them) are not applied again: for
     * a host whose clock runs ahead of the collector's, its earlier heartbeat applied after its later one read as the
     * seal changed back, announced by nobody (a false BASELINE_TAMPERED), and rolled its hosts row back.
     */
    @ParameterizedTest
    @EnumSource(Store.class)
    void heartbeatsReadAgainAreNotAppliedAgain(Store store) throws Exception {
        Main collector = startJudgingSeals(store);
        java.time.InstantSource aheadClock = () -> daemon.now().plus(Duration.ofMinutes(5));
        try (FleetHosts ahead = new FleetHosts(KAFKA.bootstrapServers(), hosts.reportsTopic(), hosts.heartbeatsTopic(),
                aheadClock)) {
            ahead.heartbeat("web2", KEY_TWO, "seal-1");
            Await.until("web2 in the fleet store", () -> new FleetStore(fleet).hosts().size() == 1);
            daemon.advance(Duration.ofMinutes(1));
            Instant acceptedAt = aheadClock.instant();
            ahead.send("web2", KEY_TWO, Report.of(Source.FILES, List.of(new Finding(Source.FILES, "ACCEPTED",
                    "accept /etc/hosts", "web2", acceptedAt, Severity.NOTICE, Map.of("seal", "seal-2"))), acceptedAt));
            Await.until("web2's ACCEPTED in the fleet store",
                    () -> new FleetStore(fleet).findings("web2", everything()).size() == 1);
            ahead.heartbeat("web2", KEY_TWO, "seal-2");
            Await.until("web2's new seal in the seal history", () -> sealRows() == 2);
        }

        readAgain(collector, hosts.heartbeatsTopic(), 2);
        assertEquals(List.of("seal-2"), column("SELECT seal FROM hosts WHERE name = 'web2'"),
                "the hosts row as the later heartbeat left it");
        daemon.advance(Duration.ofMinutes(11));
        TestDaemon.awaitCompleted(collector, "fleet-seals", 3);
        assertEquals(0, kinds("BASELINE_TAMPERED"));
        assertEquals(List.of("web2 seal-1", "web2 seal-2"), seals().stream().sorted().toList());
    }

    /**
     * A heartbeat is applied only after its host's heartbeat applied last, whichever collector applied that one: a
     * collector still applying the records of a partition a rebalance took from it (camel-kafka's batch keeps them)
     * does not roll back a host the partition's new owner has moved on; a topic made anew (offsets from 0, signed
     * later) or another partition has its heartbeats applied. The host's clock runs
     * ahead of the collectors', so every heartbeat's last_heartbeat is the collectors' time: only the guard tells them
     * apart.
     */
    @ParameterizedTest
    @EnumSource(Store.class)
    void aHeartbeatIsAppliedOnlyAfterItsHostsHeartbeatAppliedLastByEitherCollector(Store store) throws Exception {
        Main collector = start(store, Map.of());
        Main beside = another();
        Instant ahead = daemon.now().plus(Duration.ofMinutes(5));

        apply(collector, heartbeat("web2", 0, 10, ahead, "seal-1"));
        apply(beside, heartbeat("web2", 0, 11, ahead.plusSeconds(60), "seal-2"));
        apply(collector, heartbeat("web2", 0, 10, ahead, "seal-1"));
        assertEquals(List.of("seal-2 0 11"), hostsSealAndApplied("web2"), "the earlier heartbeat not applied again");
        assertEquals(List.of("web2 seal-1", "web2 seal-2"), seals().stream().sorted().toList());

        apply(collector, heartbeat("web2", 0, 3, ahead.plusSeconds(120), "seal-3"));
        assertEquals(List.of("seal-3 0 3"), hostsSealAndApplied("web2"), "a topic made anew");
        apply(beside, heartbeat("web2", 1, 2, ahead.plusSeconds(180), "seal-4"));
        assertEquals(List.of("seal-4 1 2"), hostsSealAndApplied("web2"), "another partition");
    }

    /**
     * A collector that judges a change of a host whose heartbeats another collector reads since (a rebalance) takes it
     * out of the state the fleet store keeps, not writes its own older state over it: the changes the other has seen
     * since, a tampering and its undoing within the tolerance, are still judged, each once. (Written over, the host's
     * state lost them, and the other collector took that state at the host's next heartbeat.)
     */
    @ParameterizedTest
    @EnumSource(Store.class)
    void aChangeOneCollectorJudgesLeavesTheChangesAnotherSawSinceToBeJudged(Store store) throws Exception {
        Main collector = startJudgingSeals(store);
        Main beside = another();
        Await.until("the second collector judging seals", () -> beside.getCamelContext().getRouteController()
                .getRouteStatus("fleet-seals").isStarted());
        beside.getCamelContext().getRouteController().stopRoute("fleet-seals");

        apply(collector, heartbeat("web2", 0, 10, daemon.now(), "seal-1"));
        daemon.advance(Duration.ofMinutes(1));
        apply(collector, heartbeat("web2", 0, 11, daemon.now(), "seal-2")); // behind Vigil's back
        daemon.advance(Duration.ofMinutes(1));
        apply(beside, heartbeat("web2", 0, 12, daemon.now(), "seal-3")); // the partition now the other's
        daemon.advance(Duration.ofMinutes(1));
        apply(beside, heartbeat("web2", 0, 13, daemon.now(), "seal-2")); // undone, within the tolerance
        daemon.advance(Duration.ofSeconds(8 * 60 + 30)); // the first change's tolerance passed, not the others'
        assertTamperedOnce(List.of("web2 seal-1 seal-2"), collector);

        apply(beside, heartbeat("web2", 0, 14, daemon.now(), "seal-2")); // takes the state the store keeps
        beside.getCamelContext().getRouteController().startRoute("fleet-seals");
        daemon.advance(Duration.ofMinutes(10));
        assertTamperedOnce(List.of("web2 seal-1 seal-2", "web2 seal-2 seal-3", "web2 seal-3 seal-2"), collector, beside);
    }

    /**
     * A heartbeat of a host whose later heartbeat another collector is applying at that moment (a rebalance: the
     * records of a partition taken from one stay in its batch) waits for that one's commit, then finds the later
     * heartbeat applied and is not applied: the guard is claimed in the heartbeat's transaction, not read before it.
     * PostgreSQL's row lock; SQLite has one writer at a time.
     */
    @Test
    void aHeartbeatWaitsForItsHostsLaterHeartbeatAnotherCollectorIsApplyingAndIsNotApplied() throws Exception {
        Main collector = start(Store.POSTGRESQL, Map.of());
        Instant sent = daemon.now();
        apply(collector, heartbeat("web2", 0, 10, sent, "seal-1"));
        try (Connection other = fleet.getConnection(); Statement s = other.createStatement()) {
            other.setAutoCommit(false);
            s.executeUpdate("UPDATE applied_heartbeats SET record_offset = 12, signed_at = "
                    + sent.plusSeconds(120).toEpochMilli() + " WHERE host = 'web2'");
            s.executeUpdate("UPDATE hosts SET seal = 'seal-3' WHERE name = 'web2'");
            CompletableFuture<Void> applying = CompletableFuture.runAsync(
                    () -> apply(collector, heartbeat("web2", 0, 11, sent.plusSeconds(60), "seal-2")));
            Await.until("the heartbeat's claim waiting for the other collector's", () -> waitsForALock("INSERT INTO applied_heartbeats"));
            other.commit();
            applying.get(60, TimeUnit.SECONDS);
        }
        assertEquals(List.of("seal-3 0 12"), hostsSealAndApplied("web2"));
        assertEquals(List.of("web2 seal-1"), seals(), "the earlier heartbeat's seal not in the history");
    }

    /**
     * A judged change leaves its host's state in the fleet store while no heartbeat of the host is being applied: a
     * heartbeat's transaction that read the state before the judgement and wrote it after would bring the change
     * back, held in no collector's memory (it left this one's with the judgement), to be judged again only at a later
     * heartbeat or restart, a second finding once the first has aged out of the store. PostgreSQL; SQLite has one
     * writer at a time.
     */
    @Test
    void aChangeIsJudgedOutOfItsHostsStateBetweenItsHeartbeatsTransactions() throws Exception {
        Main collector = startJudgingSeals(Store.POSTGRESQL);
        apply(collector, heartbeat("web2", 0, 10, daemon.now(), "seal-1"));
        daemon.advance(Duration.ofMinutes(1));
        apply(collector, heartbeat("web2", 0, 11, daemon.now(), "seal-2")); // behind Vigil's back
        List<String> read = column("SELECT state FROM seal_states WHERE host = 'web2'");
        SealHistory.HostState waiting = Json.read(read.get(0), SealHistory.HostState.class);
        assertEquals(1, waiting.waiting().size());
        SealHistory.Change next = new SealHistory.Change("seal-2", "seal-3", daemon.now(), waiting.currentShown());
        try (Connection other = fleet.getConnection(); Statement s = other.createStatement()) {
            other.setAutoCommit(false);
            // another collector applying web2's next heartbeat: its claim, the state read above, then its write
            s.executeUpdate("UPDATE applied_heartbeats SET record_offset = 12 WHERE host = 'web2'");
            daemon.advance(Duration.ofMinutes(10));
            Await.until("the judgement waiting for the heartbeat's transaction, or done", () -> waitsForALock(
                    "UPDATE applied_heartbeats") || count("SELECT COUNT(*) FROM seal_states WHERE host = 'web2' AND state <> '"
                    + read.get(0).replace("'", "''") + "'") > 0);
            List<SealHistory.Change> both = new ArrayList<>(waiting.waiting());
            both.add(next);
            s.executeUpdate("UPDATE seal_states SET state = '" + Json.write(new SealHistory.HostState("seal-3", daemon.now(),
                    both, daemon.now(), null, 0)).replace("'", "''") + "' WHERE host = 'web2'");
            other.commit();
        }
        assertTamperedOnce(List.of("web2 seal-1 seal-2"), collector);
        assertEquals(List.of(next), column("SELECT state FROM seal_states WHERE host = 'web2'").stream()
                .flatMap(state -> Json.read(state, SealHistory.HostState.class).waiting().stream()).toList());
    }

    /** Whether a statement beginning with {@code statement} waits for a lock another transaction holds (PostgreSQL). */
    private boolean waitsForALock(String statement) {
        return count("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '"
                + statement + "%'") > 0;
    }

    /** Applies a checked heartbeat as route collect-heartbeats does, one of a poll of {@code collector}'s. */
    private static void apply(Main collector, Map<String, Object> heartbeat) {
        collector.getCamelContext().createProducerTemplate().sendBodyAndHeader("direct:fleet-apply-heartbeat",
                heartbeat, "fleetHost", heartbeat.get("name"));
    }

    /** A heartbeat's hosts row as {@link FleetRecords#checkHeartbeats} makes it, read from {@code partition} at {@code offset}. */
    private Map<String, Object> heartbeat(String host, int partition, long offset, Instant sent, String seal) {
        Map<String, Object> row = new HashMap<>();
        row.put("name", host);
        row.put("lastHeartbeat", Math.min(daemon.clock().millis(), sent.toEpochMilli()));
        row.put("sent", sent);
        row.put("signedAt", sent.toEpochMilli());
        row.put("version", "test");
        row.put("startedAt", "");
        row.put("sentAt", sent.toString());
        row.put("mode", "inotify");
        row.put("lastFullCheck", "");
        row.put("seal", seal);
        row.put("sealRows", 1L);
        row.put("heartbeat", "{}");
        row.put("partition", partition);
        row.put("offset", offset);
        return row;
    }

    /** The host's seal in its hosts row, and the partition and offset of its heartbeat applied last. */
    private List<String> hostsSealAndApplied(String host) throws SQLException {
        return column("SELECT h.seal || ' ' || a.partition_no || ' ' || a.record_offset FROM hosts h JOIN "
                + "applied_heartbeats a ON a.host = h.name WHERE h.name = '" + host + "'");
    }

    /**
     * A heartbeat whose transaction fails after the seal decision took it (the store refuses its hosts row, as a full
     * disk would) is decided again from the state the store kept, not from the one the failed attempt left in the
     * collector's memory: the host's first seal, applied once the store takes it, has its decision state kept (with
     * the state in memory, the seal read as no change, and no state was kept).
     */
    @ParameterizedTest
    @EnumSource(Store.class)
    void aHeartbeatThatFailedAfterItsSealWasDecidedIsDecidedAgainFromTheStore(Store store) throws Exception {
        Main collector = startJudgingSeals(store);
        refuse(store, "hosts", "NEW.seal = 'seal-1'");
        NotifyBuilder refused = new NotifyBuilder(collector.getCamelContext()).fromRoute("collect-heartbeats")
                .whenFailed(2).create();
        hosts.heartbeat("web1", KEY_ONE, "seal-1");
        assertTrue(refused.matches(60, TimeUnit.SECONDS), "the heartbeat failed twice");
        assertEquals(0, count("SELECT COUNT(*) FROM seal_states"), "rolled back with the hosts row");

        allow(store, "hosts");
        Await.until("web1 in the fleet store", () -> count("SELECT COUNT(*) FROM hosts WHERE seal = 'seal-1'") == 1);
        assertEquals(List.of("seal-1"), column("SELECT state FROM seal_states WHERE host = 'web1'").stream()
                .map(state -> Json.read(state, SealHistory.HostState.class).current()).toList());
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void aSealChangeAndAnAnnouncementSeenBeforeTheCollectorRestartsAreJudgedAfterIt(Store store) throws Exception {
        Main collector = startJudgingSeals(store);
        bothHostsAtSealOneAndWeb2AcceptsSealTwo();
        daemon.advance(Duration.ofMinutes(1));
        hosts.heartbeat("web1", KEY_ONE, "seal-2"); // changed behind Vigil's back, seen before the restart
        Await.until("web1's new seal in the seal history", () -> sealRows() == 3);
        collector.stop();

        Main restarted = restart();
        daemon.advance(Duration.ofMinutes(1));
        hosts.heartbeat("web2", KEY_TWO, "seal-2"); // announced before the restart, shown after it
        Await.until("web2's new seal in the seal history", () -> sealRows() == 4);
        daemon.advance(Duration.ofMinutes(10));

        assertTamperedOnce(List.of("web1 seal-1 seal-2"), restarted);
    }

    /**
     * With two collectors, a host's heartbeats and its reports (two topics) may be read by different ones; here
     * each reads one topic. The ACCEPTED one of them stores still explains the seal change the other sees.
     */
    @ParameterizedTest
    @EnumSource(Store.class)
    void anAcceptedReadByOneCollectorExplainsTheSealChangeAnotherReadsInAHeartbeat(Store store) throws Exception {
        Main heartbeatsReader = startJudgingSeals(store);
        Main reportsReader = another();
        heartbeatsReader.getCamelContext().getRouteController().stopRoute("collect-reports");
        reportsReader.getCamelContext().getRouteController().stopRoute("collect-heartbeats");
        bothHostsAtSealOneAndWeb2AcceptsSealTwo();
        daemon.advance(Duration.ofMinutes(1));
        hosts.heartbeat("web1", KEY_ONE, "seal-2"); // changed behind Vigil's back
        hosts.heartbeat("web2", KEY_TWO, "seal-2"); // changed by vigil accept, announced to the other collector
        Await.until("both new seals in the seal history", () -> sealRows() == 4);
        daemon.advance(Duration.ofMinutes(11));

        assertTamperedOnce(List.of("web1 seal-1 seal-2"), heartbeatsReader, reportsReader);
    }

    /**
     * A collector that takes a host's heartbeats over (the one reading them stopped while a change waited for its
     * tolerance) judges the change from the state the other kept, once, though it never read the host before.
     */
    @ParameterizedTest
    @EnumSource(Store.class)
    void aCollectorTakingAHostOverJudgesTheChangeTheOtherSawWaiting(Store store) throws Exception {
        Main first = startJudgingSeals(store);
        Main second = another();
        second.getCamelContext().getRouteController().stopRoute("collect-heartbeats");
        hosts.heartbeat("web1", KEY_ONE, "seal-1");
        daemon.advance(Duration.ofMinutes(1));
        hosts.heartbeat("web1", KEY_ONE, "seal-2"); // changed behind Vigil's back
        Await.until("both seals in the seal history", () -> sealRows() == 2);
        first.stop(); // once the heartbeat it is reading is done
        second.getCamelContext().getRouteController().startRoute("collect-heartbeats");
        daemon.advance(Duration.ofMinutes(1));
        hosts.heartbeat("web1", KEY_ONE, "seal-2");
        Await.until("web1's heartbeat read by the second collector", () -> new FleetStore(fleet).hosts().get(0).lastHeartbeat()
                .equals(daemon.now().truncatedTo(ChronoUnit.SECONDS)));
        daemon.advance(Duration.ofMinutes(10));

        assertTamperedOnce(List.of("web1 seal-1 seal-2"), second);
    }

    /**
     * An announcement counts for a change when the host made it no earlier than its old seal was first shown: two
     * accepts between two heartbeats explain the last seal, one coming after the heartbeat within the tolerance
     * explains it, an accept undone by another within the tolerance is two changes each announced, and a baseline
     * rolled back to the seal of an earlier accept is tampering.
     */
    @ParameterizedTest
    @EnumSource(Store.class)
    void anAnnouncementExplainsAChangeOnlyWhenMadeSinceTheOldSealWasShown(Store store) throws Exception {
        Main collector = startJudgingSeals(store);
        hosts.heartbeat("web1", KEY_ONE, "seal-1");
        hosts.heartbeat("web2", KEY_TWO, "seal-1");
        Await.until("both hosts in the fleet store", () -> new FleetStore(fleet).hosts().size() == 2);
        daemon.advance(Duration.ofMinutes(1));
        hosts.send("web1", KEY_ONE, accepted("web1", "seal-2"));
        hosts.send("web1", KEY_ONE, accepted("web1", "seal-3"));
        Await.until("web1's ACCEPTED in the fleet store", () -> new FleetStore(fleet).findings("web1", everything()).size() == 2);
        daemon.advance(Duration.ofMinutes(1));
        hosts.heartbeat("web1", KEY_ONE, "seal-3"); // both accepts made since seal-1 was shown
        hosts.heartbeat("web2", KEY_TWO, "seal-2"); // its ACCEPTED still in its host's report pool
        Await.until("both new seals in the seal history", () -> sealRows() == 4);
        daemon.advance(Duration.ofMinutes(1));
        hosts.heartbeat("web1", KEY_ONE, "seal-2"); // rolled back: seal-2's accept was made before seal-3 was shown
        hosts.send("web2", KEY_TWO, accepted("web2", "seal-2"));
        Await.until("web1's rollback in the seal history and web2's ACCEPTED in the fleet store", () -> sealRows() == 5
                && new FleetStore(fleet).findings("web2", everything()).size() == 1);
        daemon.advance(Duration.ofMinutes(1));
        hosts.send("web2", KEY_TWO, accepted("web2", "seal-1")); // undone by another accept, within the tolerance
        Await.until("web2's second ACCEPTED in the fleet store", () -> new FleetStore(fleet).findings("web2", everything()).size() == 2);
        hosts.heartbeat("web2", KEY_TWO, "seal-1");
        Await.until("web2's return to seal-1 in the seal history", () -> sealRows() == 6);
        daemon.advance(Duration.ofMinutes(11));

        assertTamperedOnce(List.of("web1 seal-3 seal-2"), collector);
    }

    private Report accepted(String host, String seal) {
        return Report.of(Source.FILES, List.of(new Finding(Source.FILES, "ACCEPTED", "accept /etc/hosts", host, daemon.now(),
                Severity.NOTICE, Map.of("seal", seal))), daemon.now());
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void findingsQuarantineAndPastSealsOlderThanTheKeepGoWhileEachHostsLatestSealStays(Store store) throws Exception {
        Main collector = start(store, Map.of("vigil.history.keep", "1d", "vigil.report.files.reportTime", "0"));
        hosts.heartbeat("web1", KEY_ONE, "seal-1");
        hosts.heartbeat("web2", KEY_TWO, "seal-1");
        hosts.send("web1", KEY_ONE, hosts.report("web1", "/etc/old"));
        Report tampered = hosts.report("web1", "/etc/tampered");
        hosts.send(hosts.reportsTopic(), "web1", "not-the-key-of-web1", tampered.id(), tampered.toJson());
        Await.until("the old finding forwarded, the record quarantined, both seals kept", () -> sealRows() == 2
                && count("SELECT COUNT(*) FROM quarantine") == 1 && forwardedAll()
                && new FleetStore(fleet).findings("web1", everything()).stream().anyMatch(f -> f.subject().equals("/etc/old")));
        daemon.advance(Duration.ofDays(2));
        hosts.heartbeat("web1", KEY_ONE, "seal-2");
        hosts.send("web1", KEY_ONE, hosts.report("web1", "/etc/recent"));
        Await.until("the recent finding and web1's new seal stored", () -> sealRows() == 3
                && new FleetStore(fleet).findings("web1", everything()).stream().anyMatch(f -> f.subject().equals("/etc/recent")));

        // a poll stored a day and a half ago and still named in unforwarded, its row's time renewed since: kept
        long then = daemon.clock().millis() - Duration.ofHours(36).toMillis();
        String named = UUID.randomUUID() + "/0";
        try (Connection c = fleet.getConnection();
             var finding = c.prepareStatement("INSERT INTO findings (id, report_id, host, source, kind, severity, subject,"
                     + " found_at, stored_at, finding, forwarded) VALUES (?, ?, 'web2', 'files', 'MODIFIED', 'WARNING',"
                     + " '/etc/named', ?, ?, ?, 1)");
             var unforwarded = c.prepareStatement("INSERT INTO unforwarded (id, stored_at, findings) VALUES (?, ?, ?)")) {
            finding.setString(1, named);
            finding.setString(2, named.substring(0, named.indexOf('/')));
            finding.setLong(3, then);
            finding.setLong(4, then);
            finding.setString(5, Json.write(new Finding(Source.FILES, "MODIFIED", "/etc/named", "web2",
                    Instant.ofEpochMilli(then), Severity.WARNING, Map.of())));
            finding.executeUpdate();
            unforwarded.setString(1, named);
            unforwarded.setLong(2, daemon.clock().millis());
            unforwarded.setString(3, named);
            unforwarded.executeUpdate();
        }
        NotifyBuilder pruned = new NotifyBuilder(collector.getCamelContext()).fromRoute("fleet-store-retention").whenCompleted(1).create();
        collector.getCamelContext().getRouteController().stopRoute("fleet-store-retention");
        collector.getCamelContext().getRouteController().startRoute("fleet-store-retention");
        assertTrue(pruned.matches(60, TimeUnit.SECONDS), "the retention ran again");

        List<String> subjects = new FleetStore(fleet).findings(null, everything()).stream().map(Finding::subject).toList();
        assertTrue(subjects.contains("/etc/recent") && subjects.contains("/etc/named"), subjects.toString());
        assertTrue(!subjects.contains("/etc/old") && !subjects.contains("/etc/tampered"), subjects.toString());
        assertEquals(List.of(), quarantineReasons());
        assertEquals(List.of("web1 seal-2", "web2 seal-1"), seals());
        assertEquals(2, new FleetStore(fleet).hosts().size());
    }

    @Test
    void theCollectorsWebViewShowsEachEventsHostAndTheFilterStillNarrows() throws Exception {
        int port = LocalHttpServerTest.freePort();
        Main collector = start(Store.SQLITE, Map.of("vigil.http.port", String.valueOf(port), "vigil.http.token", "t0ken"));
        hosts.send("web1", KEY_ONE, hosts.report("web1", "/etc/passwd"));
        hosts.send("web2", KEY_TWO, hosts.report("web2", "/etc/hosts"));
        Await.until("both hosts' findings in the collector's event history",
                () -> subjects(events(collector)).containsAll(List.of("/etc/passwd", "/etc/hosts")));

        JsonNode all = Json.read(LocalHttpServerTest.get(port, "/api/events?source=files", "Bearer t0ken").body(), JsonNode.class);
        List<String> rows = new ArrayList<>();
        all.get("events").forEach(e -> rows.add(e.get("host").asText() + " " + e.get("subject").asText()));
        assertEquals(List.of("web1 /etc/passwd", "web2 /etc/hosts"), rows.stream().sorted().toList());
        JsonNode narrowed = Json.read(LocalHttpServerTest.get(port, "/api/events?path=hosts", "Bearer t0ken").body(), JsonNode.class);
        assertEquals(1, narrowed.get("events").size());
        assertEquals("web2", narrowed.get("events").get(0).get("host").asText());
        hosts.heartbeat("web1", KEY_ONE, "seal-1");
        Await.until("web1 in the fleet store's hosts", () -> new FleetStore(fleet).hosts().size() == 1);
        JsonNode fleetHosts = Json.read(LocalHttpServerTest.get(port, "/api/hosts", "Bearer t0ken").body(), JsonNode.class);
        assertEquals(1, fleetHosts.get("total").asInt());
        assertEquals("web1", fleetHosts.get("hosts").get(0).get("name").asText());
        assertEquals(new FleetStore(fleet).hosts().get(0).storedBytes(), fleetHosts.get("hosts").get(0).get("storedBytes").asLong());
        assertTrue(fleetHosts.get("hosts").get(0).get("storedBytes").asLong() > 0, "web1's finding counted");
        assertEquals(2L << 30, fleetHosts.get("hostMaxBytes").asLong());

        try (Chromium browser = Chromium.start()) {
            browser.viewport(1280, 900, false);
            browser.navigate("http://127.0.0.1:" + port + "/#token=t0ken");
            browser.awaitTrue("the filter shown", "document.getElementById('f-since') !== null");
            // the hosts' findings carry the test clock's time, older than the page's default window
            browser.evaluate("(() => { const s = document.getElementById('f-since'); s.value = '';"
                    + " s.dispatchEvent(new Event('change')); })()");
            browser.click("#f-apply");
            browser.awaitTrue("both hosts' events listed", "document.querySelectorAll('#events li.row').length >= 2");
            String events = browser.evaluate("document.getElementById('events').innerText").asText();
            assertTrue(events.contains("web1") && events.contains("web2"), "each row names its host: " + events);
            browser.click("#f-path");
            browser.type("hosts");
            browser.click("#f-apply");
            browser.awaitTrue("the list narrowed to web2's file",
                    "[...document.querySelectorAll('#events li.row .subject')].map(e => e.textContent).join('|') === '/etc/hosts'");
            browser.awaitTrue("the fleet's hosts listed", "!document.getElementById('hosts-section').hidden"
                    + " && document.querySelectorAll('#hosts tbody tr[data-host]').length === 1");
            List<String> cells = new ArrayList<>();
            browser.evaluate("[...document.querySelectorAll('#hosts tbody tr[data-host=web1] td')].map(td => td.textContent)")
                    .forEach(cell -> cells.add(cell.asText()));
            assertEquals(List.of("web1", "ok", "fanotify"), List.of(cells.get(0), cells.get(2), cells.get(3)), cells.toString());
            assertTrue(cells.get(4).endsWith(" KiB (0%)"), "web1's findings stored, and their part of its share: " + cells);
            browser.screenshot(Path.of("target/web-view-collector.png"));

            browser.navigate("http://127.0.0.1:" + port + "/?since=&path=passwd");
            browser.awaitTrue("the page opened with the address's filter",
                    "document.getElementById('f-path').value === 'passwd' && [...document.querySelectorAll('#events li.row .subject')]"
                            + ".map(e => e.textContent).join('|') === '/etc/passwd'");
        }
    }

    /** The web view's page of hosts: silent ones first, then by name, at most its limit, and how many in all. */
    @ParameterizedTest
    @EnumSource(Store.class)
    void theWebViewsHostPageListsSilentHostsFirstAndCountsThemAll(Store store) throws Exception {
        start(store, Map.of());
        execute("INSERT INTO hosts (name, last_heartbeat, silent, mode) VALUES ('a-web', 1000, 0, 'fanotify'),"
                + " ('b-web', 2000, 1, 'inotify'), ('c-web', 3000, 0, 'trickle')");
        execute("INSERT INTO host_shares (host, bytes) VALUES ('c-web', 42)");

        FleetStore.HostPage two = new FleetStore(fleet).hostPage(2);
        assertEquals(3, two.total());
        assertEquals(List.of("b-web", "a-web"), two.hosts().stream().map(FleetStore.Beating::name).toList());
        assertEquals(new FleetStore.Beating("c-web", Instant.ofEpochMilli(3000), false, "trickle", 42),
                new FleetStore(fleet).hostPage(3).hosts().get(2));
        assertEquals(new FleetStore.Beating("b-web", Instant.ofEpochMilli(2000), true, "inotify", 0), two.hosts().get(0));
    }

    @Test
    void twoCollectorsStartingTogetherOnAnEmptyPostgresqlStoreBothStartAndTakeRecords() throws Exception {
        int run = RUN.incrementAndGet();
        String reports = "reports-" + run;
        String heartbeats = "heartbeats-" + run;
        KAFKA.createTopic(reports, 2, false);
        KAFKA.createTopic(heartbeats, 1, true);
        String url = POSTGRES.newDatabase();
        List<Main> collectors = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path config = daemon.config(Map.of("vigil.collect.brokers", KAFKA.bootstrapServers(),
                    "vigil.collect.topic", reports, "vigil.collect.heartbeatTopic", heartbeats,
                    "vigil.collect.group", "collect-" + run, "vigil.collect.hostKey.web1", KEY_ONE,
                    "vigil.collect.jdbc.url", url, "vigil.collect.database", daemon.dir.resolve("collect-" + i + ".db").toString(),
                    "vigil.report.files.reportHoldoff", "0", "vigil.files.watch.enabled", "false"));
            Main main = CollectCommand.collector(VigilHome.load(config), Path.of("routes").toAbsolutePath(),
                    new CollectConfiguration(daemon.clock()));
            daemon.adopt(main);
            main.init();
            collectors.add(main);
        }
        java.util.concurrent.CompletableFuture.allOf(collectors.stream()
                .map(m -> java.util.concurrent.CompletableFuture.runAsync(m::start)).toArray(java.util.concurrent.CompletableFuture[]::new)).join();
        Await.until("both collectors' consumers started", () -> collectors.stream().allMatch(m ->
                m.getCamelContext().getRouteController().getRouteStatus("collect-reports").isStarted()));

        hosts = new FleetHosts(KAFKA.bootstrapServers(), reports, heartbeats, daemon.clock());
        open.add(hosts);
        fleet = FleetDataSource.open(url, "", "", daemon.dir);
        open.add(fleet);
        hosts.send("web1", KEY_ONE, hosts.report("web1", "/etc/passwd"));
        Await.until("the finding stored", () -> count("SELECT COUNT(*) FROM findings") == 1);
    }

    /** The collector with a fleet store of {@code store}, two known hosts and fresh topics. */
    private Main start(Store store, Map<String, String> extra) throws Exception {
        int run = RUN.incrementAndGet();
        String reports = "reports-" + run;
        String heartbeats = "heartbeats-" + run;
        KAFKA.createTopic(reports, 1, false);
        KAFKA.createTopic(heartbeats, 1, true);
        String url = store == Store.SQLITE ? daemon.dir.resolve("fleet.db").toString() : POSTGRES.newDatabase();
        Map<String, String> overrides = new HashMap<>(Map.of(
                "vigil.collect.brokers", KAFKA.bootstrapServers(),
                "vigil.collect.topic", reports,
                "vigil.collect.heartbeatTopic", heartbeats,
                "vigil.collect.group", "collect-" + run,
                "vigil.collect.hostKey.web1", KEY_ONE,
                "vigil.collect.hostKey.web2", KEY_TWO,
                "vigil.collect.jdbc.url", url,
                "vigil.report.files.reportHoldoff", "0",
                "vigil.files.watch.enabled", "false"));
        overrides.putAll(extra);
        lastOverrides = overrides;
        config = daemon.config(overrides);
        Main main = restart();
        hosts = new FleetHosts(KAFKA.bootstrapServers(), reports, heartbeats, daemon.clock());
        open.add(hosts);
        fleet = FleetDataSource.open(url, "", "", daemon.dir);
        open.add(fleet);
        return main;
    }

    /**
     * A second collector beside the last one started: the same topics, group and fleet store, an event history
     * and outbox of its own.
     */
    private Main another() throws Exception {
        Map<String, String> overrides = new HashMap<>(lastOverrides);
        // the key the test daemon's configuration names its database with (`vigil collect` takes vigil.collect.database)
        overrides.put("vigil.database", daemon.dir.resolve("another-collect.db").toString());
        config = daemon.config(overrides);
        return restart();
    }

    /** A new collector on the last one's configuration: the same topics, group and fleet store. */
    private Main restart() throws Exception {
        Main main = CollectCommand.collector(VigilHome.load(config), Path.of("routes").toAbsolutePath(),
                new CollectConfiguration(daemon.clock()));
        daemon.adopt(main);
        main.init();
        main.start();
        Await.until("the restarted collector's consumers", () -> main.getCamelContext().getRouteController()
                .getRouteStatus("collect-reports").isStarted());
        return main;
    }

    /**
     * Has the collector read its topic's partition again from the start, as after a kill before its commit: its
     * consumers stopped, the group's offset reset, the consumers started; returns once it has committed {@code end}
     * again.
     */
    private void readAgain(Main collector, String topic, long end) throws Exception {
        TopicPartition partition = new TopicPartition(topic, 0);
        String group = lastOverrides.get("vigil.collect.group");
        collector.getCamelContext().getRouteController().stopRoute("collect-reports");
        collector.getCamelContext().getRouteController().stopRoute("collect-heartbeats");
        try (Admin admin = KAFKA.admin()) {
            // the group's consumers leave it as they close; offsets are reset only in an empty group
            Await.until("the offset reset", () -> {
                try {
                    admin.alterConsumerGroupOffsets(group, Map.of(partition, new OffsetAndMetadata(0))).all().get();
                    return true;
                } catch (java.util.concurrent.ExecutionException e) {
                    return false;
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            collector.getCamelContext().getRouteController().startRoute("collect-heartbeats");
            collector.getCamelContext().getRouteController().startRoute("collect-reports");
            Await.until("the records read again and committed", () -> committed(admin, group, partition) == end);
        }
    }

    /** The group's committed offset of a partition; -1 when none. */
    private static long committed(Admin admin, String group, TopicPartition partition) {
        try {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .get(partition);
            return offset == null ? -1 : offset.offset();
        } catch (java.util.concurrent.ExecutionException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static EventLog events(Main collector) {
        return new EventLog(Beans.database(collector.getCamelContext()));
    }

    private static List<String> subjects(EventLog events) {
        return TestDaemon.subjects(events);
    }

    private static EventLog.Query everything() {
        return new EventLog.Query(null, null, null, null, null);
    }

    private List<Report> alertReports() {
        return daemon.alertReports();
    }

    private List<String> alertSubjects() {
        return alertReports().stream().flatMap(r -> r.findings().stream()).filter(f -> f.kind().equals("MODIFIED"))
                .map(Finding::subject).toList();
    }

    private long kinds(String kind) {
        return alerted(kind).size();
    }

    /** The findings of {@code kind} in the alert file's reports. */
    private List<Finding> alerted(String kind) {
        return alertReports().stream().flatMap(r -> r.findings().stream()).filter(f -> f.kind().equals(kind)).toList();
    }

    /** A collector judging seals with a tolerance of ten minutes, reporting file and fleet findings at once. */
    private Main startJudgingSeals(Store store) throws Exception {
        return start(store, Map.of("vigil.collect.sealTolerance", "10m", "vigil.report.fleet.reportTime", "0",
                "vigil.report.files.reportTime", "0"));
    }

    /**
     * Asserts the BASELINE_TAMPERED findings in the alert file, each as "host from to", in any order, are
     * {@code expected}: read once that many are there (they reach the file one by one, through the report pipeline)
     * and each collector has judged three more times, so a finding told twice is there too.
     */
    private void assertTamperedOnce(List<String> expected, Main... collectors) throws Exception {
        Await.until(expected.size() + " BASELINE_TAMPERED in the alert file", () -> kinds("BASELINE_TAMPERED") >= expected.size());
        for (Main collector : collectors) {
            TestDaemon.awaitCompleted(collector, "fleet-seals", 3);
        }
        List<String> told = alerted("BASELINE_TAMPERED").stream()
                .map(f -> f.host() + " " + f.details().get("from") + " " + f.details().get("to")).sorted().toList();
        assertEquals(expected.stream().sorted().toList(), told);
    }

    /** Both hosts heartbeat seal-1 and are stored; then web2's ACCEPTED, announcing seal-2, is stored. */
    private void bothHostsAtSealOneAndWeb2AcceptsSealTwo() throws Exception {
        hosts.heartbeat("web1", KEY_ONE, "seal-1");
        hosts.heartbeat("web2", KEY_TWO, "seal-1");
        Await.until("both hosts in the fleet store", () -> new FleetStore(fleet).hosts().size() == 2);
        hosts.send("web2", KEY_TWO, accepted("web2", "seal-2"));
        Await.until("web2's ACCEPTED in the fleet store", () -> new FleetStore(fleet).findings("web2", everything()).size() == 1);
    }

    /** Whether the report pipeline has every stored finding: no unforwarded row, no finding with forwarded = 0. */
    private boolean forwardedAll() {
        return count("SELECT COUNT(*) FROM unforwarded") == 0 && count("SELECT COUNT(*) FROM findings WHERE forwarded = 0") == 0;
    }

    private int sealRows() {
        return count("SELECT COUNT(*) FROM seals");
    }

    private List<String> seals() throws SQLException {
        List<String> seals = new ArrayList<>();
        try (Connection c = fleet.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT host, seal FROM seals ORDER BY host")) {
            while (rs.next()) {
                seals.add(rs.getString(1) + " " + rs.getString(2));
            }
        }
        return seals;
    }

    private int count(String query) {
        try (Connection c = fleet.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of each row {@code query} gives. */
    private List<String> column(String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = fleet.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private List<String> quarantineReasons() throws Exception {
        List<String> reasons = new ArrayList<>();
        try (Connection c = fleet.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT reason FROM quarantine ORDER BY reason")) {
            while (rs.next()) {
                String reason = rs.getString(1);
                reasons.add(reason.startsWith("not a report: ") ? "not a report: " : reason);
            }
        }
        return reasons;
    }
}
