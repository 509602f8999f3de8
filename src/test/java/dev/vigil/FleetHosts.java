package dev.vigil;

import dev.vigil.alert.Finding;
import dev.vigil.alert.Json;
import dev.vigil.alert.Report;
import dev.vigil.alert.Severity;
import dev.vigil.alert.Source;
import dev.vigil.alert.WebhookSigner;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Hosts of a fleet as the collector sees them: records in the wire format of docs/ARCHITECTURE.md ("Fleet wire
 * format"), signed as a host's Kafka channel signs them, through {@link WebhookSigner}, and sent with a plain
 * KafkaProducer (idempotent, acks=all). Each send waits for the broker's acknowledgement, so the records of one
 * host reach its partition in the order sent.
 */
public final class FleetHosts implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final InstantSource clock;
    private final String reports;
    private final String heartbeats;

    public FleetHosts(String bootstrapServers, String reportsTopic, String heartbeatsTopic, InstantSource clock) {
        this(bootstrapServers, reportsTopic, heartbeatsTopic, clock, Map.of());
    }

    /** With producer settings of its own ({@code settings}: a compression, batches of a size no host makes). */
    public FleetHosts(String bootstrapServers, String reportsTopic, String heartbeatsTopic, InstantSource clock,
                      Map<String, Object> settings) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.putAll(settings);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.clock = clock;
        this.reports = reportsTopic;
        this.heartbeats = heartbeatsTopic;
    }

    /** A report of {@code host} with one warning file finding per subject, made now. */
    public Report report(String host, String... subjects) {
        List<Finding> findings = Arrays.stream(subjects).map(s -> new Finding(Source.FILES, "MODIFIED", s, host,
                clock.instant(), Severity.WARNING, Map.of())).toList();
        return Report.of(Source.FILES, findings, clock.instant());
    }

    /** Sends {@code report} as {@code host} would, signed with {@code key}. */
    public void send(String host, String key, Report report) throws Exception {
        send(reports, host, key, report.id(), report.toJson());
    }

    /** Sends a heartbeat of {@code host} whose baseline has {@code seal}, signed with {@code key}. */
    public void heartbeat(String host, String key, String seal) throws Exception {
        heartbeat(host, key, seal, Map.of());
    }

    /** {@link #heartbeat(String, String, String)} with record headers of its own beside the signature's. */
    public void heartbeat(String host, String key, String seal, Map<String, String> headers) throws Exception {
        heartbeatAsync(host, key, seal, headers).get();
    }

    /** {@link #heartbeat(String, String, String, Map)} without waiting for the broker ({@link #flush()} waits). */
    public Future<RecordMetadata> heartbeatAsync(String host, String key, String seal, Map<String, String> headers) {
        Instant now = clock.instant();
        Map<String, Object> beat = new LinkedHashMap<>();
        beat.put("host", host);
        beat.put("version", "0.1.0");
        beat.put("startedAt", now.toString());
        beat.put("sentAt", now.toString());
        beat.put("uptimeSeconds", 0);
        beat.put("sources", Map.of("files", "fanotify", "logs", "on", "pids", "on"));
        beat.put("lastFullCheck", now.toString());
        beat.put("outbox", Map.of());
        beat.put("seal", Map.of("value", seal, "rows", 10, "verifiedAt", now.toString()));
        return producer.send(signed(heartbeats, host, key, host + ":" + now.toEpochMilli(), Json.write(beat), headers));
    }

    /** Sends {@code value} with report (or heartbeat) id {@code id} as a record of {@code host} to {@code topic}, signed with {@code key}. */
    public void send(String topic, String host, String key, String id, String value) throws Exception {
        producer.send(signed(topic, host, key, id, value, Map.of())).get();
    }

    private ProducerRecord<String, byte[]> signed(String topic, String host, String key, String id, String value,
                                                  Map<String, String> others) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        Map<String, String> signed = new WebhookSigner(key).headers(id, bytes, clock.instant());
        Map<String, String> headers = new LinkedHashMap<>(others);
        headers.putAll(Map.of("vigil-id", id, "vigil-host", host, "vigil-timestamp", signed.get(WebhookSigner.TIMESTAMP),
                "vigil-signature", signed.get(WebhookSigner.SIGNATURE)));
        return record(topic, host, bytes, headers);
    }

    /** Sends a record as given: for records no honest host would send. */
    public void sendRaw(String topic, String recordKey, byte[] value, Map<String, String> headers)
            throws ExecutionException, InterruptedException {
        sendRawAsync(topic, recordKey, value, headers).get();
    }

    /** {@link #sendRaw} without waiting for the broker: records of one batch. */
    public Future<RecordMetadata> sendRawAsync(String topic, String recordKey, byte[] value, Map<String, String> headers) {
        return producer.send(record(topic, recordKey, value, headers));
    }

    /**
     * Sends {@code report} as {@code host} would, signed with {@code key}, without waiting for the broker: a load
     * generator playing many hosts keeps many records in flight ({@link #flush()} waits for them all). The
     * idempotent producer still keeps each host's records in order within its partition.
     */
    public Future<RecordMetadata> sendAsync(String host, String key, Report report) {
        return sendAsync(signedReport(host, key, report));
    }

    /**
     * {@code report} as the record {@code host} would send, signed with {@code key}: for a load generator that makes
     * its records before it sends them, as hosts sign theirs on machines of their own.
     */
    public ProducerRecord<String, byte[]> signedReport(String host, String key, Report report) {
        return signed(reports, host, key, report.id(), report.toJson(), Map.of());
    }

    /** Sends a record made by {@link #signedReport} without waiting for the broker. */
    public Future<RecordMetadata> sendAsync(ProducerRecord<String, byte[]> record) {
        return producer.send(record);
    }

    /** Returns once every record sent so far is acknowledged by the broker. */
    public void flush() {
        producer.flush();
    }

    private static ProducerRecord<String, byte[]> record(String topic, String recordKey, byte[] value,
                                                         Map<String, String> headers) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, recordKey, value);
        headers.forEach((name, v) -> record.headers().add(name, v.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    public String reportsTopic() {
        return reports;
    }

    public String heartbeatsTopic() {
        return heartbeats;
    }

    @Override
    public void close() {
        producer.close();
    }
}
