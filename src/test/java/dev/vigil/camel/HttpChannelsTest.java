package dev.vigil.camel;

import dev.vigil.alert.Source;
import dev.vigil.Await;
import dev.vigil.camel.channel.HttpDelivery;
import dev.vigil.camel.channel.OutboxDispatcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.alert.Finding;
import dev.vigil.alert.Report;
import dev.vigil.alert.Severity;
import dev.vigil.alert.WebhookSigner;
import dev.vigil.cli.VigilCommand;
import dev.vigil.store.Outbox;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Slack and webhook channels of routes/channels.yaml against real HTTP receivers (the JDK's HttpServer on
 * the loopback interface), through the real daemon and outbox.
 */
class HttpChannelsTest {

    private static final String SLACK_PATH = "/services/T0001/B0001/SlackSecretToken42";
    private static final String SECRET = "webhook-shared-secret";

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();
    private HttpReceiver slack;
    private HttpReceiver webhook;

    @BeforeEach
    void receivers() throws Exception {
        slack = new HttpReceiver(0);
        webhook = new HttpReceiver(0);
    }

    @AfterEach
    void stop() {
        slack.close();
        webhook.close();
    }

    private Main start() throws Exception {
        return daemon.start(Map.of("vigil.slack.webhook", slack.url(SLACK_PATH), "vigil.webhook.url",
                webhook.url("/hooks/vigil"), "vigil.webhook.secret", SECRET));
    }

    /** A critical finding: a report of its own at once (ten a minute; more wait for the minute). */
    private void report(Main main, String subject) {
        report(main, subject, Severity.CRITICAL);
    }

    private void report(Main main, String subject, Severity severity) {
        main.getCamelContext().createProducerTemplate().sendBody("direct:report",
                new Finding(Source.FILES, "MODIFIED", subject, "test-host", daemon.now(), severity, Map.of()));
    }

    /** The channel's deliveries, oldest report first. */
    private static List<Outbox.Delivery> deliveries(Main main, String channel) {
        return TestDaemon.outbox(main).list(false, 100).stream().filter(d -> d.channel().equals(channel))
                .sorted(java.util.Comparator.comparingLong(Outbox.Delivery::seq)).toList();
    }

    /** The channel's delivery of the oldest report. */
    private static Outbox.Delivery delivery(Main main, String channel) {
        return deliveries(main, channel).get(0);
    }

    @Test
    void slackGetsABlockKitMessageAndTheWebhookTheSignedReport() throws Exception {
        Main main = start();
        report(main, "/etc/shadow");
        Await.until("both receivers", () -> slack.requests().size() == 1 && webhook.requests().size() == 1);

        HttpReceiver.Request s = slack.requests().get(0);
        assertEquals(SLACK_PATH, s.path());
        assertTrue(s.header("Content-Type").startsWith("application/json"), s.header("Content-Type"));
        JsonNode message = new ObjectMapper().readTree(s.body());
        assertEquals("[vigil] test-host: 1 file change", message.get("text").asText());
        assertEquals("header", message.get("blocks").get(0).get("type").asText());
        assertTrue(s.body().contains("/etc/shadow"), s.body());

        HttpReceiver.Request w = webhook.requests().get(0);
        Report report = Report.fromJson(w.body());
        assertEquals(List.of("/etc/shadow"), report.findings().stream().map(Finding::subject).toList());
        assertEquals(WebhookSigner.CONTENT_TYPE, w.header("Content-Type"));
        assertEquals(report.id(), w.header(WebhookSigner.ID));
        assertEquals(report.id(), w.header(WebhookSigner.IDEMPOTENCY_KEY));
        assertTrue(WebhookSigner.verify(SECRET, w.header(WebhookSigner.TIMESTAMP), w.body(),
                w.header(WebhookSigner.SIGNATURE), Instant.now(), Duration.ofMinutes(5)), "signature verifies");
        assertFalse(WebhookSigner.verify("another secret", w.header(WebhookSigner.TIMESTAMP), w.body(),
                w.header(WebhookSigner.SIGNATURE), Instant.now(), Duration.ofMinutes(5)));
        assertNull(w.header(OutboxDispatcher.REPORT_ID), "Vigil's own headers are not sent");
        assertNull(w.header(HttpDelivery.SECRET));
        Await.until("both deliveries marked", () -> delivery(main, "slack").status() == Outbox.Status.DELIVERED
                && delivery(main, "webhook").status() == Outbox.Status.DELIVERED);
    }

    @Test
    void theWebhookBodyIsTheReportAsTheOutboxStoredIt() throws Exception {
        Main main = start();
        report(main, "/etc/shadow");
        Await.until("the webhook's request", () -> webhook.requests().size() == 1);

        assertEquals(delivery(main, "webhook").stored().json(), webhook.requests().get(0).body());
    }

    @Test
    void aCookieTheReceiverSetsIsNotSentBack() throws Exception {
        webhook.answer(200, Map.of("Set-Cookie", "session=from-the-receiver; Path=/"));
        Main main = start();
        report(main, "/etc/shadow");
        Await.until("the first request", () -> webhook.requests().size() == 1);
        report(main, "/etc/passwd");
        Await.until("the second request", () -> webhook.requests().size() == 2);

        assertNull(webhook.requests().get(1).header("Cookie"));
    }

    @Test
    void aSecondWebhookFromTheTemplateWithItsOwnKeysGetsTheReportSignedWithItsOwnSecret() throws Exception {
        daemon.addChannels("""

                - templatedRoute:
                    routeTemplateRef: webhook
                    routeId: channel-webhook-siem
                    parameters:
                      - name: keys
                        value: vigil.webhook.siem
                """);
        try (HttpReceiver siem = new HttpReceiver(0)) {
            Main main = daemon.start(Map.of("vigil.webhook.url", webhook.url("/hooks/vigil"), "vigil.webhook.secret", SECRET,
                    "vigil.webhook.siem.url", siem.url("/siem/ingest"), "vigil.webhook.siem.secret", "siem-secret"));
            report(main, "/etc/shadow");
            Await.until("both webhooks", () -> webhook.requests().size() == 1 && siem.requests().size() == 1);

            HttpReceiver.Request w = siem.requests().get(0);
            assertEquals("/siem/ingest", w.path());
            Report report = Report.fromJson(w.body());
            assertEquals(List.of("/etc/shadow"), report.findings().stream().map(Finding::subject).toList());
            assertTrue(WebhookSigner.verify("siem-secret", w.header(WebhookSigner.TIMESTAMP), w.body(),
                    w.header(WebhookSigner.SIGNATURE), Instant.now(), Duration.ofMinutes(5)), "signed with its own secret");
            assertFalse(WebhookSigner.verify(SECRET, w.header(WebhookSigner.TIMESTAMP), w.body(),
                    w.header(WebhookSigner.SIGNATURE), Instant.now(), Duration.ofMinutes(5)));
            assertEquals(report.id(), webhook.requests().get(0).header(WebhookSigner.ID), "the first webhook has it too");
            Await.until("both deliveries marked", () -> delivery(main, "webhook-siem").status() == Outbox.Status.DELIVERED
                    && delivery(main, "webhook").status() == Outbox.Status.DELIVERED);
        }
    }

    @Test
    void aReceiverUrlWithAQueryIsCalledWithThatQueryAsWritten() throws Exception {
        // Google Chat's and Teams' incoming webhooks carry their key and signature in the query.
        Main main = daemon.start(Map.of("vigil.slack.webhook", slack.url(SLACK_PATH + "?token=s%2Bk"),
                "vigil.webhook.url", webhook.url("/hooks/vigil?key=K1&sig=a%2Fb%3D")));
        report(main, "/etc/shadow");
        Await.until("both receivers", () -> slack.requests().size() == 1 && webhook.requests().size() == 1);

        assertEquals(SLACK_PATH, slack.requests().get(0).path());
        assertEquals("token=s%2Bk", slack.requests().get(0).query());
        assertEquals("/hooks/vigil", webhook.requests().get(0).path());
        assertEquals("key=K1&sig=a%2Fb%3D", webhook.requests().get(0).query());
        Await.until("both deliveries marked", () -> delivery(main, "slack").status() == Outbox.Status.DELIVERED
                && delivery(main, "webhook").status() == Outbox.Status.DELIVERED);
    }

    @Test
    void aTenMegabyteLogLineReachesSlackAndTheWebhookCutWithItsMarkerAndTheNextReportFollows() throws Exception {
        Main main = start();
        daemon.longLogLine(main);
        Await.until("both receivers", () -> slack.requests().size() == 1 && webhook.requests().size() == 1);
        daemon.criticalFinding(main, "/etc/after-the-long-line");
        Await.until("the report behind it", () -> slack.requests().size() == 2 && webhook.requests().size() == 2);

        JsonNode message = new ObjectMapper().readTree(slack.requests().get(0).body());
        String section = message.get("blocks").get(1).get("text").get("text").asText();
        assertTrue(section.length() <= 3000, section.length() + " chars");
        assertTrue(section.contains("Nov 22 01:00:00 web app[1]: xxx"), section);
        assertTrue(section.contains(TestDaemon.LONG_LINE_MARKER), section);
        assertTrue(slack.requests().get(1).body().contains("/etc/after-the-long-line"));

        Report report = Report.fromJson(webhook.requests().get(0).body());
        assertEquals(1, report.findings().size(), "one finding for the line");
        String subject = report.findings().get(0).subject();
        assertTrue(subject.startsWith("Nov 22 01:00:00 web app[1]: xxx"), subject.substring(0, 40));
        assertTrue(subject.endsWith(TestDaemon.LONG_LINE_MARKER), subject.substring(subject.length() - 60));
        assertTrue(subject.length() < 100_000, subject.length() + " chars");
        assertEquals(List.of("/etc/after-the-long-line"), subjects(webhook).subList(1, 2));
    }

    /**
     * A log line is anyone's to write: one ending in a truncation marker with more digits than a long holds, long
     * enough for Slack to cut, reaches Slack cut with a marker of its own length, and the next report follows (the
     * marker's number, parsed, failed every attempt, and the Slack channel's lane waited a day behind it).
     */
    @Test
    void aLogLineEndingInAForgedTruncationMarkerReachesSlackCutAndTheNextReportFollows() throws Exception {
        Main main = start();
        String line = "Nov 22 01:00:00 web app[1]: " + "x".repeat(5000) + " \u2026 [truncated: 99999999999999999999 bytes]";
        daemon.logLine(main, line);
        Await.until("both receivers", () -> slack.requests().size() == 1 && webhook.requests().size() == 1);
        daemon.criticalFinding(main, "/etc/after-the-forged-marker");
        Await.until("the report behind it", () -> slack.requests().size() == 2 && webhook.requests().size() == 2);

        String section = new ObjectMapper().readTree(slack.requests().get(0).body()).get("blocks").get(1).get("text")
                .get("text").asText();
        assertTrue(section.contains(dev.vigil.alert.Truncated.marker(line.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)), section);
        assertTrue(slack.requests().get(1).body().contains("/etc/after-the-forged-marker"));
    }

    /** Forty log lines of 20,000 characters: a report of 800 KB, whoever wrote them. */
    private static List<String> longLines() {
        return IntStream.range(0, 40).mapToObj(i -> String.format("Nov 22 01:00:00 web app[1]: line %02d ", i)
                + "y".repeat(20_000)).toList();
    }

    /**
     * Log lines are anyone's to write, and enough of them make a report larger than a receiver takes (nginx refuses
     * a body over 1 MiB by default, for good): such a report would never reach the webhook, nor the finding that
     * mattered in it. A report past the webhook's maxBytes goes as parts under it, a signed request each with an id
     * of its own (the first the report's), every line once and in order.
     */
    @Test
    void aReportPastTheWebhooksMaxBytesArrivesAsSignedPartsUnderItEveryLineOnceInOrder() throws Exception {
        webhook.refuse(r -> r.body().getBytes(StandardCharsets.UTF_8).length > 256 * 1024, 413);
        Main main = daemon.start(Map.of("vigil.webhook.url", webhook.url("/hooks/vigil"), "vigil.webhook.secret", SECRET,
                "vigil.webhook.maxBytes", "256KB"));
        List<String> lines = longLines();
        daemon.logLines(main, lines);
        Await.until("the report delivered", () -> !deliveries(main, "webhook").isEmpty()
                && delivery(main, "webhook").status() == Outbox.Status.DELIVERED);

        List<HttpReceiver.Request> requests = webhook.requests();
        assertTrue(requests.size() >= 4, requests.size() + " requests");
        List<Report> parts = requests.stream().map(r -> Report.fromJson(r.body())).toList();
        assertEquals(lines, parts.stream().flatMap(p -> p.findings().stream()).map(Finding::subject).toList());
        String reportId = delivery(main, "webhook").reportId();
        assertEquals(requests.size(), parts.stream().map(Report::id).distinct().count(), "an id each");
        assertTrue(parts.stream().noneMatch(p -> p.id().equals(reportId)), "the report's id is the whole report's");
        for (int i = 0; i < requests.size(); i++) {
            HttpReceiver.Request r = requests.get(i);
            assertTrue(r.body().getBytes(StandardCharsets.UTF_8).length <= 256 * 1024, r.body().length() + " chars");
            assertEquals(parts.get(i).id(), r.header(WebhookSigner.ID));
            assertEquals(parts.get(i).id(), r.header(WebhookSigner.IDEMPOTENCY_KEY));
            assertTrue(WebhookSigner.verify(SECRET, r.header(WebhookSigner.TIMESTAMP), r.body(),
                    r.header(WebhookSigner.SIGNATURE), Instant.now(), Duration.ofMinutes(5)), "part " + i + " signed");
        }
    }

    /** A receiver whose limit is under the webhook's maxBytes refuses the part: the failure says which key to lower. */
    @Test
    void aPartTheReceiverStillFindsTooLargeIsGivenUpNamingTheKeyToLower() throws Exception {
        webhook.refuse(r -> r.body().getBytes(StandardCharsets.UTF_8).length > 100 * 1024, 413);
        Main main = daemon.start(Map.of("vigil.webhook.url", webhook.url("/hooks/vigil"), "vigil.webhook.maxBytes", "256KB"));
        daemon.logLines(main, longLines());
        Await.until("the refused delivery", () -> !deliveries(main, "webhook").isEmpty()
                && delivery(main, "webhook").status() != Outbox.Status.PENDING);

        Outbox.Delivery refused = delivery(main, "webhook");
        assertEquals(Outbox.Status.FAILED, refused.status(), "a 413 is not retried for a day");
        assertTrue(refused.lastError().contains("HTTP 413") && refused.lastError().contains("262144 bytes")
                && refused.lastError().contains("maxBytes"), refused.lastError());
        assertEquals(1, webhook.requests().size(), "the parts after a refused one are not sent");
    }

    @Test
    void aWebhookAnswering400IsGivenUpAtOnceAndTheNextReportIsDelivered() throws Exception {
        webhook.answer(400, Map.of());
        Main main = start();
        report(main, "/etc/refused");
        Await.until("the refused delivery", () -> delivery(main, "webhook").status() != Outbox.Status.PENDING);
        Outbox.Delivery refused = delivery(main, "webhook");
        assertEquals(Outbox.Status.FAILED, refused.status(), "a 400 is not retried for a day");
        assertEquals(1, refused.attempts());
        assertTrue(refused.lastError().contains("HTTP 400"), refused.lastError());

        report(main, "/etc/next");
        Await.until("the next report", () -> deliveries(main, "webhook").size() == 2
                && deliveries(main, "webhook").get(1).status() == Outbox.Status.DELIVERED);
        assertEquals(List.of("/etc/refused", "/etc/next"), subjects(webhook));

        Path configFile = daemon.config(Map.of("vigil.slack.webhook", slack.url(SLACK_PATH), "vigil.webhook.url",
                webhook.url("/hooks/vigil"), "vigil.webhook.secret", SECRET));
        String failed = vigil("outbox", "--failed", "--config", configFile.toString());
        assertTrue(failed.lines().anyMatch(l -> l.contains(refused.reportId()) && l.contains("webhook")), failed);
        vigil("outbox", "retry", refused.reportId(), "--config", configFile.toString());
        daemon.advance(Duration.between(daemon.now(), Instant.now()));
        // Awaited at the receiver: the clock just moved from 2026-01-01 to today, so the history's retention may
        // delete the report, created then, from the outbox as soon as it is delivered.
        Await.until("the re-queued report", () -> subjects(webhook).size() == 3);
        assertEquals(List.of("/etc/refused", "/etc/next", "/etc/refused"), subjects(webhook));
    }

    @Test
    void slacksRateLimitAndAWebhooksRetryAfterAreWaitedOutAsTheyAsk() throws Exception {
        slack.answer(429, Map.of("Retry-After", "120"));
        webhook.answer(503, Map.of("Retry-After", "180"));
        Main main = start();
        Instant sent = daemon.now();
        report(main, "/etc/passwd");
        Await.until("the refused attempts recorded", () -> delivery(main, "slack").attempts() == 1
                && delivery(main, "webhook").attempts() == 1);
        Outbox.Delivery refused = delivery(main, "slack");
        assertEquals(Outbox.Status.PENDING, refused.status());
        assertFalse(refused.nextAttempt().isBefore(sent.plusSeconds(120)), "next attempt " + refused.nextAttempt());
        assertTrue(refused.lastError().contains("HTTP 429"), refused.lastError());
        assertFalse(refused.lastError().contains("SlackSecretToken42"), "the webhook URL is a secret: " + refused.lastError());
        Outbox.Delivery webhookRefused = delivery(main, "webhook");
        assertFalse(webhookRefused.nextAttempt().isBefore(sent.plusSeconds(180)), "next attempt " + webhookRefused.nextAttempt());
        assertEquals("the receiver answered HTTP 503: no", webhookRefused.lastError(), "the part's failure, as it is");

        daemon.advance(Duration.ofSeconds(121));
        Await.until("the second attempt", () -> delivery(main, "slack").status() == Outbox.Status.DELIVERED);
        assertEquals(2, slack.requests().size());
        assertEquals(slack.requests().get(0).body(), slack.requests().get(1).body());
        assertEquals(1, webhook.requests().size(), "the webhook still waits");
        daemon.advance(Duration.ofSeconds(60));
        Await.until("the webhook's second attempt", () -> delivery(main, "webhook").status() == Outbox.Status.DELIVERED);
        assertEquals(2, webhook.requests().size());
    }

    /**
     * A receiver's answer is read, never trusted: a header named as the outbox's own retry hint, or a Retry-After
     * beyond any date, is a failed attempt recorded and retried as any other (each failed the recording of the
     * attempt, and the report was sent again every second).
     */
    @Test
    void aReceiversHeadersCannotUnsettleTheRetries() throws Exception {
        webhook.answer(503, Map.of(OutboxDispatcher.RETRY_AFTER, "soon"));
        slack.answer(503, Map.of("Retry-After", String.valueOf(Long.MAX_VALUE)));
        Main main = start();
        Instant sent = daemon.now();
        report(main, "/etc/passwd");

        Await.until("both refused attempts recorded", () -> delivery(main, "webhook").attempts() == 1
                && delivery(main, "slack").attempts() == 1);
        Outbox.Delivery webhookRefused = delivery(main, "webhook");
        assertEquals(Outbox.Status.PENDING, webhookRefused.status());
        assertTrue(webhookRefused.nextAttempt().isBefore(sent.plusSeconds(10)), "the first backoff: " + webhookRefused.nextAttempt());
        Outbox.Delivery slackRefused = delivery(main, "slack");
        assertEquals(Outbox.Status.PENDING, slackRefused.status());
        assertTrue(slackRefused.nextAttempt().isAfter(sent.plus(Duration.ofHours(23))), "as late as the retries go (24 h): "
                + slackRefused.nextAttempt());
        assertEquals(1, webhook.requests().size());
        assertEquals(1, slack.requests().size());
    }

    @Test
    void aWebhookAnswering500IsRetriedWithTheSameIdempotencyKey() throws Exception {
        webhook.answer(500, Map.of());
        Main main = start();
        report(main, "/etc/sudoers");
        Await.until("the failed attempt recorded", () -> delivery(main, "webhook").attempts() == 1);
        assertTrue(delivery(main, "webhook").lastError().contains("HTTP 500"), delivery(main, "webhook").lastError());

        daemon.advance(Duration.ofSeconds(10)); // past the first backoff (2.5 to 5 s)
        Await.until("the retry", () -> delivery(main, "webhook").status() == Outbox.Status.DELIVERED);
        List<HttpReceiver.Request> got = webhook.requests();
        assertEquals(2, got.size());
        assertEquals(got.get(0).header(WebhookSigner.IDEMPOTENCY_KEY), got.get(1).header(WebhookSigner.IDEMPOTENCY_KEY));
        assertEquals(1, slack.requests().size(), "the other channel was not held up or repeated");
    }

    @Test
    void aReceiverAnsweringWithAnEndlessBodyIsReadOnlyToItsStartAndTheReportsStillGo() throws Exception {
        webhook.answerEndlessly(500).answerEndlessly(200);
        Main main = start();
        report(main, "/etc/sudoers");
        Await.until("the failed attempt recorded", () -> delivery(main, "webhook").attempts() == 1);
        String error = delivery(main, "webhook").lastError();
        assertTrue(error.contains("HTTP 500: xxxx") && error.endsWith("\u2026"), error);

        daemon.advance(Duration.ofSeconds(10));
        Await.until("the retry, answered 200 and an endless body", () -> delivery(main, "webhook").status() == Outbox.Status.DELIVERED);
        report(main, "/etc/next");
        Await.until("the next report", () -> deliveries(main, "webhook").size() == 2
                && deliveries(main, "webhook").get(1).status() == Outbox.Status.DELIVERED);
        assertEquals(List.of("/etc/sudoers", "/etc/sudoers", "/etc/next"), subjects(webhook));
        Await.until("both endless answers cut off by the connection's close", () -> webhook.endlessCut() == 2);
    }

    @Test
    void reportsMadeWhileTheWebhookIsDownArriveOnceEachInOrderWhenItComesBack() throws Exception {
        int port = webhook.port();
        webhook.close();
        Main main = daemon.start(Map.of("vigil.webhook.url", "http://127.0.0.1:" + port + "/hook",
                "vigil.alerts.retry.initial", "1s", "vigil.alerts.retry.max", "2s"));
        for (int i = 0; i < 5; i++) {
            report(main, "/etc/outage-" + i);
            int made = i + 1;
            Await.until("report " + i + " stored and the oldest tried", () -> deliveries(main, "webhook").size() == made
                    && delivery(main, "webhook").attempts() >= made);
            daemon.advance(Duration.ofSeconds(3)); // retries keep failing meanwhile
        }

        webhook = new HttpReceiver(port);
        daemon.advance(Duration.ofSeconds(3));
        report(main, "/etc/after-outage");
        Await.until("every report", () -> webhook.requests().size() >= 6
                && TestDaemon.outbox(main).pendingCount() == 0);
        assertEquals(List.of("/etc/outage-0", "/etc/outage-1", "/etc/outage-2", "/etc/outage-3", "/etc/outage-4",
                "/etc/after-outage"), subjects(webhook));
    }

    @Test
    void aBacklogLongerThanOneReadOfTheOutboxGoesOutWholeAtOneWakeUpWithoutTheRetryTimer() throws Exception {
        webhook.answer(500, Map.of());
        // Pooling and holdoff off: each warning a report of its own at once, as many as the backlog needs (critical
        // findings would be ten reports a minute).
        Main main = daemon.start(Map.of("vigil.webhook.url", webhook.url("/hook"),
                "vigil.report.files.reportTime", "0", "vigil.report.files.reportHoldoff", "0"));
        // From here only a new report wakes the channels: the retry timer, which also would every second, is stopped.
        main.getCamelContext().getRouteController().stopRoute("outbox-retry");
        report(main, "/etc/backlog-0");
        Await.until("the failed attempt recorded", () -> delivery(main, "webhook").attempts() == 1);
        int backlog = 250;
        for (int i = 1; i < backlog; i++) {
            report(main, "/etc/backlog-" + i, Severity.WARNING);
        }
        Await.until("the backlog behind the failed report", () -> TestDaemon.outbox(main).pendingCount() == backlog);
        assertEquals(1, webhook.requests().size());

        daemon.advance(Duration.ofSeconds(10)); // past the first backoff (2.5 to 5 s)
        report(main, "/etc/after-backlog", Severity.WARNING);
        Await.until("every report after one wake-up", Duration.ofMinutes(5),
                () -> TestDaemon.outbox(main).pendingCount() == 0);
        List<String> expected = new java.util.ArrayList<>(List.of("/etc/backlog-0"));
        IntStream.range(0, backlog).forEach(i -> expected.add("/etc/backlog-" + i));
        expected.add("/etc/after-backlog");
        assertEquals(expected, subjects(webhook), "the failed report again, then each of the others once, in order");
    }

    @Test
    void reportsUndeliveredWhenTheDaemonStopsArriveOnceAfterItStartsAgain() throws Exception {
        int port = webhook.port();
        webhook.close();
        Map<String, String> config = Map.of("vigil.webhook.url", "http://127.0.0.1:" + port + "/hook");
        Main first = daemon.start(config);
        for (int i = 0; i < 3; i++) {
            report(first, "/etc/stopped-" + i);
        }
        Await.until("a failed attempt", () -> delivery(first, "webhook").attempts() > 0);
        daemon.stop(first);

        webhook = new HttpReceiver(port);
        daemon.advance(Duration.ofMinutes(1));
        Main second = daemon.start(config);
        Await.until("the three reports", () -> TestDaemon.outbox(second).pendingCount() == 0);
        assertEquals(List.of("/etc/stopped-0", "/etc/stopped-1", "/etc/stopped-2"), subjects(webhook));
    }

    @Test
    void aReportGivenUpAfterTheMaxAgeIsListedAndRequeuedWithAWholeNewRetryPeriod() throws Exception {
        int port = webhook.port();
        webhook.close();
        Map<String, String> config = Map.of("vigil.webhook.url", "http://127.0.0.1:" + port + "/hook",
                "vigil.alerts.retry.initial", "1s", "vigil.alerts.retry.max", "2s", "vigil.alerts.retry.maxAge", "1h");
        Main main = daemon.start(config);
        report(main, "/etc/given-up");
        Await.until("a failed attempt", () -> delivery(main, "webhook").attempts() > 0);
        daemon.advance(Duration.ofHours(2));
        Await.until("the delivery given up", () -> delivery(main, "webhook").status() == Outbox.Status.FAILED);
        String id = delivery(main, "webhook").reportId();

        Path configFile = daemon.config(config);
        String failed = vigil("outbox", "--failed", "--config", configFile.toString());
        assertTrue(failed.lines().anyMatch(l -> l.contains(id) && l.contains("webhook") && l.contains("FAILED")), failed);
        vigil("outbox", "retry", id, "--config", configFile.toString());
        // The command stamps the re-queue with the wall clock; the daemon's retry timer reads the test's clock.
        daemon.advance(Duration.between(daemon.now(), Instant.now()));

        Await.until("a failed attempt after the re-queue", () -> {
            Outbox.Delivery d = delivery(main, "webhook");
            return d.attempts() > 0 || d.status() != Outbox.Status.PENDING;
        });
        assertEquals(Outbox.Status.PENDING, delivery(main, "webhook").status(),
                "a re-queued delivery that fails again is retried, not given up at once");

        webhook = new HttpReceiver(port);
        daemon.advance(Duration.ofSeconds(3));
        Await.until("the delivery", () -> delivery(main, "webhook").status() == Outbox.Status.DELIVERED);
        daemon.advance(Duration.ofSeconds(3));
        String listed = vigil("outbox", "--config", configFile.toString());
        assertTrue(listed.lines().anyMatch(l -> l.contains(id) && l.contains("DELIVERED")), listed);
        assertEquals(List.of("/etc/given-up"), subjects(webhook));
    }

    /** Runs a CLI command as a user would on the daemon's config; its standard output. */
    private static String vigil(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, VigilCommand.commandLine().execute(args), String.join(" ", args));
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<String> subjects(HttpReceiver receiver) {
        return receiver.requests().stream().map(r -> Report.fromJson(r.body()).findings().get(0).subject()).toList();
    }
}
