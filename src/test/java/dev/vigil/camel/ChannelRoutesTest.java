package dev.vigil.camel;

import dev.vigil.Await;
import dev.vigil.alert.Finding;
import dev.vigil.alert.Report;
import dev.vigil.alert.Rfc5424;
import dev.vigil.alert.Severity;
import dev.vigil.alert.Source;
import dev.vigil.alert.WebhookSigner;
import dev.vigil.camel.channel.HttpDelivery;
import dev.vigil.camel.channel.OutboxDispatcher;
import dev.vigil.store.Outbox;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mail.MailConstants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.Main;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ToDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * routes/channels.yaml as shipped, every channel on: each channel's steps render the report for its receiver,
 * and only the receivers at the edge (the smtp, http and netty endpoints; the console's log) are mocks.
 * The end-to-end tests against real receivers are MailChannelTest, HttpChannelsTest and SyslogChannelTest.
 */
class ChannelRoutesTest {

    private static final String SECRET = "webhook-shared-secret";
    private static final List<String> RECEIVERS = List.of("email", "slack", "webhook", "syslog");

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    /** The daemon with every channel on, each sending to mock:NAME instead of its receiver. */
    private Main start() throws Exception {
        Main main = daemon.start(Map.of("vigil.email.to", "ops@example.org", "vigil.email.smtp", "smtp://127.0.0.1:9",
                "vigil.slack.webhook", "http://127.0.0.1:9/services/T0001", "vigil.webhook.url", "http://127.0.0.1:9/hooks",
                "vigil.webhook.secret", SECRET, "vigil.syslog.target", "udp://127.0.0.1:9"), ChannelRoutesTest::receiversMocked);
        for (String http : List.of("slack", "webhook")) {
            mock(main, http).whenAnyExchangeReceived(e -> e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200));
        }
        return main;
    }

    private static void receiversMocked(ModelCamelContext context) throws Exception {
        for (String channel : RECEIVERS) {
            AdviceWith.adviceWith(context, "channel-" + channel,
                    a -> a.weaveByType(ToDefinition.class).replace().to("mock:" + channel));
        }
        AdviceWith.adviceWith(context, "channel-console", a -> a.weaveAddLast().to("mock:console"));
    }

    private static MockEndpoint mock(Main main, String name) {
        MockEndpoint mock = main.getCamelContext().getEndpoint("mock:" + name, MockEndpoint.class);
        mock.setResultWaitTime(TimeUnit.SECONDS.toMillis(60));
        return mock;
    }

    private void critical(Main main, String subject) {
        main.getCamelContext().createProducerTemplate().sendBody("direct:report",
                new Finding(Source.FILES, "MODIFIED", subject, "test-host", daemon.now(), Severity.CRITICAL, Map.of()));
    }

    private static Message received(Main main, String name) {
        return mock(main, name).getReceivedExchanges().get(0).getMessage();
    }

    @Test
    void eachChannelRendersTheReportForItsReceiverAndTheOutboxMarksEveryDelivery() throws Exception {
        Main main = start();
        for (String name : List.of("console", "email", "slack", "webhook", "syslog")) {
            mock(main, name).expectedMessageCount(1);
        }
        critical(main, "/etc/shadow");
        MockEndpoint.assertIsSatisfied(main.getCamelContext());

        // the webhook's body is camel-http's request entity, the bytes signed
        String webhookBody = EntityUtils.toString(received(main, "webhook").getBody(HttpEntity.class));
        Report report = Report.fromJson(webhookBody);
        assertEquals(List.of("/etc/shadow"), report.findings().stream().map(Finding::subject).toList());

        String text = received(main, "console").getBody(String.class);
        assertTrue(text.contains("/etc/shadow"), text);

        Message mail = received(main, "email");
        assertEquals("[vigil] test-host: 1 file change", mail.getHeader("Subject"));
        assertEquals(report.id(), mail.getHeader(WebhookSigner.ID));
        assertTrue(mail.getBody(String.class).contains("<"), "the HTML part");
        assertTrue(mail.getHeader(MailConstants.MAIL_ALTERNATIVE_BODY, String.class).contains("/etc/shadow"), "the text part");

        Message slack = received(main, "slack");
        assertTrue(slack.getHeader(Exchange.CONTENT_TYPE, String.class).startsWith("application/json"));
        assertTrue(slack.getBody(String.class).contains("\"text\":\"[vigil] test-host: 1 file change\""), slack.getBody(String.class));

        Message webhook = received(main, "webhook");
        assertEquals(report.id(), webhook.getHeader(WebhookSigner.IDEMPOTENCY_KEY));
        assertTrue(WebhookSigner.verify(SECRET, webhook.getHeader(WebhookSigner.TIMESTAMP, String.class),
                webhookBody, webhook.getHeader(WebhookSigner.SIGNATURE, String.class), Instant.now(),
                Duration.ofMinutes(5)), "signature verifies");
        assertNull(webhook.getHeader(OutboxDispatcher.REPORT_ID), "Vigil's own headers are not sent");
        assertNull(webhook.getHeader(HttpDelivery.SECRET));

        Rfc5424.Message syslog = Rfc5424.parse(received(main, "syslog").getBody(String.class).getBytes(StandardCharsets.UTF_8));
        assertEquals("test-host", syslog.hostname());
        assertEquals("vigil", syslog.appName());
        assertEquals("MODIFIED /etc/shadow", syslog.msg());

        assertEquals(List.of(report.id()), Files.readAllLines(daemon.dir.resolve("alerts/alerts.ndjson")).stream()
                .map(l -> Report.fromJson(l).id()).toList(), "the file channel's line");
        Await.until("every delivery marked", () -> TestDaemon.outbox(main).list(false, 10).stream()
                .filter(d -> d.status() == Outbox.Status.DELIVERED).count() == 6);
    }

    @Test
    void aChannelWithTheFilterOfTheExampleTakesCriticalReportsAndCountsTheOthersDelivered() throws Exception {
        daemon.addChannels("""

                - route:
                    id: channel-pager
                    from:
                      uri: direct:channel-pager
                      steps:
                        - filter:
                            simple: "${body.critical()} == true || ${body.source} == 'logs'"
                            steps:
                              - to: mock:pager
                """);
        Main main = start();
        CamelContext context = main.getCamelContext();
        NotifyBuilder bothOffered = new NotifyBuilder(context).fromRoute("channel-pager").whenExactlyCompleted(2).create();
        mock(main, "pager").expectedMessageCount(1);

        context.createProducerTemplate().sendBody("direct:report", new Finding(Source.FILES, "MODIFIED", "/etc/motd",
                "test-host", daemon.now(), Severity.WARNING, Map.of()));
        daemon.advanceOncePooled(main, Duration.ofSeconds(15));
        Await.until("the warning's report offered to the pager", () -> TestDaemon.outbox(main).list(false, 20).stream()
                .anyMatch(d -> d.channel().equals("pager") && d.status() == Outbox.Status.DELIVERED));
        critical(main, "/etc/shadow");

        assertTrue(bothOffered.matches(60, TimeUnit.SECONDS), "both reports offered to the pager");
        mock(main, "pager").assertIsSatisfied();
        assertEquals(List.of("/etc/shadow"), received(main, "pager").getBody(Report.class).findings().stream()
                .map(Finding::subject).toList(), "only the critical report passed the filter");
        Await.until("both marked delivered to the pager", () -> TestDaemon.outbox(main).list(false, 20).stream()
                .filter(d -> d.channel().equals("pager") && d.status() == Outbox.Status.DELIVERED).count() == 2);
    }
}
