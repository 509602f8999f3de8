package dev.vigil.camel;

import dev.vigil.Await;
import dev.vigil.alert.Finding;
import dev.vigil.alert.Report;
import dev.vigil.alert.Severity;
import dev.vigil.alert.Source;
import dev.vigil.store.Outbox;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.Main;
import org.apache.camel.model.ToDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * routes/report.yaml as shipped, with the real beans over a real SQLite file: findings are pooled per source
 * until their report time, go to the outbox and from there to every channel; critical ones skip the pool.
 * Only the webhook's HTTP endpoint (the receiver at the edge) is a mock, answering 200.
 */
class ReportRouteTest {

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    private Main start() throws Exception {
        Main main = daemon.start(Map.of("vigil.webhook.url", "http://127.0.0.1:9/hooks/vigil"), context ->
                AdviceWith.adviceWith(context, "channel-webhook", a -> a.weaveByType(ToDefinition.class).replace().to("mock:webhook")));
        webhook(main).whenAnyExchangeReceived(e -> e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200));
        webhook(main).setResultWaitTime(TimeUnit.SECONDS.toMillis(60));
        return main;
    }

    private static MockEndpoint webhook(Main main) {
        return main.getCamelContext().getEndpoint("mock:webhook", MockEndpoint.class);
    }

    private void send(Main main, String subject, Severity severity) {
        main.getCamelContext().createProducerTemplate().sendBody("direct:report",
                new Finding(Source.FILES, "MODIFIED", subject, "test-host", daemon.now(), severity, Map.of()));
    }

    /** The subjects of the report in a webhook request (camel-http's entity, the bytes signed). */
    private static List<String> subjects(Exchange request) throws Exception {
        return Report.fromJson(EntityUtils.toString(request.getMessage().getBody(HttpEntity.class))).findings().stream()
                .map(Finding::subject).toList();
    }

    @Test
    void aWarningIsPooledUntilItsReportTimeThenOneReportReachesEveryChannel() throws Exception {
        Main main = start();
        CamelContext context = main.getCamelContext();
        NotifyBuilder ticks = new NotifyBuilder(context).fromRoute("report-due").whenCompleted(3).create();
        send(main, "/etc/hosts", Severity.WARNING);
        send(main, "/etc/motd", Severity.WARNING);

        assertTrue(ticks.matches(60, TimeUnit.SECONDS), "three ticks of the report timer");
        assertEquals(List.of(), TestDaemon.outbox(main).list(false, 10), "nothing in the outbox before report time (15 s)");
        assertEquals(0, webhook(main).getReceivedCounter());

        // The webhook's route splits a report into its parts (one here): the part's exchange completes in it too.
        NotifyBuilder delivered = new NotifyBuilder(context).fromRoute("channel-webhook").whenExactlyCompleted(2)
                .and().fromRoute("channel-file").whenExactlyCompleted(1).create();
        webhook(main).expectedMessageCount(1);
        daemon.advance(Duration.ofSeconds(15));
        assertTrue(delivered.matches(60, TimeUnit.SECONDS), "one report, delivered to the webhook and the file");
        webhook(main).assertIsSatisfied();
        assertEquals(List.of("/etc/hosts", "/etc/motd"), subjects(webhook(main).getReceivedExchanges().get(0)));
        Await.until("the report marked delivered on every channel", () -> TestDaemon.outbox(main).list(false, 10)
                .stream().allMatch(d -> d.status() == dev.vigil.store.Outbox.Status.DELIVERED)
                && TestDaemon.outbox(main).list(false, 10).size() == 3);
    }

    /** The configuration takes whole numbers written with underscores (1_000); the pools read them so too. */
    @Test
    void poolBoundsWrittenWithUnderscoresBoundThePools() throws Exception {
        Main main = daemon.start(Map.of("vigil.webhook.url", "http://127.0.0.1:9/hooks/vigil",
                "vigil.report.files.maxFindings", "0_002", "vigil.report.totalMaxChars", "134_217_728"), context ->
                AdviceWith.adviceWith(context, "channel-webhook", a -> a.weaveByType(ToDefinition.class).replace().to("mock:webhook")));
        webhook(main).whenAnyExchangeReceived(e -> e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200));
        webhook(main).expectedMessageCount(1);
        webhook(main).setResultWaitTime(TimeUnit.SECONDS.toMillis(60));
        for (String subject : List.of("/etc/hosts", "/etc/motd", "/etc/issue")) {
            send(main, subject, Severity.WARNING);
        }
        daemon.advanceOncePooled(main, Duration.ofSeconds(15));

        webhook(main).assertIsSatisfied();
        assertEquals(List.of("/etc/hosts", "/etc/motd", "1 more finding not in this report; vigil events lists them"),
                subjects(webhook(main).getReceivedExchanges().get(0)));
    }

    @Test
    void aCriticalFindingSkipsThePoolAndIsReportedAtOnce() throws Exception {
        Main main = start();
        webhook(main).expectedMessageCount(1);
        send(main, "/etc/shadow", Severity.CRITICAL);

        webhook(main).assertIsSatisfied();
        assertEquals(List.of("/etc/shadow"), subjects(webhook(main).getReceivedExchanges().get(0)));
    }

    /**
     * Reports the outbox cannot store (a trigger refuses them, as a full disk would), a critical one at once and a
     * pooled one at its report time, are stored again at each tick, their findings still marked pooled in the event
     * history, and go out once the outbox takes them, once each: not only at the next start (a report was gone from
     * memory, and a collector's poll read again found it forwarded).
     */
    @Test
    void reportsTheOutboxCouldNotStoreAreStoredAgainAndGoOutOnceItCan() throws Exception {
        Main main = daemon.start(Map.of());
        String database = "jdbc:sqlite:" + daemon.dir.resolve("vigil.db");
        try (Connection c = DriverManager.getConnection(database); Statement s = c.createStatement()) {
            s.execute("CREATE TRIGGER refuse_report BEFORE INSERT ON outbox_report BEGIN SELECT RAISE(ABORT, 'refused'); END");
        }
        send(main, "/etc/shadow", Severity.CRITICAL);
        send(main, "/etc/hosts", Severity.WARNING);
        daemon.advance(Duration.ofSeconds(15));
        NotifyBuilder refused = new NotifyBuilder(main.getCamelContext()).fromRoute("report-due").whenCompleted(3).create();
        assertTrue(refused.matches(60, TimeUnit.SECONDS), "three ticks of the report timer");
        assertEquals(List.of(), daemon.alertReports());
        assertEquals(List.of("/etc/hosts", "/etc/shadow"), new dev.vigil.store.EventLog(Beans.database(main.getCamelContext()))
                .pooled().stream().map(r -> r.finding().subject()).sorted().toList(), "still pooled");

        try (Connection c = DriverManager.getConnection(database); Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER refuse_report");
        }
        Await.until("both reports in the alert file", () -> daemon.alertReports().size() == 2);
        NotifyBuilder ticks = new NotifyBuilder(main.getCamelContext()).fromRoute("report-due").whenCompleted(3).create();
        assertTrue(ticks.matches(60, TimeUnit.SECONDS), "three more ticks");
        assertEquals(List.of(List.of("/etc/shadow"), List.of("/etc/hosts")), daemon.alertReports().stream()
                .map(r -> r.findings().stream().map(Finding::subject).toList()).toList());
        assertEquals(List.of(), new dev.vigil.store.EventLog(Beans.database(main.getCamelContext())).pooled());
    }

    /**
     * A channel marks a delivery before its next send once the first unmarked one began 50 ms ago: a receiver as slow
     * as a mail server has each report marked before the next goes, so a kill -9 can make it send one again, not a
     * page of them.
     */
    @Test
    void aSlowReceiversDeliveryIsMarkedBeforeTheNextReportIsSent() throws Exception {
        Main main = start();
        CountDownLatch allStored = new CountDownLatch(1);
        Map<String, Map<String, Outbox.Status>> seenAtEachRequest = new ConcurrentHashMap<>();
        webhook(main).whenAnyExchangeReceived(e -> {
            String subject = subjects(e).get(0);
            if (subject.equals("/etc/a")) {
                allStored.await(30, TimeUnit.SECONDS);
            }
            seenAtEachRequest.put(subject, webhookStatuses(main));
            Thread.sleep(100);
            e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        });
        webhook(main).expectedMessageCount(3);
        for (String subject : List.of("/etc/a", "/etc/b", "/etc/c")) {
            send(main, subject, Severity.CRITICAL);
        }
        allStored.countDown();

        webhook(main).assertIsSatisfied();
        assertEquals(Outbox.Status.DELIVERED, seenAtEachRequest.get("/etc/c").get("/etc/b"),
                "/etc/b marked before /etc/c was sent (read from the outbox with it, after /etc/a)");
    }

    /** Each report's webhook delivery status, by the report's one subject. */
    private static Map<String, Outbox.Status> webhookStatuses(Main main) {
        return TestDaemon.outbox(main).list(false, 20).stream().filter(d -> d.channel().equals("webhook"))
                .collect(Collectors.toMap(d -> d.report().findings().get(0).subject(), Outbox.Delivery::status));
    }
}
