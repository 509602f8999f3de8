package dev.vigil.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.alert.Json;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The records of the fleet's topics a collector must not read. kafka-clients decompresses a batch record by record
 * and allocates each record's body at the size the record claims ({@code DefaultRecord.readFrom}, before any check of
 * the collector's); the broker checks a compressed batch by streaming through it, keeping nothing. So a host's Kafka
 * credentials (its root's) can publish, in under a megabyte of zstd, a record that claims a gigabyte: the collector
 * runs out of memory inside {@code poll()}, ends (it runs with {@code ExitOnOutOfMemoryError}), starts again at the
 * same uncommitted offset and ends again, and the whole fleet goes unwatched.
 *
 * <p>Nothing in the consumer's API reads a batch without decompressing it, nor says where a batch ends; a record after
 * the bomb in its batch is read only through it. So after a stop that was not clean, a consumer
 * has each partition it is given probed ({@link #plan}) from its position over the records a poll could have held
 * uncommitted: by {@link UnreadableRecordsProbe} in a child JVM of a small heap, which may run out of memory without
 * harm, reading one record at a time. A record it cannot read, or one larger than {@code vigil.collect.maxRecord},
 * begins a {@link Range}; the range ends where reading succeeds again (for a bomb, the end of its batch), each
 * offset tried in turn. {@link GuardedConsumer} then reads those partitions one record at a time past the ranges, and
 * hands each range on as a record of its own ({@link Marked} headers, which no record from Kafka has), never read,
 * for the collector to quarantine as REJECTED; its offset is the range's last, so the commit after it passes the
 * whole range.
 *
 * <p>A bomb thus costs one restart. Records after it in its batch are lost with it: a batch is one producer's, the
 * host whose credentials sent the bomb. Written here because no library bounds this (kafka-clients 3.9.1, which
 * camel-kafka 4.18.0 brings, has no setting for it).
 */
public final class UnreadableRecords {

    private static final Logger LOG = LoggerFactory.getLogger(UnreadableRecords.class);

    /** Offsets {@code first} to {@code last} of {@code partition} cannot be read, for {@code reason}. */
    public record Range(TopicPartition partition, long first, long last, String reason) {

        /** Why, and which offsets: the reason a quarantined range is kept with. */
        public String described() {
            return "offsets " + first + " to " + last + " of " + partition + " cannot be read: " + reason;
        }
    }

    /**
     * What the probe found of a partition read from {@code start}: its ranges, in order, the offset it read to
     * (exclusive), whether it read as far as it was asked ({@code complete}: the window, or the partition's end)
     * rather than stopping where something failed, and whether it got to the partition at all ({@code reached}: a
     * probe stopped on an earlier one's time did not; one that failed whole, not started or silent, counts as reaching
     * each).
     */
    public record Plan(long start, List<Range> ranges, long end, boolean complete, boolean reached) {

        /** The range that holds {@code offset}, or null. */
        public Range containing(long offset) {
            for (Range range : ranges) {
                if (range.first() <= offset && offset <= range.last()) {
                    return range;
                }
            }
            return null;
        }

        /** Whether the probe read {@code offset}. */
        public boolean covers(long offset) {
            return start <= offset && offset < end;
        }
    }

    /** The headers of the record that stands for a range: a type no record read from Kafka has. */
    public static final class Marked extends RecordHeaders {

        private final Range range;

        Marked(Range range) {
            this.range = range;
            setReadOnly();
        }

        public Range range() {
            return range;
        }
    }

    /** How long a probe may take: its partitions wait for it (the consumer's others are read meanwhile). */
    private static final Duration PROBE_TIME = Duration.ofMinutes(2);
    /** The probe's heap: a record it cannot allocate in this fails there, not in the collector. */
    private static final String PROBE_HEAP = "-Xmx64m";

    private final int maxRecord;
    private final Map<TopicPartition, Plan> plans = new ConcurrentHashMap<>();

    /** @param maxRecord the largest record the collector reads ({@code vigil.collect.maxRecord}), in bytes */
    public UnreadableRecords(int maxRecord) {
        this.maxRecord = maxRecord;
    }

    /**
     * The plans of {@code partitions} read from their positions ({@code from}): those probed before that cover the
     * position, the others probed now over {@code window} records each with the consumer's settings
     * ({@code consumer}). A partition the probe could not finish has a plan to where it got.
     */
    public Map<TopicPartition, Plan> plan(Properties consumer, Map<TopicPartition, Long> from, int window) {
        // in the caller's order: the partitions a probe did not reach before come first (GuardedConsumer)
        Map<TopicPartition, Long> unplanned = new LinkedHashMap<>();
        from.forEach((partition, position) -> {
            Plan known = plans.get(partition);
            if (known == null || !known.covers(position)) {
                unplanned.put(partition, position);
            }
        });
        if (!unplanned.isEmpty()) {
            probe(consumer, unplanned, window);
        }
        Map<TopicPartition, Plan> found = new HashMap<>();
        from.keySet().forEach(partition -> {
            Plan plan = plans.get(partition);
            if (plan != null) {
                found.put(partition, plan);
            }
        });
        return found;
    }

    private void probe(Properties consumer, Map<TopicPartition, Long> from, int window) {
        ObjectNode request = Json.mapper().createObjectNode();
        ObjectNode settings = request.putObject("consumer");
        consumer.forEach((key, value) -> settings.put(String.valueOf(key),
                value instanceof Class<?> type ? type.getName() : String.valueOf(value)));
        ObjectNode system = request.putObject("system");
        systemProperties().forEach(system::put);
        request.put("window", window);
        request.put("maxRecord", maxRecord);
        ArrayNode partitions = request.putArray("partitions");
        from.forEach((partition, position) -> partitions.addObject().put("topic", partition.topic())
                .put("partition", partition.partition()).put("from", position));
        Map<TopicPartition, List<Range>> ranges = new HashMap<>();
        Map<TopicPartition, Long> ends = new HashMap<>(from);
        Map<TopicPartition, Boolean> complete = new HashMap<>();
        boolean failed = false;
        int lines = 0;
        Process probe = null;
        try {
            // its settings (SASL passwords among them) through its input, not its command line
            List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), PROBE_HEAP,
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    UnreadableRecordsProbe.class.getName());
            ProcessBuilder child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
            // options for every JVM (an ExitOnOutOfMemoryError among them would end it on the first bomb) are not its
            child.environment().keySet().removeAll(List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"));
            probe = child.start();
            try (OutputStream in = probe.getOutputStream()) {
                in.write(Json.write(request).getBytes(StandardCharsets.UTF_8));
            }
            Process running = probe;
            Thread caller = Thread.currentThread();
            long deadline = System.nanoTime() + PROBE_TIME.toNanos();
            // the caller waits on the probe's output, which no interrupt ends: its interrupt (the consumer closed)
            // and the probe's time both end the probe here
            Thread timeout = new Thread(() -> {
                try {
                    while (!running.waitFor(1, TimeUnit.SECONDS)) {
                        if (caller.isInterrupted() || System.nanoTime() - deadline > 0) {
                            if (!caller.isInterrupted()) {
                                LOG.warn("the probe for unreadable records ran {}: stopped, its findings so far used", PROBE_TIME);
                            }
                            running.destroyForcibly();
                            return;
                        }
                    }
                } catch (InterruptedException e) {
                    running.destroyForcibly();
                }
            }, "unreadable-records-probe");
            timeout.setDaemon(true);
            timeout.start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines++;
                    JsonNode found = Json.mapper().readTree(line);
                    TopicPartition partition = new TopicPartition(found.path("topic").asText(), found.path("partition").asInt());
                    if (!from.containsKey(partition)) {
                        continue;
                    }
                    if (found.has("first")) {
                        Range range = new Range(partition, found.path("first").asLong(), found.path("last").asLong(),
                                found.path("reason").asText());
                        LOG.error("{}: quarantined without being read", range.described());
                        ranges.computeIfAbsent(partition, p -> new ArrayList<>()).add(range);
                        ends.merge(partition, range.last() + 1, Math::max);
                    } else {
                        ends.merge(partition, found.path("end").asLong(), Math::max);
                        complete.put(partition, found.path("complete").asBoolean());
                    }
                }
            }
            timeout.interrupt();
            if (probe.waitFor() != 0) {
                LOG.error("the probe for unreadable records ended with status {}: what it did not finish is probed again",
                        probe.exitValue());
                complete.replaceAll((partition, done) -> false);
            }
        } catch (IOException e) {
            LOG.error("the probe for unreadable records failed: {}; partitions {} are probed again", e, from.keySet());
            failed = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (probe != null) {
                probe.destroyForcibly();
            }
        }
        // a probe that failed whole (not started, or ended before a word) reached each partition as much as any
        boolean failedWhole = failed || lines == 0;
        from.forEach((partition, position) -> plans.put(partition, new Plan(position,
                List.copyOf(ranges.getOrDefault(partition, List.of())), ends.get(partition),
                complete.getOrDefault(partition, false),
                failedWhole || complete.containsKey(partition) || ranges.containsKey(partition))));
    }

    /**
     * The system properties the probe is given: those given on this JVM's command line and those of Kafka's security
     * (a JAAS file, a trust store; Camel may set them at run time), so it reaches the broker as the collector does.
     * Through its input, as its settings are: a password among them is not for another user's {@code ps}.
     */
    private static Map<String, String> systemProperties() {
        Set<String> names = new LinkedHashSet<>();
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (option.startsWith("-D")) {
                names.add(option.substring(2).split("=", 2)[0]);
            }
        }
        Map<String, String> properties = new TreeMap<>();
        System.getProperties().stringPropertyNames().stream()
                .filter(name -> names.contains(name) || SECURITY_PROPERTIES.matcher(name).matches())
                .forEach(name -> properties.put(name, System.getProperty(name)));
        return properties;
    }

    private static final Pattern SECURITY_PROPERTIES =
            Pattern.compile("java\\.security\\..*|javax\\.net\\.ssl\\..*|sun\\.security\\..*|zookeeper\\..*");

    /** The consumer settings of a reader of single records of assigned partitions, from a group consumer's. */
    static Properties singleRecords(Properties group) {
        Properties single = new Properties();
        single.putAll(group);
        single.remove(ConsumerConfig.GROUP_ID_CONFIG);
        single.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        single.remove(ConsumerConfig.CLIENT_ID_CONFIG);
        single.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        single.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        return single;
    }
}
