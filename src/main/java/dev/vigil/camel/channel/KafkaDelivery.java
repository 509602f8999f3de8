package dev.vigil.camel.channel;

import dev.vigil.alert.FleetRecord;
import dev.vigil.alert.Report;
import dev.vigil.alert.WebhookSigner;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * The {@code kafkaDelivery} bean: the step before camel-kafka in the kafka channel route. The report becomes the
 * record's value (its JSON, the line the alert file holds) with the fleet's headers, signed with this host's key
 * ({@code vigil.kafka.key}); every other header is removed, since camel-kafka sends the message's headers as the
 * record's.
 *
 * <p>A Kafka client whose login the brokers refused (a wrong SASL password, a client certificate they do not
 * trust) stays refused when it is idempotent, even after the credential is put right: Kafka's producer keeps
 * the failure for good. {@link #loginRefused} therefore has the route restarted; its endpoint starts its client
 * lazily ({@code lazyStartProducer}), so the new client logs in at the next attempt, not at once with the
 * credential that may not be right yet.
 */
public final class KafkaDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaDelivery.class);

    private final String host;
    private final WebhookSigner signer;

    public KafkaDelivery(String host, WebhookSigner signer) {
        this.host = host;
        this.signer = signer;
    }

    public void report(Exchange exchange) {
        Message m = exchange.getMessage();
        Report report = m.getBody(Report.class);
        String value = report.toJson();
        m.removeHeaders("*");
        FleetRecord.headers(signer, report.id(), host, value, Instant.now()).forEach(m::setHeader);
        m.setBody(value);
    }

    /**
     * The brokers refused the login (the route's caught exception): the route is restarted once this attempt is
     * over, making a new client for the next attempt, and the attempt fails as it did, for the outbox to retry.
     */
    public void loginRefused(Exchange exchange) throws Exception {
        renewClient(exchange);
        throw exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
    }

    /**
     * Restarts the exchange's route from another thread (stopping it waits for this exchange to end), so that its
     * Kafka client is made anew.
     */
    public static void renewClient(Exchange exchange) {
        String route = exchange.getFromRouteId();
        Thread restart = new Thread(() -> {
            try {
                exchange.getContext().getRouteController().stopRoute(route);
                exchange.getContext().getRouteController().startRoute(route);
            } catch (Exception e) {
                LOG.warn("cannot restart route {} for a new Kafka client: {}", route, e.getMessage());
            }
        }, "vigil-renew-" + route);
        restart.setDaemon(true);
        restart.start();
    }
}
