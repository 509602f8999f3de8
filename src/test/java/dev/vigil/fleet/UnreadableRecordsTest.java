package dev.vigil.fleet;

import dev.vigil.FleetHosts;
import dev.vigil.KafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.ServerSocket;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The probe for unreadable records ({@link UnreadableRecords#plan}, its child JVM against a real broker): what it
 * takes for a range, and what it must not. The bomb itself, a record too large to decompress, is KilledCollectorTest's.
 */
class UnreadableRecordsTest {

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    private static Properties consumer(String bootstrap) {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, "collect");
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return settings;
    }

    @Test
    void aRecordLargerThanMaxRecordIsARangeOfItsOwnAndTheRecordsAroundItAreRead() throws Exception {
        KAFKA.createTopic("sizes", 1, false);
        try (FleetHosts hosts = new FleetHosts(KAFKA.bootstrapServers(), "sizes", "sizes-heartbeats", InstantSource.system())) {
            hosts.sendRaw("sizes", "web1", new byte[100], Map.of());
            hosts.sendRaw("sizes", "web1", new byte[8192], Map.of());
            hosts.sendRaw("sizes", "web1", new byte[100], Map.of());
        }
        TopicPartition partition = new TopicPartition("sizes", 0);
        UnreadableRecords.Plan plan = new UnreadableRecords(4096)
                .plan(consumer(KAFKA.bootstrapServers()), Map.of(partition, 0L), 100).get(partition);

        assertEquals(1, plan.ranges().size(), String.valueOf(plan));
        UnreadableRecords.Range range = plan.ranges().get(0);
        assertEquals(List.of(1L, 1L), List.of(range.first(), range.last()));
        assertTrue(range.reason().startsWith("its key, value and headers are larger than vigil.collect.maxRecord ("),
                range.reason());
        assertEquals(3, plan.end(), "read to the partition's end");
        assertTrue(plan.complete());
    }

    @Test
    void aBrokerThatCannotBeReachedMakesNoRangeOnlyAnUnfinishedProbe() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        TopicPartition partition = new TopicPartition("anything", 0);
        UnreadableRecords.Plan plan = new UnreadableRecords(4096)
                .plan(consumer("127.0.0.1:" + closed), Map.of(partition, 5L), 100).get(partition);

        assertEquals(List.of(), plan.ranges(), "honest records are never taken for a bomb's because the broker was away");
        assertEquals(5, plan.end(), "read no further than it was");
        assertFalse(plan.complete(), "probed again later");
        assertTrue(plan.reached(), "it got to the partition, and failed there");
    }

    @Test
    void aWindowIsCountedInRecordsReadAndTheProbeOfAPartitionThatEndsFirstIsComplete() throws Exception {
        KAFKA.createTopic("window", 1, false);
        try (FleetHosts hosts = new FleetHosts(KAFKA.bootstrapServers(), "window", "window-heartbeats", InstantSource.system())) {
            for (int i = 0; i < 5; i++) {
                hosts.sendRaw("window", "web1", new byte[10], Map.of());
            }
        }
        TopicPartition partition = new TopicPartition("window", 0);
        UnreadableRecords.Plan plan = new UnreadableRecords(4096)
                .plan(consumer(KAFKA.bootstrapServers()), Map.of(partition, 1L), 3).get(partition);

        assertEquals(List.of(), plan.ranges());
        assertEquals(List.of(1L, 4L), List.of(plan.start(), plan.end()), "three records from offset 1");
        assertTrue(plan.complete());
    }
}
