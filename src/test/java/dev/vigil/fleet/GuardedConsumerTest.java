package dev.vigil.fleet;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.internals.ConsumerNetworkClient;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.net.ServerSocket;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** A careful consumer as camel-kafka's readiness check sees it. */
class GuardedConsumerTest {

    /**
     * KafkaFetchRecords.isReady (camel-kafka 4.18.0) reads the consumer's class's field {@code delegate}, and that
     * one's {@code client}, and asks it for a broker it can reach: a failure there reads as ready.
     */
    @Test
    void camelKafkasReadinessCheckFindsNoBrokerReadyWhereNoneAnswers() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + closed);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, "collect");
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<Object, Object> consumer = new GuardedConsumer(settings, new UnreadableRecords(4096))) {
            Object delegate = field(consumer.getClass(), "delegate").get(consumer);
            ConsumerNetworkClient client = (ConsumerNetworkClient) field(delegate.getClass(), "client").get(delegate);
            assertFalse(client.hasReadyNodes(System.currentTimeMillis()), "no broker answers");
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }
}
