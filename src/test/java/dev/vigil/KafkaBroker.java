package dev.vigil;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import kafka.server.BrokerServer;
import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka broker for a test class: one KRaft node (broker and controller combined) from Kafka's own test
 * kit, started in this JVM on a loopback port. Register it as a static {@code @RegisterExtension} field; the
 * broker can be stopped and started again within a test ({@link #stopBroker()}, {@link #startBroker()}) to
 * play an outage, keeping its data and its port. {@link #withScram()} adds a second listener that takes SASL/SCRAM
 * logins ({@link #scramBootstrapServers()}, users made by {@link #scramUser}); the plaintext one stays for admin
 * work and the other tests. Outside JUnit, {@link #start()} and {@link #close()} do what the callbacks do.
 */
public final class KafkaBroker implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    /** The SCRAM mechanism of the SASL listener. */
    public static final String SCRAM = "SCRAM-SHA-512";
    private static final String SASL_LISTENER = "SASL";

    private final boolean scram;
    private KafkaClusterTestKit cluster;

    /** A plaintext broker. */
    public KafkaBroker() {
        this(false);
    }

    private KafkaBroker(boolean scram) {
        this.scram = scram;
    }

    /** A broker with a SASL_PLAINTEXT listener taking SCRAM-SHA-512 logins beside the plaintext one. */
    public static KafkaBroker withScram() {
        return new KafkaBroker(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    /** Starts the broker; outside JUnit (bench/fleet.sh's broker) this is called directly, and {@link #close()} stops it. */
    public void start() throws Exception {
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0");
        // Fixed ports for the clients' listeners: with port 0 a restarted broker would bind another one, and a
        // client that knew the old one would never find it again, which no real outage does.
        String listeners = "EXTERNAL://localhost:" + freePort() + ",CONTROLLER://localhost:0";
        builder.setConfigProp("listeners", listeners);
        if (scram) {
            // The test kit's own listeners (EXTERNAL between the brokers and for admin work, CONTROLLER) stay
            // plaintext; the SASL listener is only for the clients under test.
            String listener = "listener.name." + SASL_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
            builder.setConfigProp("listeners", listeners + "," + SASL_LISTENER + "://localhost:" + freePort())
                    .setConfigProp("listener.security.protocol.map",
                            "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT," + SASL_LISTENER + ":SASL_PLAINTEXT")
                    .setConfigProp(listener + "sasl.enabled.mechanisms", SCRAM)
                    .setConfigProp(listener + SCRAM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
                            "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        }
        cluster = builder.build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
    }

    /** A port nothing listens on now. */
    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    @Override
    public void close() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The {@code host:port} list a client connects to. */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** The {@code host:port} of the SASL/SCRAM listener ({@link #withScram()}). */
    public String scramBootstrapServers() {
        BrokerServer broker = cluster.brokers().values().iterator().next();
        return "localhost:" + broker.boundPort(new ListenerName(SASL_LISTENER));
    }

    /** Makes or changes a SCRAM user of the SASL listener, and returns once the broker takes its login. */
    public void scramUser(String user, String password) throws Exception {
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password))).all().get();
        }
        Properties login = new Properties();
        login.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, scramBootstrapServers());
        login.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        login.put(SaslConfigs.SASL_MECHANISM, SCRAM);
        login.put(SaslConfigs.SASL_JAAS_CONFIG, scramLogin(user, password));
        Await.until("the broker to take " + user + "'s login", () -> {
            try (Admin admin = Admin.create(login)) {
                admin.describeCluster().clusterId().get();
                return true;
            } catch (Exception refused) {
                return false;
            }
        });
    }

    /** The JAAS line a client logs in with as {@code user}. */
    public static String scramLogin(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** Creates a topic; {@code compacted} keeps only the newest record per key (as heartbeats want). */
    public void createTopic(String name, int partitions, boolean compacted) throws Exception {
        NewTopic topic = new NewTopic(name, partitions, (short) 1);
        if (compacted) {
            topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        }
        try (Admin admin = admin()) {
            admin.createTopics(List.of(topic)).all().get();
        }
    }

    /** Every record of {@code topic} as it is now, read from its start to its end, partition by partition. */
    public List<ConsumerRecord<String, String>> records(String topic) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** An admin client on this broker, for a test to inspect topics and consumer groups; the caller closes it. */
    public Admin admin() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Duration.ofSeconds(30).toMillis());
        return Admin.create(properties);
    }

    /** Stops the broker (the controller keeps running), as an outage a client must ride out. */
    public void stopBroker() {
        cluster.brokers().values().forEach(broker -> {
            broker.shutdown();
            broker.awaitShutdown();
        });
    }

    /** Starts the broker stopped by {@link #stopBroker()} again, on its old port with its old data. */
    public void startBroker() throws Exception {
        cluster.brokers().values().forEach(broker -> broker.startup());
        cluster.waitForReadyBrokers();
    }
}
