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
 * given past their unreadable records ({@link UnreadableRecords}). Those with a range are paused here and read by a
 * second consumer one record at a time (max.poll.records 1: the batch is decompressed no further than the record
 * returned), to where the probe stopped; a range is returned as one record of {@link UnreadableRecords.Marked}
 * headers at the range's last offset, and the reader seeks past it. The records after a window with a range are
 * probed in turn; once a window has none, the partition is given back to this consumer where the reading stopped.
 * Commits go through this consumer, the group's member, as always.
 */
public final class GuardedConsumer extends KafkaConsumer<Object, Object> {

    /** The most records one poll returns while partitions are read one record at a time. */
    private static final int CAREFUL_POLL = 500;

    private final Properties settings;
    private final UnreadableRecords unreadable;
    private final int window;
    /** The partitions read one record at a time: each one's plan and the offset it is read from next. */
    private final Map<TopicPartition, Plan> careful = new LinkedHashMap<>();
    private KafkaConsumer<Object, Object> reader;

    private static final class Plan {
        UnreadableRecords.Plan found;
        long position;

        Plan(UnreadableRecords.Plan found, long position) {
            this.found = found;
            this.position = position;
        }
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
                    guard(partitions);
                }
            }
        };
    }

    /** Probes the partitions given; those with unreadable records are paused here and read one record at a time. */
    private void guard(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        partitions.forEach(partition -> positions.put(partition, position(partition)));
        unreadable.plan(settings, positions, window).forEach((partition, found) -> {
            if (!found.ranges().isEmpty()) {
                careful.put(partition, new Plan(found, positions.get(partition)));
            }
        });
        super.pause(careful.keySet());
    }

    @Override
    public ConsumerRecords<Object, Object> poll(Duration timeout) {
        if (!careful.isEmpty()) {
            ConsumerRecords<Object, Object> read = readCarefully();
            if (!read.isEmpty()) {
                return read;
            }
        }
        return super.poll(timeout);
    }

    /** Up to {@link #CAREFUL_POLL} records of the paused partitions, ranges as marked records. */
    private ConsumerRecords<Object, Object> readCarefully() {
        Map<TopicPartition, List<ConsumerRecord<Object, Object>>> read = new HashMap<>();
        int count = 0;
        for (Map.Entry<TopicPartition, Plan> entry : new ArrayList<>(careful.entrySet())) {
            TopicPartition partition = entry.getKey();
            Plan plan = entry.getValue();
            List<ConsumerRecord<Object, Object>> records = read.computeIfAbsent(partition, p -> new ArrayList<>());
            while (count < CAREFUL_POLL) {
                if (plan.position >= plan.found.end()) {
                    // bombs may come in a stream: the records after a window with a range are probed too
                    UnreadableRecords.Plan next = unreadable.plan(settings, Map.of(partition, plan.position), window)
                            .get(partition);
                    if (next != null && !next.ranges().isEmpty()) {
                        plan.found = next;
                        continue;
                    }
                    careful.remove(partition);
                    super.seek(partition, plan.position);
                    super.resume(Set.of(partition));
                    break;
                }
                UnreadableRecords.Range range = plan.found.containing(plan.position);
                if (range != null) {
                    records.add(new ConsumerRecord<>(partition.topic(), partition.partition(), range.last(),
                            RecordBatch.NO_TIMESTAMP, TimestampType.NO_TIMESTAMP_TYPE, -1, -1, null, new byte[0],
                            new UnreadableRecords.Marked(range), Optional.empty()));
                    plan.position = range.last() + 1;
                    count++;
                    continue;
                }
                ConsumerRecord<Object, Object> record = next(partition, plan.position);
                if (record == null) {
                    break;
                }
                records.add(record);
                plan.position = record.offset() + 1;
                count++;
            }
        }
        read.values().removeIf(List::isEmpty);
        if (careful.isEmpty()) {
            closeReader();
        }
        return new ConsumerRecords<>(read);
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

    @Override
    public void seek(TopicPartition partition, long offset) {
        Plan plan = careful.get(partition);
        if (plan != null) {
            plan.position = offset;
        } else {
            super.seek(partition, offset);
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
