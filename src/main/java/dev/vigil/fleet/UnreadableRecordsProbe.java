package dev.vigil.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.alert.Json;
import dev.vigil.alert.Truncated;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The child JVM that finds a partition's unreadable records ({@link UnreadableRecords}): reads its request (the
 * collector's system properties of note and consumer settings, the partitions and their positions, the window and the
 * largest record) as JSON from its input
 * and prints one JSON line per range it finds and one per partition done (the offset it read to, and whether that is
 * as far as it was asked). It runs in a small heap, without ExitOnOutOfMemoryError: a record it cannot allocate is an
 * OutOfMemoryError here, caught. Only that, and kafka-clients' failure to read a record of a fetch, make a record
 * unreadable; a broker that fails or does not answer ends the partition's probe where it got, unfinished: honest
 * records are never taken for a bomb's because the broker was away.
 */
public final class UnreadableRecordsProbe {

    /** How long one read may wait for its record. */
    private static final Duration READ_TIME = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Properties settings;
    private final int maxRecord;
    private final PrintStream out;
    private KafkaConsumer<byte[], byte[]> consumer;

    private UnreadableRecordsProbe(Properties settings, int maxRecord, PrintStream out) {
        this.settings = settings;
        this.maxRecord = maxRecord;
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        // a collector that ends (stopped, or out of memory) leaves no probe behind it
        ProcessHandle.current().parent().ifPresent(collector -> collector.onExit().thenRun(() -> System.exit(1)));
        JsonNode request = Json.mapper().readTree(System.in);
        request.path("system").fields().forEachRemaining(field -> System.setProperty(field.getKey(), field.getValue().asText()));
        Properties settings = new Properties();
        request.path("consumer").fields().forEachRemaining(field -> settings.put(field.getKey(), field.getValue().asText()));
        Properties single = UnreadableRecords.singleRecords(settings);
        single.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        single.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // a fetch returns whole batches anyway: no more than one at a time of each partition
        single.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, "1048576");
        single.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "1048576");
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        UnreadableRecordsProbe probe = new UnreadableRecordsProbe(single, request.path("maxRecord").asInt(), out);
        int window = request.path("window").asInt();
        for (JsonNode partition : request.path("partitions")) {
            probe.probe(new TopicPartition(partition.path("topic").asText(), partition.path("partition").asInt()),
                    partition.path("from").asLong(), window);
        }
        probe.close();
        System.exit(0);
    }

    /** What one read at an offset gave. */
    private sealed interface Read {
    }

    /** The first record at or after the offset: its offset and size. */
    private record Record(long offset, long size) implements Read {
    }

    /** The first record at or after the offset cannot be read, for {@code reason}. */
    private record Unreadable(String reason) implements Read {
    }

    /** No record is left below the limit. */
    private record NoneLeft() implements Read {
    }

    /** Nothing came in time, or the broker failed: nothing is known of the offset. */
    private record Unknown(String why) implements Read {
    }

    /** How many unreadable offsets in a row make a range printed before the run ends: a killed probe keeps them. */
    private static final int RUN_CHUNK = 1000;
    /** How many records read between the lines that say how far a partition's probe got. */
    private static final int PROGRESS = 1000;

    /**
     * Probes {@code partition} from {@code from} over {@code window} records read, to its end at most; prints its
     * ranges and where it got, and whether it got there ({@code complete}: the window read, or the partition's end)
     * or stopped on something unknown (a broker's failure, nothing in time: the collector probes again from there).
     */
    private void probe(TopicPartition partition, long from, int window) {
        long position = from;
        boolean complete = false;
        try {
            long end = open(partition).endOffsets(List.of(partition), READ_TIME).get(partition);
            int records = 0;
            while (true) {
                if (records >= window || position >= end) {
                    complete = true;
                    break;
                }
                Read read = read(partition, position, end);
                if (read instanceof NoneLeft) {
                    complete = true;
                    break;
                }
                if (read instanceof Unknown unknown) {
                    System.err.println("the probe of " + partition + " stopped at offset " + position + ": " + unknown.why());
                    break;
                }
                if (read instanceof Record record) {
                    if (++records % PROGRESS == 0) {
                        done(partition, position, false);
                    }
                    if (record.size() > maxRecord) {
                        // from the position: offsets before it are none a compaction left, read as one with it
                        range(partition, position, record.offset(), "its key, value and headers are larger than"
                                + " vigil.collect.maxRecord (" + record.size() + " > " + maxRecord + " bytes)");
                    }
                    position = record.offset() + 1;
                    continue;
                }
                // Every offset after it up to the first readable one: the rest of its batch is read only through it.
                // One by one: a doubling search could step over a batch of another host's between two bombs.
                String reason = ((Unreadable) read).reason();
                long first = position;
                long next = position + 1;
                Read after = null;
                while (next < end) {
                    after = read(partition, next, end);
                    if (!(after instanceof Unreadable)) {
                        break;
                    }
                    next++;
                    if (next - first == RUN_CHUNK) {
                        range(partition, first, next - 1, reason);
                        first = next;
                    }
                }
                if (next > first) {
                    range(partition, first, Math.min(next, end) - 1, reason);
                }
                position = Math.min(next, end);
                if (after instanceof Unknown unknown) {
                    System.err.println("the probe of " + partition + " stopped at offset " + position + ": " + unknown.why());
                    break;
                }
            }
        } catch (RuntimeException failed) {
            System.err.println("the probe of " + partition + " stopped at offset " + position + ": " + failed);
        }
        done(partition, position, complete);
    }

    /** Prints how far the probe of {@code partition} got, and whether that is as far as it was asked. */
    private void done(TopicPartition partition, long position, boolean complete) {
        out.println(Json.write(Map.of("topic", partition.topic(), "partition", partition.partition(), "end", position,
                "complete", complete)));
    }

    /** The prefix of kafka-clients' (3.9) exception for a record of a fetch it could not read, its cause inside. */
    private static final String RECORD_FAILED = "Received exception when fetching the next record from ";

    /**
     * Reads the first record at or after {@code offset} (below {@code limit}). After a record that cannot be read the
     * consumer is read at a later offset only, whose seek drops what was fetched (kafka-clients drops a fetch whose
     * offset is not the position); after another failure it is closed.
     */
    private Read read(TopicPartition partition, long offset, long limit) {
        KafkaConsumer<byte[], byte[]> reader = open(partition);
        try {
            if (reader.position(partition, READ_TIME) != offset) {
                reader.seek(partition, offset);
            }
            long deadline = System.nanoTime() + READ_TIME.toNanos();
            while (System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> records = reader.poll(POLL);
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    return new Record(record.offset(), size(record));
                }
                if (reader.position(partition, READ_TIME) >= limit) {
                    return new NoneLeft();
                }
            }
            return new Unknown("no record came in " + READ_TIME.toSeconds() + " s");
        } catch (OutOfMemoryError e) {
            return new Unreadable("decompressing it takes more memory than the collector has: a compressed record"
                    + " claims more bytes than vigil.collect.maxRecord");
        } catch (KafkaException e) {
            if (e.getClass() == KafkaException.class && e.getCause() != null
                    && String.valueOf(e.getMessage()).startsWith(RECORD_FAILED)) {
                return new Unreadable(Truncated.toChars(String.valueOf(e.getCause()), REASON_CHARS));
            }
            close();
            return new Unknown(String.valueOf(e));
        }
    }

    /** The most characters of a failure's text a range's reason keeps. */
    private static final int REASON_CHARS = 500;

    private static long size(ConsumerRecord<byte[], byte[]> record) {
        long size = Math.max(0, record.serializedKeySize()) + (long) Math.max(0, record.serializedValueSize());
        for (Header header : record.headers()) {
            size += header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        return size;
    }

    private KafkaConsumer<byte[], byte[]> open(TopicPartition partition) {
        if (consumer == null) {
            consumer = new KafkaConsumer<>(settings);
        }
        if (!consumer.assignment().equals(Set.of(partition))) {
            consumer.assign(List.of(partition));
        }
        return consumer;
    }

    private void range(TopicPartition partition, long first, long last, String reason) {
        out.println(Json.write(Map.of("topic", partition.topic(), "partition", partition.partition(), "first", first,
                "last", last, "reason", reason)));
    }

    private void close() {
        if (consumer != null) {
            try {
                consumer.close(Duration.ZERO);
            } catch (RuntimeException | OutOfMemoryError ignored) {
                // a consumer that failed mid-batch is dropped whatever its close says
            }
            consumer = null;
        }
    }
}
