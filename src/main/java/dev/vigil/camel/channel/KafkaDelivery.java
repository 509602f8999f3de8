package dev.vigil.camel.channel;

import dev.vigil.alert.FleetRecord;
import dev.vigil.alert.Report;
import dev.vigil.alert.WebhookSigner;
import org.apache.camel.EndpointAware;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Service;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.support.service.ServiceHelper;

import java.time.Instant;
import java.util.List;

/**
 * The {@code kafkaDelivery} bean: the steps before camel-kafka in the kafka channel route. The report (or each part
 * of a very large one) becomes a record's value (its JSON, the line the alert file holds) with the fleet's headers, signed with this host's key
 * ({@code vigil.kafka.key}); every other header is removed, since camel-kafka sends the message's headers as the
 * record's.
 *
 * <p>A Kafka client whose login the brokers refused (a wrong SASL password, a client certificate they do not
 * trust) stays refused when it is idempotent, even after the credential is put right: Kafka's producer keeps
 * the failure for good. {@link #loginRefused} therefore has the route's Kafka step restarted; its endpoint starts
 * its client lazily ({@code lazyStartProducer}), so the new client logs in at the next attempt, not at once with
 * the credential that may not be right yet.
 */
public final class KafkaDelivery {

    private final String host;
    private final WebhookSigner signer;

    public KafkaDelivery(String host, WebhookSigner signer) {
        this.host = host;
        this.signer = signer;
    }

    /** The report as the records it is published in ({@link OutboxDispatcher#parts}): one, unless it is very large. */
    public List<Report> parts(Exchange exchange) {
        return OutboxDispatcher.parts(exchange, FleetRecord.MAX_REPORT_BYTES);
    }

    /** One record: the report (or part) as its value, with the fleet's signed headers. */
    public void record(Exchange exchange) {
        Message m = exchange.getMessage();
        Report report = m.getBody(Report.class);
        String value = OutboxDispatcher.json(exchange); // the outbox's, unless a part
        m.removeHeaders("*");
        FleetRecord.headers(signer, report.id(), host, value, Instant.now()).forEach(m::setHeader);
        m.setBody(value);
    }

    /**
     * The brokers refused the login (the route's caught exception): the next attempt gets a new client
     * ({@link #renewClient}), and this one fails as it did, for the outbox to retry.
     */
    public void loginRefused(Exchange exchange) throws Exception {
        renewClient(exchange);
        throw exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
    }

    /**
     * Stops and starts again the steps of the exchange's route that send to Kafka, so each makes a new client (at
     * its next use, being lazy). The route itself keeps running: the outbox still counts its channel.
     */
    public static void renewClient(Exchange exchange) {
        for (Processor step : exchange.getContext().getRoute(exchange.getFromRouteId()).filter("*")) {
            if (step instanceof EndpointAware sender && sender.getEndpoint() instanceof KafkaEndpoint
                    && step instanceof Service service) {
                ServiceHelper.stopService(service);
                ServiceHelper.startService(service);
            }
        }
    }
}
