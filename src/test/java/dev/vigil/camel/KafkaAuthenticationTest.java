package dev.vigil.camel;

import dev.vigil.Await;
import dev.vigil.KafkaBroker;
import dev.vigil.alert.FleetRecord;
import dev.vigil.store.Outbox;
import org.apache.camel.main.Main;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kafka channel logging in with SASL/SCRAM (vigil.kafka.securityProtocol, .saslMechanism, .saslJaasConfig)
 * to a real broker whose client listener takes only SCRAM logins.
 */
class KafkaAuthenticationTest {

    @RegisterExtension
    static final KafkaBroker BROKER = KafkaBroker.withScram();

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    private Main start(String topic, String user, String password) throws Exception {
        BROKER.createTopic(topic, 1, false);
        return daemon.start(Map.of("vigil.kafka.brokers", BROKER.scramBootstrapServers(),
                "vigil.kafka.key", KafkaChannelTest.HOST_KEY, "vigil.kafka.topic", topic,
                "vigil.kafka.heartbeat", "1h", "vigil.kafka.heartbeatTopic", topic + "-heartbeats",
                "vigil.kafka.securityProtocol", "SASL_PLAINTEXT", "vigil.kafka.saslMechanism", KafkaBroker.SCRAM,
                "vigil.kafka.saslJaasConfig", KafkaBroker.scramLogin(user, password)));
    }

    @Test
    void aHostLoggedInWithScramPublishesItsReports() throws Exception {
        BROKER.scramUser("host-a", "pass=word;&with+100% of it");
        Main main = start("scram-reports", "host-a", "pass=word;&with+100% of it");
        daemon.criticalFinding(main, "/etc/shadow");
        Await.until("the report delivered", () -> KafkaChannelTest.allDelivered(main, 1));

        List<ConsumerRecord<String, String>> records = BROKER.records("scram-reports");
        assertEquals(1, records.size());
        assertEquals(KafkaChannelTest.kafkaDeliveries(main).get(0).reportId(),
                KafkaChannelTest.header(records.get(0), FleetRecord.ID));
        assertTrue(KafkaChannelTest.signedWith(KafkaChannelTest.HOST_KEY, records.get(0)));
    }

    @Test
    void aWrongPasswordFailsTheDeliveryWhichIsRetriedAndArrivesOnceTheLoginWorks() throws Exception {
        BROKER.scramUser("host-b", "the broker's password");
        Main main = start("refused-reports", "host-b", "an old password");
        daemon.criticalFinding(main, "/etc/shadow");
        Await.until("a failed attempt", () -> {
            List<Outbox.Delivery> d = KafkaChannelTest.kafkaDeliveries(main);
            return d.size() == 1 && d.get(0).attempts() >= 1;
        });
        Outbox.Delivery failed = KafkaChannelTest.kafkaDeliveries(main).get(0);
        assertEquals(Outbox.Status.PENDING, failed.status(), "kept for a retry");
        assertTrue(failed.lastError().contains("Authentication failed"), failed.lastError());
        assertEquals(List.of(), BROKER.records("refused-reports"));

        BROKER.scramUser("host-b", "an old password");
        daemon.advance(Duration.ofMinutes(15));
        Await.until("the report delivered", () -> KafkaChannelTest.allDelivered(main, 1));
        List<ConsumerRecord<String, String>> records = BROKER.records("refused-reports");
        assertEquals(1, records.size(), "once");
        assertEquals(failed.reportId(), KafkaChannelTest.header(records.get(0), FleetRecord.ID));
    }
}
