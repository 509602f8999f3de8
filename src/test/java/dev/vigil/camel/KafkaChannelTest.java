package dev.vigil.camel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.Await;
import dev.vigil.KafkaBroker;
import dev.vigil.alert.FleetRecord;
import dev.vigil.alert.Json;
import dev.vigil.alert.Report;
import dev.vigil.alert.WebhookSigner;
import dev.vigil.config.Version;
import dev.vigil.store.Outbox;
import org.apache.camel.main.Main;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fleet's agent side against a real Kafka broker (Kafka's own test kit, in this JVM): the kafka channel of
 * routes/channels.yaml through the real daemon and outbox, and the heartbeat of routes/fleet.yaml.
 */
class KafkaChannelTest {

    static final String HOST_KEY = "host-key-of-test-host";
    private static final AtomicInteger TOPICS = new AtomicInteger();

    @RegisterExtension
    static final KafkaBroker BROKER = new KafkaBroker();

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    /** A fresh topic for each test, so each reads only its own records. */
    private static String topic(String name, boolean compacted) throws Exception {
        String topic = name + "-" + TOPICS.incrementAndGet();
        BROKER.createTopic(topic, 1, compacted);
        return topic;
    }

    private Main start(String reports, String heartbeats, String heartbeat) throws Exception {
        return start(reports, heartbeats, heartbeat, Map.of());
    }

    /** {@link #start(String, String, String)} with {@code more} settings. */
    private Main start(String reports, String heartbeats, String heartbeat, Map<String, String> more) throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(more);
        settings.putAll(Map.of("vigil.kafka.brokers", BROKER.bootstrapServers(), "vigil.kafka.key", HOST_KEY,
                "vigil.kafka.topic", reports, "vigil.kafka.heartbeatTopic", heartbeats, "vigil.kafka.heartbeat", heartbeat));
        return daemon.start(settings);
    }

    /** Waits until the kafka channel's one report has had a failed attempt. */
    private static void awaitTheOnlyReportsAttemptFailed(Main main) throws InterruptedException {
        Await.until("an attempt failed", () -> {
            List<Outbox.Delivery> d = kafkaDeliveries(main);
            return d.size() == 1 && d.get(0).attempts() >= 1;
        });
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static boolean signedWith(String key, ConsumerRecord<String, String> record) {
        return WebhookSigner.verify(key, header(record, FleetRecord.TIMESTAMP), record.value(),
                header(record, FleetRecord.SIGNATURE), Instant.now(), Duration.ofMinutes(5));
    }

    /** The kafka channel's deliveries, oldest report first. */
    static List<Outbox.Delivery> kafkaDeliveries(Main main) {
        return TestDaemon.outbox(main).list(false, 100).stream().filter(d -> d.channel().equals("kafka"))
                .sorted(java.util.Comparator.comparingLong(Outbox.Delivery::seq)).toList();
    }

    static boolean allDelivered(Main main, int count) {
        List<Outbox.Delivery> d = kafkaDeliveries(main);
        return d.size() == count && d.stream().allMatch(x -> x.status() == Outbox.Status.DELIVERED);
    }

    /** How many records of each report id the topic holds. */
    static Map<String, Long> countsById(String topic) {
        return BROKER.records(topic).stream().collect(Collectors.groupingBy(r -> header(r, FleetRecord.ID),
                Collectors.counting()));
    }

    @Test
    void aFindingArrivesOnceKeyedByHostSignedWithTheReportIdAndValuedAsTheAlertFileLine() throws Exception {
        String reports = topic("reports", false);
        Main main = start(reports, topic("heartbeats", true), "1h");
        daemon.criticalFinding(main, "/etc/shadow");
        Await.until("the report delivered to kafka", () -> allDelivered(main, 1));

        List<ConsumerRecord<String, String>> records = BROKER.records(reports);
        assertEquals(1, records.size(), "once");
        ConsumerRecord<String, String> record = records.get(0);
        Report report = Report.fromJson(record.value());
        assertEquals(List.of("/etc/shadow"), report.findings().stream().map(f -> f.subject()).toList());
        assertEquals("test-host", record.key());
        assertEquals(report.id(), header(record, FleetRecord.ID));
        assertEquals(kafkaDeliveries(main).get(0).reportId(), report.id());
        assertEquals("test-host", header(record, FleetRecord.HOST));
        assertTrue(signedWith(HOST_KEY, record), "the signature verifies with the host's key");
        assertFalse(signedWith("another host's key", record));
        Path alerts = daemon.dir.resolve("alerts/alerts.ndjson");
        Await.until("the alert file", () -> Files.exists(alerts) && !readLines(alerts).isEmpty());
        assertEquals(readLines(alerts), List.of(record.value()), "the value is the alert file's line");
        assertEquals(Set.of(FleetRecord.ID, FleetRecord.HOST, FleetRecord.TIMESTAMP, FleetRecord.SIGNATURE),
                java.util.Arrays.stream(record.headers().toArray()).map(Header::key).collect(Collectors.toSet()),
                "none of Vigil's own headers");
    }

    @Test
    void aReportLargerThanAKafkaRecordArrivesAsSignedPartsHoldingEveryFindingAndIsDeliveredOnce() throws Exception {
        String reports = topic("reports", false);
        Main main = start(reports, topic("heartbeats", true), "1h");
        int count = 1200;
        var template = main.getCamelContext().createProducerTemplate();
        for (int i = 0; i < count; i++) {
            template.sendBody("direct:report", new dev.vigil.alert.Finding(dev.vigil.alert.Source.FILES, "ADDED",
                    "/srv/spool/" + i + "/" + "m".repeat(1200), "test-host", daemon.now(), dev.vigil.alert.Severity.WARNING, Map.of()));
        }
        daemon.advanceOncePooled(main, Duration.ofSeconds(15));
        Await.until("the report delivered to kafka", () -> allDelivered(main, 1));

        List<ConsumerRecord<String, String>> records = BROKER.records(reports);
        assertTrue(records.size() >= 2, records.size() + " records");
        List<Report> parts = records.stream().map(r -> Report.fromJson(r.value())).toList();
        String reportId = kafkaDeliveries(main).get(0).reportId();
        assertTrue(parts.stream().noneMatch(p -> p.id().equals(reportId)), "the report's id is the whole report's");
        assertEquals(records.size(), countsById(reports).size(), "each part once, with an id of its own");
        for (ConsumerRecord<String, String> r : records) {
            assertTrue(signedWith(HOST_KEY, r), "each part signed");
            assertEquals(Report.fromJson(r.value()).id(), header(r, FleetRecord.ID));
        }
        assertEquals(count, parts.stream().mapToInt(p -> p.findings().size()).sum());
        assertEquals(count, parts.stream().flatMap(p -> p.findings().stream()).map(f -> f.subject()).distinct().count());
    }

    /**
     * A finding no record can hold (its file's owner gave it megabytes of extended attributes) reaches the broker cut
     * to fit, and the report is delivered, not refused and retried with every later report behind it.
     */
    @Test
    void aFindingLargerThanAKafkaRecordArrivesCutToFitAndTheReportsAfterItFollow() throws Exception {
        String reports = topic("reports", false);
        Main main = start(reports, topic("heartbeats", true), "1h");
        var template = main.getCamelContext().createProducerTemplate();
        String xattrs = "user.a=" + "v".repeat(2_000_000);
        template.sendBody("direct:report", new dev.vigil.alert.Finding(dev.vigil.alert.Source.FILES, "MODIFIED", "/srv/big",
                "test-host", daemon.now(), dev.vigil.alert.Severity.WARNING, Map.of("after", Map.of("xattrs", xattrs))));
        daemon.advanceOncePooled(main, Duration.ofSeconds(15));
        Await.until("the report delivered to kafka", () -> allDelivered(main, 1));
        template.sendBody("direct:report", new dev.vigil.alert.Finding(dev.vigil.alert.Source.FILES, "ADDED", "/srv/after",
                "test-host", daemon.now(), dev.vigil.alert.Severity.WARNING, Map.of()));
        daemon.advanceOncePooled(main, Duration.ofMinutes(2));
        Await.until("the next report delivered to kafka", () -> allDelivered(main, 2));

        List<Report> sent = BROKER.records(reports).stream().map(r -> Report.fromJson(r.value())).toList();
        assertEquals(List.of("/srv/big", "/srv/after"), sent.stream().flatMap(r -> r.findings().stream()).map(f -> f.subject()).toList());
        String cut = (String) ((Map<?, ?>) sent.get(0).findings().get(0).details().get("after")).get("xattrs");
        assertTrue(cut.startsWith("user.a=vvv") && cut.endsWith(dev.vigil.alert.Truncated.marker(xattrs.length())));
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void reportsMadeWhileTheBrokerIsDownAreDeliveredOnceEachOnlyAfterItIsBack() throws Exception {
        String reports = topic("reports", false);
        Main main = start(reports, topic("heartbeats", true), "1h");
        daemon.criticalFinding(main, "/etc/before-the-outage");
        Await.until("the first report delivered", () -> allDelivered(main, 1));

        BROKER.stopBroker();
        try {
            daemon.criticalFinding(main, "/etc/during-the-outage-1");
            daemon.criticalFinding(main, "/etc/during-the-outage-2");
            Await.until("an attempt failed", () -> {
                List<Outbox.Delivery> d = kafkaDeliveries(main);
                return d.size() == 3 && d.get(1).attempts() >= 1;
            });
            List<Outbox.Delivery> during = kafkaDeliveries(main);
            assertEquals(List.of(Outbox.Status.DELIVERED, Outbox.Status.PENDING, Outbox.Status.PENDING),
                    during.stream().map(Outbox.Delivery::status).toList(), "not delivered while the broker is down");
            assertNotNull(during.get(1).lastError());
        } finally {
            BROKER.startBroker();
        }
        daemon.advance(Duration.ofMinutes(15));
        Await.until("all three delivered", () -> allDelivered(main, 3));

        Map<String, Long> counts = countsById(reports);
        assertEquals(kafkaDeliveries(main).stream().collect(Collectors.toMap(Outbox.Delivery::reportId, d -> 1L)), counts,
                "each report exactly once");
    }

    /**
     * A broker out of reach for longer than vigil.alerts.retry.maxAge costs the kafka channel's reports nothing but
     * delay: they are the fleet's copy of the evidence, not given up for their age as the other channels' are.
     */
    @Test
    void aReportOlderThanTheRetryMaxAgeIsStillDeliveredOnceTheBrokerIsBack() throws Exception {
        String reports = topic("reports", false);
        Main main = start(reports, topic("heartbeats", true), "1h", Map.of("vigil.alerts.retry.maxAge", "1m"));
        BROKER.stopBroker();
        try {
            daemon.criticalFinding(main, "/etc/during-a-long-outage");
            awaitTheOnlyReportsAttemptFailed(main);
            daemon.advance(Duration.ofMinutes(20));
            Await.until("an attempt past the max age failed", () -> kafkaDeliveries(main).get(0).attempts() >= 2);
            assertEquals(Outbox.Status.PENDING, kafkaDeliveries(main).get(0).status(), "not given up for its age");
        } finally {
            BROKER.startBroker();
        }
        daemon.advance(Duration.ofMinutes(15));
        Await.until("delivered once the broker is back", () -> allDelivered(main, 1));
        assertEquals(Map.of(kafkaDeliveries(main).get(0).reportId(), 1L), countsById(reports));
    }

    /**
     * After an outage a report waits out its retry backoff (up to vigil.alerts.retry.max, 10 min) though the broker is
     * back; an ACCEPTED report so delayed reached the collector long after the heartbeats showing its seal. The
     * daemon's clock stands still here, so only the heartbeat the broker takes can bring the retry forward.
     */
    @Test
    void aReportWaitingForItsRetryGoesAsSoonAsTheBrokerTakesAHeartbeat() throws Exception {
        String reports = topic("reports", false);
        Main main = start(reports, topic("heartbeats", true), "500ms");
        BROKER.stopBroker();
        try {
            daemon.criticalFinding(main, "/etc/during-the-outage");
            awaitTheOnlyReportsAttemptFailed(main);
            // an outage the heartbeats see: one heartbeat's send fails after maxBlockMs (10 s); one shorter than a
            // send, which no heartbeat saw failing, leaves the retry to its backoff (seconds, on a running clock)
            Thread.sleep(11_000);
        } finally {
            BROKER.startBroker();
        }

        Await.until("delivered once a heartbeat was taken", () -> allDelivered(main, 1));
        assertEquals(Map.of(kafkaDeliveries(main).get(0).reportId(), 1L), countsById(reports));
    }

    @Test
    void heartbeatsArriveOnTheCompactedTopicKeyedByHostSignedWithTheDocumentedFields() throws Exception {
        String heartbeats = topic("heartbeats", true);
        Files.createDirectories(daemon.dir.resolve("watched"));
        Main main = start(topic("reports", false), heartbeats, "200ms");
        Await.until("two heartbeats", () -> BROKER.records(heartbeats).size() >= 2);

        List<ConsumerRecord<String, String>> records = BROKER.records(heartbeats);
        ConsumerRecord<String, String> first = records.get(0);
        ConsumerRecord<String, String> second = records.get(1);
        assertEquals("test-host", first.key());
        assertTrue(signedWith(HOST_KEY, second), "signed with the host's key");
        JsonNode beat = Json.mapper().readTree(second.value());
        assertEquals(Set.of("host", "version", "startedAt", "sentAt", "uptimeSeconds", "sources", "lastFullCheck",
                "outbox", "seal"), fieldNames(beat));
        assertEquals("test-host", beat.get("host").asText());
        assertEquals(Version.VERSION, beat.get("version").asText());
        Instant sentAt = Instant.parse(beat.get("sentAt").asText());
        assertEquals("test-host:" + sentAt.toEpochMilli(), header(second, FleetRecord.ID));
        assertEquals(Instant.parse(Json.mapper().readTree(first.value()).get("startedAt").asText()),
                Instant.parse(beat.get("startedAt").asText()), "the same start in every beat");
        assertTrue(sentAt.isAfter(Instant.parse(Json.mapper().readTree(first.value()).get("sentAt").asText())));
        assertEquals(Set.of("files", "logs", "pids"), fieldNames(beat.get("sources")));
        assertTrue(Set.of("fanotify", "inotify").contains(beat.get("sources").get("files").asText()),
                "the daemon's watch: " + beat.get("sources"));
        assertEquals("on", beat.get("sources").get("logs").asText());
        assertEquals("off", beat.get("sources").get("pids").asText(), "no PID file or command to check");
        assertEquals(Map.of("console", 0L, "file", 0L, "kafka", 0L), Json.mapper().convertValue(beat.get("outbox"),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Long>>() { }));
        JsonNode seal = beat.get("seal");
        assertTrue(seal.get("value").asText().matches("[0-9a-f]{64}"), "the baseline's seal: " + seal);
        assertTrue(seal.get("rows").canConvertToLong() && seal.get("rows").asLong() >= 0, "its rows: " + seal);
        assertTrue(seal.has("verifiedAt"), "when a full check last verified it (null: not yet): " + seal);
        assertTrue(main.getCamelContext().getRouteController().getRouteStatus("fleet-heartbeat").isStarted());
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
