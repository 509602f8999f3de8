package dev.vigil.fleet;

import dev.vigil.FleetHosts;
import dev.vigil.KafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A poll of the collector's consumer against a real broker (Kafka's own test kit): records of zeros in one zstd
 * batch of a few kilobytes, which one poll of Kafka's own consumer unpacks whole, come a budget of bytes at a time,
 * each once and in order, whether the bytes are in the records' values or in their headers.
 */
class BudgetedConsumerTest {

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    private static final int RECORD = 256 << 10;
    private static final int RECORDS = 40;
    private static final long BUDGET = 1 << 20;

    @Test
    void aBatchThatUnpacksToMegabytesIsReadABudgetAtATimeEachRecordOnceInOrder() throws Exception {
        KAFKA.createTopic("zeros", 1, false);
        Map<String, Object> oneBatch = Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd",
                ProducerConfig.LINGER_MS_CONFIG, 60_000, ProducerConfig.BATCH_SIZE_CONFIG, 32 << 20,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 64L << 20, ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 32 << 20);
        try (FleetHosts writer = new FleetHosts(KAFKA.bootstrapServers(), "zeros", "unused", InstantSource.system(), oneBatch)) {
            for (int i = 0; i < RECORDS; i++) {
                // half the bytes in values, half in headers: a poll counts both
                writer.sendRawAsync("zeros", "web1", i % 2 == 0 ? new byte[RECORD] : new byte[0],
                        i % 2 == 0 ? Map.of() : Map.of("x", "0".repeat(RECORD)));
            }
            writer.flush();
        }

        List<List<ConsumerRecord<Object, Object>>> unbounded = polls(settings -> new KafkaConsumer<>(settings));
        assertTrue(unbounded.get(0).size() > BUDGET / RECORD,
                "Kafka's own consumer takes more in one poll: " + unbounded.get(0).size() + " records");

        List<List<ConsumerRecord<Object, Object>>> budgeted = polls(settings -> new BudgetedConsumer(settings, BUDGET));
        for (List<ConsumerRecord<Object, Object>> poll : budgeted) {
            long bytes = poll.stream().mapToLong(BudgetedConsumer::bytes).sum();
            assertTrue(bytes <= BUDGET, "a poll of " + poll.size() + " records holds " + bytes + " bytes");
        }
        assertEquals(LongStream.range(0, RECORDS).boxed().toList(),
                budgeted.stream().flatMap(List::stream).map(ConsumerRecord::offset).toList(), "each record once, in order");
    }

    /** Every non-empty poll of the topic from its start, by a consumer made with {@code consumer}, until all are read. */
    private static List<List<ConsumerRecord<Object, Object>>> polls(
            Function<Properties, KafkaConsumer<Object, Object>> consumer) {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        settings.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 8 << 20);
        List<List<ConsumerRecord<Object, Object>>> polls = new ArrayList<>();
        try (KafkaConsumer<Object, Object> reading = consumer.apply(settings)) {
            TopicPartition partition = new TopicPartition("zeros", 0);
            reading.assign(List.of(partition));
            reading.seekToBeginning(List.of(partition));
            int read = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (read < RECORDS && System.nanoTime() < deadline) {
                ConsumerRecords<Object, Object> records = reading.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    List<ConsumerRecord<Object, Object>> poll = new ArrayList<>();
                    records.forEach(poll::add);
                    polls.add(poll);
                    read += poll.size();
                }
            }
        }
        return polls;
    }
}
