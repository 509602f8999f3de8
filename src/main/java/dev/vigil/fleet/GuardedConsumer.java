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
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

/**
 * The collector's Kafka consumer: a KafkaConsumer that, after a stop that was not clean, reads the partitions it is
 * given past their unreadable records ({@link UnreadableRecords}). Each is paused here as it is given and probed by a
 * thread beside the polls (a long probe holds up only its partitions; partitions it did not reach go first the next
 * time); one whose probe finished and found nothing goes back to the group's reading where it was. The others are
 * read by a second consumer one record at a time (max.poll.records 1: a batch is decompressed no further than the
 * record returned), to where the probe got, a range returned as one record of {@link UnreadableRecords.Marked}
 * headers at its last offset; then they are probed again from there (bombs may come in a stream, and a probe the
 * broker stopped is finished later). Every poll also polls the group's consumer, so its other partitions are read
 * meanwhile and it stays in its group; the careful records are handed on, and their positions moved, only once that
 * poll has returned. Commits go through the group's consumer, as always. A partition the probe reached three times in
 * a row without getting anywhere (ten seconds apart: a broker failing there) is read as its records come, loudly;
 * one it has not reached is never.
 */
public final class GuardedConsumer extends BudgetedConsumer {

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

    /**
     * A partition read carefully: its probe's plan (null until probed), the offset it is read from next, and when a
     * probe last reached it (System.nanoTime, if ever).
     */
    private static final class Careful {
        UnreadableRecords.Plan plan;
        long position = -1;
        int probesWithoutProgress;
        long notBefore = System.nanoTime();
        boolean everReached;
        long reached;
    }

    /** Runs the probes, one at a time, beside the polls: a long one holds up only the partitions it probes. */
    private final ExecutorService probes = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "unreadable-records-probe");
        thread.setDaemon(true);
        return thread;
    });
    /** The probe running, and the partitions it was started for; null when none runs. */
    private Future<Map<TopicPartition, UnreadableRecords.Plan>> probing;
    private Map<TopicPartition, Careful> probingFor = Map.of();

    /**
     * KafkaConsumer's own delegate, under the name camel-kafka's readiness check looks for in the consumer's class
     * ({@code KafkaFetchRecords.isReady} reads {@code getClass().getDeclaredField("delegate")}, then its network
     * client): without it, a careful consumer read as ready whether the broker answered or not. Null if kafka-clients
     * names it otherwise.
     */
    @SuppressWarnings("unused")
    private final Object delegate = kafkaConsumerDelegate(this);

    public GuardedConsumer(Properties settings, UnreadableRecords unreadable, long budget) {
        super(settings, budget);
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

    /** {@code listener}, and: a partition given to this consumer is paused here until it is probed. */
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
                if (!partitions.isEmpty()) {
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
        probe();
        Map<TopicPartition, Careful> readFrom = new HashMap<>(careful);
        Map<TopicPartition, Long> positions = new HashMap<>();
        Map<TopicPartition, List<ConsumerRecord<Object, Object>>> read = readCarefully(positions);
        ConsumerRecords<Object, Object> group = super.poll(read.isEmpty() ? timeout : Duration.ZERO);
        // Only now are the careful records handed on, and their partitions' positions moved: a poll that throws hands
        // nothing on. A partition taken from this consumer in that poll (or taken and given again) is read anew.
        positions.forEach((partition, position) -> {
            if (careful.get(partition) == readFrom.get(partition)) {
                careful.get(partition).position = position;
            } else {
                read.remove(partition);
            }
        });
        group.partitions().forEach(partition -> read.putIfAbsent(partition, group.records(partition)));
        return new ConsumerRecords<>(read);
    }

    /**
     * Up to {@link #CAREFUL_POLL} records of the careful partitions that have a plan, ranges as marked records, with
     * where each partition is to be read from after them ({@code positions}); no more once they hold the poll's
     * budget of bytes ({@link BudgetedConsumer}: the records are read one at a time, each no larger than the probe
     * allows, but 500 of them could still be as many megabytes each).
     */
    private Map<TopicPartition, List<ConsumerRecord<Object, Object>>> readCarefully(Map<TopicPartition, Long> positions) {
        Map<TopicPartition, List<ConsumerRecord<Object, Object>>> read = new HashMap<>();
        int count = 0;
        long bytes = 0;
        for (Map.Entry<TopicPartition, Careful> entry : careful.entrySet()) {
            TopicPartition partition = entry.getKey();
            UnreadableRecords.Plan plan = entry.getValue().plan;
            long position = entry.getValue().position;
            List<ConsumerRecord<Object, Object>> records = new ArrayList<>();
            while (count < CAREFUL_POLL && bytes < budget() && plan != null && position < plan.end()) {
                UnreadableRecords.Range range = plan.containing(position);
                ConsumerRecord<Object, Object> record;
                boolean past;
                try {
                    record = range != null ? marked(range) : next(partition, position);
                    past = record == null ? reader.position(partition) >= plan.end() : record.offset() >= plan.end();
                } catch (RuntimeException e) {
                    LOG.warn("reading {} one record at a time: {}", partition, e.toString());
                    closeReader();
                    break;
                }
                if (past) {
                    // nothing readable is left before the probe's end (compacted, or gone with retention): from
                    // there, the records are probed first
                    position = plan.end();
                    break;
                }
                if (record == null) {
                    break;
                }
                if (range == null && plan.containing(record.offset()) != null) {
                    position = record.offset(); // in a range (the records before it gone meanwhile): its marked record next
                    continue;
                }
                records.add(record);
                position = record.offset() + 1;
                count++;
                bytes += BudgetedConsumer.bytes(record);
            }
            if (!records.isEmpty()) {
                read.put(partition, records);
            }
            if (position != entry.getValue().position) {
                positions.put(partition, position);
            }
        }
        return read;
    }

    /**
     * Takes the plans of a probe that has finished, and starts one of the partitions due: not probed yet, or read to
     * the end of a probe that found a range (bombs may come in a stream) or did not finish. A probe runs beside the
     * polls (in {@link #probes}), the partitions it has not reached before first. A partition whose probe finished
     * and found nothing goes back to the group's reading.
     */
    private void probe() {
        if (probing != null) {
            if (!probing.isDone()) {
                return;
            }
            Map<TopicPartition, UnreadableRecords.Plan> plans;
            try {
                plans = probing.get();
            } catch (ExecutionException e) {
                LOG.error("the probe for unreadable records failed: {}", e.getCause().toString());
                plans = Map.of();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                plans = Map.of();
            }
            probing = null;
            long again = System.nanoTime() + PROBE_AGAIN.toNanos();
            probingFor.values().forEach(partitionRead -> partitionRead.notBefore = again);
            plans.forEach(this::planned);
        }
        long now = System.nanoTime();
        List<Map.Entry<TopicPartition, Careful>> due = new ArrayList<>();
        for (Map.Entry<TopicPartition, Careful> entry : careful.entrySet()) {
            Careful partitionRead = entry.getValue();
            if (now - partitionRead.notBefore >= 0
                    && (partitionRead.plan == null || partitionRead.position >= partitionRead.plan.end())) {
                if (partitionRead.position < 0) {
                    partitionRead.position = super.position(entry.getKey());
                }
                due.add(entry);
            }
        }
        if (due.isEmpty()) {
            return;
        }
        due.sort(Comparator.comparingLong(entry -> entry.getValue().everReached ? entry.getValue().reached : Long.MIN_VALUE));
        Map<TopicPartition, Long> from = new LinkedHashMap<>();
        Map<TopicPartition, Careful> asked = new HashMap<>();
        due.forEach(entry -> {
            from.put(entry.getKey(), entry.getValue().position);
            asked.put(entry.getKey(), entry.getValue());
        });
        probing = probes.submit(() -> unreadable.plan(settings, from, window));
        probingFor = asked;
    }

    /**
     * Takes a probe's plan of {@code partition}, if the partition is still this consumer's and read from where the plan
     * begins (or within it: one probed before this consumer was made, after a reconnect).
     */
    private void planned(TopicPartition partition, UnreadableRecords.Plan plan) {
        Careful partitionRead = careful.get(partition);
        if (partitionRead == null || partitionRead != probingFor.get(partition)
                || !(partitionRead.position == plan.start() || plan.covers(partitionRead.position))) {
            return;
        }
        long now = System.nanoTime();
        if (plan.reached()) {
            partitionRead.everReached = true;
            partitionRead.reached = now;
        }
        if (plan.complete() && plan.ranges().isEmpty()) {
            give(partition, partitionRead.position);
        } else if (plan.end() > partitionRead.position) {
            partitionRead.plan = plan;
            partitionRead.probesWithoutProgress = 0;
        } else {
            partitionRead.notBefore = now + PROBE_AGAIN.toNanos();
            if (plan.reached() && ++partitionRead.probesWithoutProgress >= PROBES_WITHOUT_PROGRESS) {
                LOG.error("{} could not be probed for unreadable records from offset {} {} times: read as its records"
                        + " come", partition, partitionRead.position, PROBES_WITHOUT_PROGRESS);
                give(partition, partitionRead.position);
            }
        }
    }

    /** Gives a careful partition back to the group's reading, from {@code position}. */
    private void give(TopicPartition partition, long position) {
        careful.remove(partition);
        super.seek(partition, position);
        super.resume(Set.of(partition));
        if (careful.isEmpty()) {
            closeReader();
        }
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
        closeReaderAndProbes();
        super.close();
    }

    @Override
    public void close(Duration timeout) {
        closeReaderAndProbes();
        super.close(timeout);
    }

    private void closeReaderAndProbes() {
        closeReader();
        probes.shutdownNow();
    }

    private void closeReader() {
        if (reader != null) {
            reader.close(Duration.ZERO);
            reader = null;
        }
    }
}
