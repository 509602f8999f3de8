package dev.vigil.camel;

import dev.vigil.Await;
import dev.vigil.alert.Finding;
import dev.vigil.alert.Report;
import dev.vigil.alert.Severity;
import dev.vigil.alert.Source;
import dev.vigil.alert.WebhookSigner;
import dev.vigil.store.Outbox;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A channel's lanes (vigil.alerts.lanes) through the real daemon, outbox and webhook route, against a real HTTP
 * receiver (the JDK's HttpServer on the loopback interface): reports of several hosts in flight at once, each host's
 * in order, a failure holding back only its host's lane, and each report delivered once across a restart.
 */
class ChannelLanesTest {

    private static final int LANES = 4;
    /** Hosts whose reports take different lanes of {@value #LANES}. */
    private static final List<String> HOSTS = hostsInDifferentLanes();

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();
    private HttpReceiver webhook;

    @BeforeEach
    void receiver() throws Exception {
        webhook = new HttpReceiver(0);
    }

    @AfterEach
    void stop() {
        webhook.close();
    }

    private static List<String> hostsInDifferentLanes() {
        Map<Integer, String> byLane = new HashMap<>();
        IntStream.range(0, 100).mapToObj(i -> "host-" + i)
                .forEach(h -> byLane.putIfAbsent(Outbox.Lane.of(h, LANES).number(), h));
        return byLane.values().stream().sorted().toList();
    }

    private Main start(int port, Map<String, String> more) throws Exception {
        Map<String, String> config = new HashMap<>(Map.of("vigil.webhook.url", "http://127.0.0.1:" + port + "/hook",
                "vigil.alerts.lanes", String.valueOf(LANES), "vigil.alerts.retry.initial", "1s",
                "vigil.alerts.retry.max", "2s"));
        config.putAll(more);
        return daemon.start(config);
    }

    /** A critical finding of {@code host}: its own report, at once. */
    private void report(Main main, String host, String subject) {
        main.getCamelContext().createProducerTemplate().sendBody("direct:report",
                new Finding(Source.FILES, "MODIFIED", subject, host, daemon.now(), Severity.CRITICAL, Map.of()));
    }

    private static Report report(HttpReceiver.Request request) {
        return Report.fromJson(request.body());
    }

    /** The subjects of the host's requests, in the order they arrived. */
    private List<String> subjects(String host) {
        return webhook.requests().stream().map(ChannelLanesTest::report).filter(r -> r.host().equals(host))
                .map(r -> r.findings().get(0).subject()).toList();
    }

    private static List<Outbox.Delivery> webhookDeliveries(Main main, String host) {
        return TestDaemon.outbox(main).list(false, 1000).stream()
                .filter(d -> d.channel().equals("webhook") && d.report().host().equals(host)).toList();
    }

    @Test
    void reportsOfDifferentHostsAreInFlightAtOnceOnOneChannel() throws Exception {
        assertEquals(LANES, HOSTS.size());
        webhook.holdUntilInFlight(LANES);
        Main main = start(webhook.port(), Map.of());
        HOSTS.forEach(host -> report(main, host, "/etc/shadow"));

        Await.until("every report delivered", () -> TestDaemon.outbox(main).pendingCount() == 0);
        assertEquals(LANES, webhook.mostInFlight(), "one request of each host's lane held at once");
        assertEquals(LANES, webhook.requests().size());
    }

    @Test
    void eachHostsReportsArriveInOrderWhileAReceiverRefusesOneHostsReport() throws Exception {
        String refused = HOSTS.get(0);
        List<String> subjects = List.of("/etc/a", "/etc/b", "/etc/c");
        webhook.refuse(r -> report(r).host().equals(refused));
        Main main = start(webhook.port(), Map.of());
        for (String subject : subjects) {
            HOSTS.forEach(host -> report(main, host, subject));
        }

        Await.until("the other hosts' reports delivered, the refused host's first one tried", () ->
                HOSTS.stream().skip(1).allMatch(h -> subjects(h).equals(subjects))
                        && webhookDeliveries(main, refused).stream().anyMatch(d -> d.attempts() > 0));
        assertEquals(List.of("/etc/a"), subjects(refused), "the refused host's later reports wait behind its first");

        webhook.refuse(r -> false);
        daemon.advance(Duration.ofSeconds(3)); // past the lane's backoff (at most 2 s)
        Await.until("every report delivered", () -> TestDaemon.outbox(main).pendingCount() == 0);
        assertEquals(List.of("/etc/a", "/etc/a", "/etc/b", "/etc/c"), subjects(refused), "the refused report again, then the others");
        HOSTS.stream().skip(1).forEach(h -> assertEquals(subjects, subjects(h), h + " once each, in order"));
        List<String> keys = webhook.requests().stream().map(r -> r.header(WebhookSigner.IDEMPOTENCY_KEY)).toList();
        assertEquals(HOSTS.size() * subjects.size(), keys.stream().distinct().count());
    }

    @Test
    void reportsOfManyHostsUndeliveredWhenTheDaemonStopsArriveOnceEachInOrderAfterItStartsAgain() throws Exception {
        int port = webhook.port();
        webhook.close();
        List<String> subjects = List.of("/etc/a", "/etc/b", "/etc/c");
        Main first = start(port, Map.of());
        for (String subject : subjects) {
            HOSTS.forEach(host -> report(first, host, subject));
        }
        Await.until("each host's first report tried", () -> HOSTS.stream()
                .allMatch(h -> webhookDeliveries(first, h).stream().anyMatch(d -> d.attempts() > 0)));
        daemon.stop(first);

        webhook = new HttpReceiver(port);
        daemon.advance(Duration.ofMinutes(1));
        Main second = start(port, Map.of());
        Await.until("every report", () -> TestDaemon.outbox(second).pendingCount() == 0);
        HOSTS.forEach(h -> assertEquals(subjects, subjects(h), h + " once each, in order"));
        assertEquals(HOSTS.size() * subjects.size(), webhook.requests().size());
    }
}
