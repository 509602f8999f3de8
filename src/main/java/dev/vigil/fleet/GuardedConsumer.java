package dev.vigil.fleet;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The collector's Kafka consumer: a KafkaConsumer that, after a stop that was not clean, reads the partitions it is
 * given past their unreadable records ({@link UnreadableRecords}). Each is paused here as it is given, and probed at
 * the next poll; one whose probe finished and found nothing goes back to the group's reading where it was. The others
 * are read by a second consumer one record at a time (max.poll.records 1: a batch is decompressed no further than the
 * record returned), to where the probe stopped, a range returned as one record of {@link UnreadableRecords.Marked}
 * headers at its last offset; then they are probed again from there (bombs may come in a stream, and a probe the
 * broker stopped is finished later). Every poll also polls the group's consumer, so its other partitions are read
 * meanwhile and it stays in its group; commits go through it, the group's member, as always. A partition that cannot
 * be probed (three probes in a row that got nowhere, ten seconds apart) is read as its records come, loudly.
 */
public final class GuardedConsumer extends KafkaConsumer<Object, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedConsumer.class);

    /** The most records one poll returns of the partitions read one record at a time. */
    private static final int CAREFUL_POLL = 500;
    /** How many probes in a row may stop where they began before a partition is read as its records come. */
    private static final int PROBES_WITHOUT_PROGRESS = 3;
    /** The wait before a partition whose probe stopped where it began is probed again. */
    private static final Duration PROBE_AGAIN = Duration.ofSeconds(10);

    private final Properties settings;
    private final UnreadableRecords unreadable;
    private final int window;
    /** The partitions given since this consumer was made careful, until each is read past what its probes found. */
    private final Map<TopicPartition, Careful> careful = new LinkedHashMap<>();
    private KafkaConsumer<Object, Object> reader;

    /** A partition read carefully: its probe's plan (null until probed), and the offset it is read from next. */
    private static final class Careful {
        UnreadableRecords.Plan plan;
        long position = -1;
        int probesWithoutProgress;
        long notBefore;
    }

    public GuardedConsumer(Properties settings, UnreadableRecords unreadable) {
        super(settings);
        this.settings = settings;
        this.unreadable = unreadable;
        int maxPollRecords = Integer.parseInt(String.valueOf(settings.getOrDefault(ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                ConsumerConfig.DEFAULT_MAX_POLL_RECORDS)));
        // what a poll may hold uncommitted: a batch gathered of polls up to max.poll.records, and the poll that died
        this.window = 2 * maxPollRecords;
    }

    @Override
    public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
        super.subscribe(topics, guarded(listener));
    }

    @Override
    public void subscribe(Pattern pattern, ConsumerRebalanceListener listener) {
        super.subscribe(pattern, guarded(listener));
    }

    @Override
    public void subscribe(Collection<String> topics) {
        super.subscribe(topics, guarded(null));
    }

    @Override
    public void subscribe(Pattern pattern) {
        super.subscribe(pattern, guarded(null));
    }

    /** {@code listener}, and: a partition given to a careful consumer is paused here until it is probed. */
    private ConsumerRebalanceListener guarded(ConsumerRebalanceListener listener) {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                partitions.forEach(careful::remove);
                if (listener != null) {
                    listener.onPartitionsRevoked(partitions);
                }
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                partitions.forEach(careful::remove);
                if (listener != null) {
                    listener.onPartitionsLost(partitions);
                }
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                if (listener != null) {
                    listener.onPartitionsAssigned(partitions);
                }
                if (unreadable.careful() && !partitions.isEmpty()) {
                    partitions.forEach(partition -> careful.put(partition, new Careful()));
                    GuardedConsumer.super.pause(partitions);
                }
            }
        };
    }

    @Override
    public ConsumerRecords<Object, Object> poll(Duration timeout) {
        if (careful.isEmpty()) {
            return super.poll(timeout);
        }
        Map<TopicPartition, List<ConsumerRecord<Object, Object>>> read = readCarefully();
        ConsumerRecords<Object, Object> group = super.poll(read.isEmpty() ? timeout : Duration.ZERO);
        // a partition taken from this consumer in that poll: its records are another's to read
        read.keySet().retainAll(careful.keySet());
        group.partitions().forEach(partition -> read.put(partition, group.records(partition)));
        return new ConsumerRecords<>(read);
    }

    /** Probes the partitions that need it, then up to {@link #CAREFUL_POLL} of their records, ranges as marked records. */
    private Map<TopicPartition, List<ConsumerRecord<Object, Object>>> readCarefully() {
        probe();
        Map<TopicPartition, List<ConsumerRecord<Object, Object>>> read = new HashMap<>();
        int count = 0;
        for (Map.Entry<TopicPartition, Careful> entry : new ArrayList<>(careful.entrySet())) {
            TopicPartition partition = entry.getKey();
            Careful partitionRead = entry.getValue();
            while (count < CAREFUL_POLL && partitionRead.plan != null && partitionRead.position < partitionRead.plan.end()) {
                UnreadableRecords.Range range = partitionRead.plan.containing(partitionRead.position);
                ConsumerRecord<Object, Object> record = range != null ? marked(range) : next(partition, partitionRead.position);
                if (record == null) {
                    break;
                }
                read.computeIfAbsent(partition, p -> new ArrayList<>()).add(record);
                partitionRead.position = record.offset() + 1;
                count++;
            }
        }
        if (careful.isEmpty()) {
            closeReader();
        }
        return read;
    }

    /**
     * Probes each partition not probed yet, or read to the end of a probe that found a range (bombs may come in a
     * stream) or did not finish; gives back to the group's reading one whose probe finished and found none.
     */
    private void probe() {
        long now = System.nanoTime();
        Map<TopicPartition, Long> due = new HashMap<>();
        careful.forEach((partition, partitionRead) -> {
            UnreadableRecords.Plan plan = partitionRead.plan;
            if (now - partitionRead.notBefore >= 0 && (plan == null || partitionRead.position >= plan.end())) {
                if (partitionRead.position < 0) {
                    partitionRead.position = super.position(partition);
                }
                due.put(partition, partitionRead.position);
            }
        });
        if (due.isEmpty()) {
            return;
        }
        Map<TopicPartition, UnreadableRecords.Plan> plans;
        try {
            plans = unreadable.plan(settings, due, window);
        } catch (RuntimeException e) {
            LOG.error("the probe for unreadable records failed: {}", e.toString());
            plans = Map.of();
        }
        for (Map.Entry<TopicPartition, Long> entry : due.entrySet()) {
            TopicPartition partition = entry.getKey();
            Careful partitionRead = careful.get(partition);
            UnreadableRecords.Plan plan = plans.get(partition);
            if (plan != null && plan.complete() && plan.ranges().isEmpty()) {
                give(partition, partitionRead.position);
            } else if (plan != null && plan.end() > partitionRead.position) {
                partitionRead.plan = plan;
                partitionRead.probesWithoutProgress = 0;
            } else if (++partitionRead.probesWithoutProgress >= PROBES_WITHOUT_PROGRESS) {
                LOG.error("{} could not be probed for unreadable records {} times: read as its records come",
                        partition, PROBES_WITHOUT_PROGRESS);
                give(partition, partitionRead.position);
            } else {
                partitionRead.notBefore = now + PROBE_AGAIN.toNanos();
            }
        }
    }

    /** Gives a careful partition back to the group's reading, from {@code position}. */
    private void give(TopicPartition partition, long position) {
        careful.remove(partition);
        super.seek(partition, position);
        super.resume(Set.of(partition));
    }

    /** The record that stands for a range: at its last offset, so that its commit passes it. */
    private static ConsumerRecord<Object, Object> marked(UnreadableRecords.Range range) {
        return new ConsumerRecord<>(range.partition().topic(), range.partition().partition(), range.last(),
                RecordBatch.NO_TIMESTAMP, TimestampType.NO_TIMESTAMP_TYPE, -1, -1, null, new byte[0],
                new UnreadableRecords.Marked(range), Optional.empty());
    }

    /** The record at or after {@code offset} of {@code partition}, read alone; null if none came. */
    private ConsumerRecord<Object, Object> next(TopicPartition partition, long offset) {
        if (reader == null) {
            reader = new KafkaConsumer<>(UnreadableRecords.singleRecords(settings));
        }
        if (!reader.assignment().equals(Set.of(partition))) {
            reader.assign(List.of(partition));
            reader.seek(partition, offset);
        } else if (reader.position(partition) != offset) {
            reader.seek(partition, offset);
        }
        for (ConsumerRecord<Object, Object> record : reader.poll(Duration.ofMillis(100))) {
            return record;
        }
        return null;
    }

    /** Where a careful partition is read from next, which the group's consumer does not know. */
    @Override
    public long position(TopicPartition partition) {
        Careful partitionRead = careful.get(partition);
        return partitionRead != null && partitionRead.position >= 0 ? partitionRead.position : super.position(partition);
    }

    @Override
    public long position(TopicPartition partition, Duration timeout) {
        Careful partitionRead = careful.get(partition);
        return partitionRead != null && partitionRead.position >= 0 ? partitionRead.position : super.position(partition, timeout);
    }

    @Override
    public void seek(TopicPartition partition, long offset) {
        Careful partitionRead = careful.get(partition);
        if (partitionRead == null) {
            super.seek(partition, offset);
            return;
        }
        partitionRead.position = offset;
        if (partitionRead.plan != null && !partitionRead.plan.covers(offset)) {
            partitionRead.plan = null;
        }
    }

    @Override
    public void seek(TopicPartition partition, OffsetAndMetadata offsetAndMetadata) {
        if (careful.containsKey(partition)) {
            seek(partition, offsetAndMetadata.offset());
        } else {
            super.seek(partition, offsetAndMetadata);
        }
    }

    @Override
    public void resume(Collection<TopicPartition> partitions) {
        List<TopicPartition> resumed = new ArrayList<>(partitions);
        resumed.removeAll(careful.keySet());
        super.resume(resumed);
    }

    @Override
    public void close() {
        closeReader();
        super.close();
    }

    @Override
    public void close(Duration timeout) {
        closeReader();
        super.close(timeout);
    }

    private void closeReader() {
        if (reader != null) {
            reader.close(Duration.ZERO);
            reader = null;
        }
    }
}
