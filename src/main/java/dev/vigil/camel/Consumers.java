package dev.vigil.camel;

import dev.vigil.alert.Finding;
import dev.vigil.fim.Integrity;
import dev.vigil.fim.ScanStats;
import dev.vigil.fim.Scanner;
import dev.vigil.store.Database;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;

/** What Vigil's consumers share: handing one finding to their route, taking a first baseline. */
final class Consumers {

    private static final Logger LOG = LoggerFactory.getLogger(Consumers.class);

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

    /**
     * Takes the first baseline of those {@code roots} that have none, and returns them. {@code fscan:} and
     * {@code fswatch:} both do this when they start; holding the database while deciding and scanning makes
     * the second wait and then find the baseline there, instead of reading the same tree twice.
     */
    static List<Path> baselineMissing(Database db, Integrity integrity, List<Path> roots, Scanner.Sink problems, String who) {
        synchronized (db) {
            List<Path> missing = roots.stream().filter(r -> !integrity.hasBaseline(r)).toList();
            if (!missing.isEmpty()) {
                LOG.info("{}: taking the first baseline of {}", who, missing);
                integrity.baseline(missing, problems, new ScanStats());
            }
            return missing;
        }
    }
}
