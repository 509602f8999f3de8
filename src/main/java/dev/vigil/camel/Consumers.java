package dev.vigil.camel;

import dev.vigil.alert.Finding;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultConsumer;

/** What Vigil's consumers share: handing one finding to their route. */
final class Consumers {

    private Consumers() {
    }

    /**
     * Sends {@code finding} (body and {@link Headers}) through the consumer's route and waits for it. A failure
     * goes to the consumer's exception handler instead of ending the poll, so one finding the route cannot take
     * does not hold back the others.
     */
    static void send(DefaultConsumer consumer, Finding finding) {
        Exchange exchange = consumer.createExchange(false);
        String failed = "routing a finding from " + consumer.getEndpoint().getEndpointBaseUri() + " failed";
        try {
            Headers.set(exchange.getMessage(), finding);
            consumer.getProcessor().process(exchange);
            if (exchange.getException() != null) {
                consumer.getExceptionHandler().handleException(failed, exchange, exchange.getException());
            }
        } catch (Exception e) {
            consumer.getExceptionHandler().handleException(failed, exchange, e);
        } finally {
            consumer.releaseExchange(exchange, false);
        }
    }
}
