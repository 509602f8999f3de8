package dev.vigil.camel;

import dev.vigil.alert.Source;
import dev.vigil.Await;
import dev.vigil.camel.channel.HttpDelivery;

import dev.vigil.alert.Finding;
import dev.vigil.alert.Report;
import dev.vigil.alert.Severity;
import dev.vigil.store.Outbox;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What README shows a user: a second webhook added by copying the route with keys of its own, and a filter
 * that sends it only critical reports and log reports, while the first webhook gets everything.
 */
class ChannelRoutingTest {

    private static final String SECURITY_CHANNEL = """

            - route:
                id: channel-security
                from:
                  uri: direct:channel-security
                  steps:
                    - filter:
                        simple: "${body.critical()} == true || ${body.source} == 'logs'"
                        steps:
                          - setProperty:
                              name: vigilWebhookSecret
                              constant: "{{vigil.webhook.security.secret}}"
                          - bean: { beanType: dev.vigil.camel.channel.HttpDelivery, method: webhook }
                          - to: { uri: "{{vigil.webhook.security.url}}", parameters: { throwExceptionOnFailure: false } }
                          - bean: { beanType: dev.vigil.camel.channel.HttpDelivery, method: check }
            """;

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();
    private HttpReceiver everything;
    private HttpReceiver security;

    @BeforeEach
    void setUp() throws Exception {
        everything = new HttpReceiver(0);
        security = new HttpReceiver(0);
        daemon.addChannels(SECURITY_CHANNEL);
    }

    @AfterEach
    void tearDown() {
        everything.close();
        security.close();
    }

    @Test
    void aFilteredCopyOfTheWebhookRouteGetsOnlyCriticalReports() throws Exception {
        Main main = daemon.start(Map.of("vigil.webhook.url", everything.url("/all"),
                "vigil.webhook.security.url", security.url("/security"), "vigil.webhook.security.secret", "s2"));
        ProducerTemplate template = main.getCamelContext().createProducerTemplate();
        template.sendBody("direct:report", finding("/etc/motd", Severity.WARNING));
        daemon.advance(Duration.ofSeconds(15));
        Await.until("the ordinary report", () -> everything.requests().size() == 1);
        template.sendBody("direct:report", finding("/etc/shadow", Severity.CRITICAL));
        Await.until("every delivery done", () -> everything.requests().size() == 2
                && TestDaemon.outbox(main).pendingCount() == 0);

        assertEquals(List.of("/etc/shadow"), security.requests().stream()
                .map(r -> Report.fromJson(r.body()).findings().get(0).subject()).toList());
        assertEquals(2, TestDaemon.outbox(main).list(false, 100).stream()
                .filter(d -> d.channel().equals("security") && d.status() == Outbox.Status.DELIVERED).count(),
                "the report the filter dropped counts as delivered to that channel");
    }

    private Finding finding(String subject, Severity severity) {
        return new Finding(Source.FILES, "MODIFIED", subject, "test-host", daemon.now(), severity, Map.of());
    }
}
