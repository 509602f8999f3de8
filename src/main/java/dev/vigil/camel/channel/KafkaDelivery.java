package dev.vigil.camel.channel;

import dev.vigil.alert.FleetRecord;
import dev.vigil.alert.Report;
import dev.vigil.alert.WebhookSigner;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.time.Instant;

/**
 * The {@code kafkaDelivery} bean: the step before camel-kafka in the kafka channel route. The report becomes the
 * record's value (its JSON, the line the alert file holds) with the fleet's headers, signed with this host's key
 * ({@code vigil.kafka.key}); every other header is removed, since camel-kafka sends the message's headers as the
 * record's.
 */
public final class KafkaDelivery {

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
}
