package dev.vigil.fleet;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Utils;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Properties;

/**
 * The collector's Kafka consumer: a poll holds at most {@code budget} bytes of keys, values and headers as read,
 * and one record beyond only when it is the poll's first. Kafka's own bounds a poll by its records
 * ({@code max.poll.records}) and a fetch by its bytes as the broker sends them, compressed: a batch of 2,000 records
 * of a megabyte of zeros each is a few kilobytes of zstd, and one poll unpacked all of it (2 GiB) into a heap of 1
 * GiB. Anyone who can write to the topic could so stop every collector of the group, again after each restart
 * (each record alone is small enough for {@link UnreadableRecordsProbe}). Kafka has no bound of its own on what a poll
 * unpacks, so the deserializers count each record as it is read, before it is copied, and refuse the one that would
 * pass the budget: kafka-clients keeps it to read again, hands on the records before it, and the next poll, with a
 * budget of its own, reads on from it.
 */
public class BudgetedConsumer extends KafkaConsumer<Object, Object> {

    /** The bytes a poll of the collector's holds at most, besides its first record. */
    public static final long BUDGET = 64L << 20;

    private final Budget budget;

    /**
     * KafkaConsumer's own delegate, under the name camel-kafka's readiness check looks for in the consumer's class
     * ({@code KafkaFetchRecords.isReady} reads {@code getClass().getDeclaredField("delegate")}, then its network
     * client): without it, this consumer read as ready whether the broker answered or not.
     */
    @SuppressWarnings("unused")
    private final Object delegate = kafkaConsumerDelegate(this);

    public BudgetedConsumer(Properties settings, long budget) {
        this(settings, new Budget(budget));
    }

    private BudgetedConsumer(Properties settings, Budget budget) {
        super(settings, budget.counting(settings, true), budget.counting(settings, false));
        this.budget = budget;
    }

    @Override
    public ConsumerRecords<Object, Object> poll(Duration timeout) {
        budget.used = 0;
        return super.poll(timeout);
    }

    /** The bytes a poll holds at most, besides its first record. */
    long budget() {
        return budget.limit;
    }

    /** The bytes of a record's key, value and headers, as read. */
    static long bytes(ConsumerRecord<?, ?> record) {
        return Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize())
                + Budget.size(record.headers());
    }

    /** KafkaConsumer's delegate (see {@link #delegate}), or null if kafka-clients names it otherwise. */
    static Object kafkaConsumerDelegate(KafkaConsumer<?, ?> consumer) {
        try {
            Field field = KafkaConsumer.class.getDeclaredField("delegate");
            field.setAccessible(true);
            return field.get(consumer);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** What the poll under way has read; one consumer's, read and written on its one thread. */
    private static final class Budget {
        private final long limit;
        private long used;

        Budget(long limit) {
            this.limit = limit;
        }

        /** The deserializer {@code settings} name for keys or values, counting what it is given. */
        Deserializer<Object> counting(Properties settings, boolean key) {
            Object name = settings.get(key ? ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG
                    : ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
            Deserializer<Object> named;
            try {
                @SuppressWarnings("unchecked")
                Deserializer<Object> made = name instanceof Class<?> type ? Utils.newInstance(type, Deserializer.class)
                        : Utils.newInstance(String.valueOf(name), Deserializer.class);
                named = made;
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException("no deserializer " + name, e);
            }
            named.configure(Utils.propsToMap(settings), key);
            return new Deserializer<>() {
                @Override
                public Object deserialize(String topic, byte[] data) {
                    take(data == null ? 0 : data.length);
                    return named.deserialize(topic, data);
                }

                @Override
                public Object deserialize(String topic, Headers headers, byte[] data) {
                    take((data == null ? 0 : data.length) + (key ? 0 : size(headers)));
                    return named.deserialize(topic, headers, data);
                }

                @Override
                public Object deserialize(String topic, Headers headers, ByteBuffer data) {
                    take((data == null ? 0 : data.remaining()) + (key ? 0 : size(headers)));
                    return named.deserialize(topic, headers, data);
                }

                @Override
                public void close() {
                    named.close();
                }
            };
        }

        private void take(long bytes) {
            if (used > 0 && used + bytes > limit) {
                throw new SerializationException("the poll holds " + used + " bytes; the next record, of " + bytes
                        + ", is read by the next poll");
            }
            used += bytes;
        }

        private static long size(Headers headers) {
            long size = 0;
            if (headers != null) {
                for (Header h : headers) {
                    size += h.key().length() + (h.value() == null ? 0 : h.value().length);
                }
            }
            return size;
        }
    }
}
