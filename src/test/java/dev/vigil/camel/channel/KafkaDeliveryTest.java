package dev.vigil.camel.channel;

import org.apache.camel.CamelExchangeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which failures of the kafka channel may pass, so that the broker taking a heartbeat brings the report's retry
 * forward ({@code Heartbeats.sent}), wrapped as camel-kafka's synchronous send hands them to the outbox.
 */
class KafkaDeliveryTest {

    private static Exception asSent(Exception kafka) {
        return new CamelExchangeException("Multicast processing failed for number 0", null,
                new ExecutionException(kafka));
    }

    @Test
    void aBrokerThatDidNotAnswerInTimeIsAFailureThatMayPass() {
        assertTrue(KafkaDelivery.transientFailure(asSent(new TimeoutException("Topic t not present in metadata"))));
    }

    @Test
    void aRefusalIsNot() {
        assertFalse(KafkaDelivery.transientFailure(asSent(new TopicAuthorizationException(Set.of("vigil.reports")))));
        assertFalse(KafkaDelivery.transientFailure(asSent(new RecordTooLargeException("too large"))));
        assertFalse(KafkaDelivery.transientFailure(null));
    }
}
