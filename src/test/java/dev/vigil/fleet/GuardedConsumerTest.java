package dev.vigil.fleet;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.internals.ConsumerNetworkClient;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.Field;
import java.net.ServerSocket;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** The collector's consumers as camel-kafka's readiness check sees them. */
class GuardedConsumerTest {

    /**
     * KafkaFetchRecords.isReady (camel-kafka 4.18.0) reads the consumer's class's field {@code delegate}, and that
     * one's {@code client}, and asks it for a broker it can reach: a failure there reads as ready.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void camelKafkasReadinessCheckFindsNoBrokerReadyWhereNoneAnswers(boolean careful) throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + closed);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, "collect");
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<Object, Object> consumer = careful ? new GuardedConsumer(settings, new UnreadableRecords(4096), 1 << 20)
                : new BudgetedConsumer(settings, 1 << 20)) {
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
