package dev.vigil.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.alert.Json;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
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
 * consumer's settings, the partitions and their positions, the window and the largest record) as JSON from its input
 * and prints one JSON line per range it finds and one per partition done (the offset it read to). It runs in a small
 * heap, without ExitOnOutOfMemoryError: a record it cannot allocate is an OutOfMemoryError here, caught, and the
 * consumer that threw it is closed (its state mid-batch is no use). A broker it cannot reach ends a partition's probe
 * where it got; nothing it prints is then a range.
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

    /** What one read at an offset gave: the record's offset and size, or why it could not be read, or neither. */
    private record Read(long offset, long size, String unreadable) {

        static final Read NOTHING = new Read(-1, 0, null);

        boolean record() {
            return offset >= 0;
        }
    }

    /** Probes {@code partition} from {@code from} over {@code window} records, to its end at most. */
    private void probe(TopicPartition partition, long from, int window) {
        long position = from;
        try {
            long end = open(partition).endOffsets(List.of(partition), READ_TIME).get(partition);
            long limit = Math.min(end, from + window);
            while (position < limit) {
                Read read = read(partition, position, limit);
                if (read.unreadable() != null) {
                    long last = lastUnreadable(partition, position, end);
                    range(partition, position, last, read.unreadable());
                    position = last + 1;
                } else if (read.record()) {
                    if (read.size() > maxRecord) {
                        range(partition, read.offset(), read.offset(),
                                "its key, value and headers are larger than vigil.collect.maxRecord (" + read.size()
                                        + " > " + maxRecord + " bytes)");
                    }
                    position = read.offset() + 1;
                } else {
                    break;
                }
            }
        } catch (RuntimeException unreachable) {
            System.err.println("the probe of " + partition + " stopped at offset " + position + ": " + unreachable);
        }
        out.println(Json.write(Map.of("topic", partition.topic(), "partition", partition.partition(), "end", position)));
    }

    /**
     * The last offset of the run of unreadable records that begins at {@code first}: offsets twice as far each time
     * until one reads, then halving between. Reading an offset in a bomb's batch passes the bomb, so the run is the rest
     * of its batch (and of any unreadable batch right after it).
     */
    private long lastUnreadable(TopicPartition partition, long first, long end) {
        long unreadable = first;
        long step = 1;
        long readable = end;
        while (first + step < end) {
            if (read(partition, first + step, end).unreadable() == null) {
                readable = first + step;
                break;
            }
            unreadable = first + step;
            step *= 2;
        }
        while (readable - unreadable > 1) {
            long middle = unreadable + (readable - unreadable) / 2;
            if (read(partition, middle, end).unreadable() == null) {
                readable = middle;
            } else {
                unreadable = middle;
            }
        }
        return Math.min(unreadable, end - 1);
    }

    /** Reads the first record at or after {@code offset} (below {@code limit}); a failure closes the consumer. */
    private Read read(TopicPartition partition, long offset, long limit) {
        KafkaConsumer<byte[], byte[]> reader = open(partition);
        if (reader.position(partition, READ_TIME) != offset) {
            reader.seek(partition, offset);
        }
        long deadline = System.nanoTime() + READ_TIME.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> records = reader.poll(POLL);
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    return new Read(record.offset(), size(record), null);
                }
                if (reader.position(partition, READ_TIME) >= limit) {
                    return Read.NOTHING;
                }
            }
            return Read.NOTHING;
        } catch (OutOfMemoryError e) {
            close();
            return new Read(offset, 0, "decompressing it takes more memory than the collector has: a compressed record"
                    + " claims more bytes than vigil.collect.maxRecord");
        } catch (RetriableException | AuthenticationException | AuthorizationException | InterruptException e) {
            throw e;
        } catch (RuntimeException e) {
            close();
            String reason = String.valueOf(e.getCause() == null ? e : e.getCause());
            return new Read(offset, 0, reason.length() > 500 ? reason.substring(0, 500) : reason);
        }
    }

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
