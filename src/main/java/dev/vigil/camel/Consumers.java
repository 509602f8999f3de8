package dev.vigil.camel;

import dev.vigil.camel.status.VigilMetrics;
import dev.vigil.source.RepeatedFailure;
import dev.vigil.source.Supervisor;
import dev.vigil.store.DaemonStatus;

import dev.vigil.alert.Finding;
import dev.vigil.fim.Integrity;
import dev.vigil.fim.ReportMark;
import dev.vigil.camel.daemon.ReportPipeline;
import dev.vigil.fim.ScanStats;
import dev.vigil.fim.Scanner;
import dev.vigil.store.Database;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/** What Vigil's consumers share: handing one finding to their route, taking a first baseline. */
public final class Consumers {

    private static final Logger LOG = LoggerFactory.getLogger(Consumers.class);

    /** How often a first baseline in progress says how far it is: a first baseline of / takes minutes. */
    private static final java.time.Duration PROGRESS_EVERY = java.time.Duration.ofSeconds(30);

    private Consumers() {
    }

    /** Each consumer's failures to route a finding, logged a line a minute while they repeat. */
    private static final Map<DefaultConsumer, RepeatedFailure> ROUTING_FAILURES = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * Sends {@code finding} (body and {@link Headers}) through the consumer's route and waits for it. A failure
     * is logged instead of thrown, a line a minute while it repeats (the event history on a full disk fails every
     * finding of a log flood), not a stack trace each; returns whether the route took it, for a source that can read
     * its input again (the log tail) to do so.
     */
    public static boolean send(DefaultConsumer consumer, Finding finding) {
        return send(consumer, finding, List.of());
    }

    /**
     * {@link #send(DefaultConsumer, Finding)} with the marks recording it makes in the store
     * ({@link ReportPipeline#REPORT_MARKS}): a file checker's deviation is remembered as reported, and a tampered
     * baseline's seal replaced, only with its record in the event history, so one lost on the way is found again. The finding counts in the metrics once
     * routed, unless the report route dropped it as a deviation another checker recorded first (its marks made,
     * no {@link ReportPipeline#EVENT} row). Returns whether it was routed and not dropped so.
     */
    public static boolean send(DefaultConsumer consumer, Finding finding, List<ReportMark> marks) {
        Exchange exchange = consumer.createExchange(false);
        RepeatedFailure failures = ROUTING_FAILURES.computeIfAbsent(consumer, c -> new RepeatedFailure(LOG,
                "routing findings from " + c.getEndpoint().getEndpointBaseUri()));
        try {
            Headers.set(exchange.getMessage(), finding);
            if (!marks.isEmpty()) {
                exchange.setProperty(ReportPipeline.REPORT_MARKS, marks);
            }
            consumer.getProcessor().process(exchange);
            if (exchange.getException() != null) {
                failures.failed(exchange.getException());
            } else {
                failures.succeeded();
                if (marks.isEmpty() || exchange.getMessage().getHeader(ReportPipeline.EVENT) != null) {
                    VigilMetrics.of(consumer.getEndpoint().getCamelContext()).finding(finding);
                    return true;
                }
            }
        } catch (Exception e) {
            failures.failed(e);
        } finally {
            consumer.releaseExchange(exchange, false);
        }
        return false;
    }

    /**
     * The status of a source consumer: running while started, failing with what its supervisor's work last failed
     * with (or {@code problem}, what else keeps it from working as configured), and its facts.
     */
    public static <C extends DefaultConsumer & SourceConsumer> DaemonStatus.SourceStatus status(C consumer,
            Supervisor supervisor, String problem, Map<String, Object> facts) {
        String failing = Optional.ofNullable(supervisor).flatMap(Supervisor::failing).orElse(problem);
        return new DaemonStatus.SourceStatus(consumer.getRouteId(), consumer.source().text(), consumer.isStarted(), failing, facts);
    }

    /**
     * Each database's first baselines: decided and taken one at a time, under a lock that is not the {@link Database}
     * object's own monitor (every operation on the store takes that for a moment, so holding it through a first
     * baseline of / stopped the daemon's other work on the store, the log source's findings, the outbox, the fleet
     * heartbeat, for minutes); and stopped when the daemon stops.
     */
    private static final class FirstBaselines {
        final Object turn = new Object();
        /** Set once by {@link #stopFirstBaselines}: no first baseline is taken or finished after it. */
        volatile boolean stopping;
        /** The thread taking one now, which the stop interrupts; cleared under this object's lock. */
        volatile Thread taking;
    }

    private static final Map<Database, FirstBaselines> FIRST_BASELINES = Collections.synchronizedMap(new WeakHashMap<>());

    private static FirstBaselines firstBaselines(Database db) {
        return FIRST_BASELINES.computeIfAbsent(db, d -> new FirstBaselines());
    }

    /**
     * Stops the first baseline being taken of {@code db}, and any asked for after, for good: the daemon is stopping.
     * The watch takes its first baseline as it starts, and Camel Main acts on a SIGTERM only once the start has ended:
     * minutes on a first baseline of /, while a service manager waits for the stop.
     */
    public static void stopFirstBaselines(Database db) {
        FirstBaselines first = firstBaselines(db);
        synchronized (first) {
            first.stopping = true;
            if (first.taking != null) {
                first.taking.interrupt();
            }
        }
    }

    /**
     * Takes the first baseline of those {@code roots} that have none, and returns them. {@code fscan:} and
     * {@code fswatch:} both do this when they start; taking them one at a time makes the second wait and then find
     * the baseline there, instead of reading the same tree twice. A baseline added to one that has rows is announced
     * as an ACCEPTED finding with its seal, as {@code vigil baseline} does (by the store: {@code integrity}'s, made
     * with the daemon's host).
     *
     * @throws InterruptedException the daemon is stopping ({@link #stopFirstBaselines}): nothing of this baseline is
     *                              kept, and the next start takes it
     */
    public static List<Path> baselineMissing(Database db, Integrity integrity, List<Path> roots, Scanner.Sink problems,
                                             String who) throws InterruptedException {
        FirstBaselines first = firstBaselines(db);
        synchronized (first.turn) {
            List<Path> missing = roots.stream().filter(r -> !integrity.hasBaseline(r)).toList();
            if (missing.isEmpty()) {
                return missing;
            }
            first.taking = Thread.currentThread();
            try {
                if (first.stopping) {
                    // another source's was stopped while this one waited for it: said once, there
                    LOG.debug("{}: no first baseline of {}: the daemon stops", who, missing);
                    throw new InterruptedException(who + ": first baseline not taken, the daemon stops");
                }
                LOG.info("{}: taking the first baseline of {}", who, missing);
                ScanStats stats = new ScanStats();
                stats.countAhead(missing, integrity.excludes());
                try (ScanStats.Reporting progress = stats.reportEvery(PROGRESS_EVERY, line -> LOG.info("{}: first baseline: {}", who, line))) {
                    integrity.baseline(missing, problems, stats);
                } catch (RuntimeException e) {
                    if (first.stopping) {
                        throw stopped(who, missing);
                    }
                    throw e;
                }
                LOG.info("{}: baseline done: {}", who, stats.summary());
                return missing;
            } finally {
                // under the lock the stop takes: its interrupt comes before this, or never (not later, on a
                // thread that goes on with the rest of the start)
                synchronized (first) {
                    first.taking = null;
                    if (first.stopping) {
                        Thread.interrupted(); // the stop's interrupt, answered here
                    }
                }
            }
        }
    }

    private static InterruptedException stopped(String who, List<Path> missing) {
        LOG.info("{}: the first baseline of {} is left unfinished, as the daemon stops; nothing of it is kept, and the next"
                + " start takes it", who, missing);
        return new InterruptedException(who + ": first baseline stopped");
    }
}
