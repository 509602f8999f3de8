package dev.vigil.camel.fscan;

import dev.vigil.source.Supervisor;
import dev.vigil.camel.SourceConsumer;
import dev.vigil.camel.Consumers;
import dev.vigil.camel.status.VigilMetrics;
import dev.vigil.alert.Source;
import dev.vigil.store.DaemonStatus;
import dev.vigil.camel.Beans;

import dev.vigil.fim.Change;
import dev.vigil.fim.Integrity;
import dev.vigil.fim.ReportedDeviations;
import dev.vigil.fim.Trickle;
import dev.vigil.os.PathBytes;
import dev.vigil.store.SqliteBaseline;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * {@code mode=trickle}: integrityd's continuous, slow, randomised check ({@link Trickle}) on a thread from
 * Camel's executor service, for as long as the route runs. Each deviation is sent once; an entry found as in
 * the baseline again after being reported is sent as REVERTED; each completed cycle is logged with its
 * duration. A trickle that fails (its areas all missing, the database unwritable for a while) starts again
 * under a {@link Supervisor}, after a backoff, over the areas that exist by then: a daemon's continuous check
 * must not end with one error.
 */
public final class TrickleConsumer extends DefaultConsumer implements SourceConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(TrickleConsumer.class);

    private final FscanEndpoint endpoint;
    private final Object lock = new Object();
    /** Cycles completed since start: what a wait for the trickle to go round counts. */
    private final AtomicLong cycles = new AtomicLong();
    private ExecutorService executor;
    private Trickle trickle;
    private boolean stopping;
    private Supervisor supervisor;
    private volatile Trickle.Cycle lastCycle;

    TrickleConsumer(FscanEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        FileFindings findings = new FileFindings(this, endpoint);
        Integrity integrity = endpoint.integrity();
        SqliteBaseline store = new SqliteBaseline(Beans.database(endpoint.getCamelContext()), endpoint.host());
        ReportedDeviations reported = integrity.reported();
        synchronized (lock) {
            stopping = false;
        }
        supervisor = new Supervisor("fscan:" + endpoint.getName() + " trickle");
        executor = endpoint.getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this, "fscan-trickle");
        executor.submit(() -> run(integrity, store, findings, reported));
    }

    private void run(Integrity integrity, SqliteBaseline store, FileFindings findings, ReportedDeviations reported) {
        supervisor.run(() -> {
            List<Path> areas = findings.existingAreas();
            Trickle current;
            synchronized (lock) {
                if (stopping) {
                    return null;
                }
                current = new Trickle(store, trickleName(), areas, endpoint.trickleOptions());
                trickle = current;
            }
            Consumers.baselineMissing(Beans.database(endpoint.getCamelContext()), integrity, areas, findings,
                    "fscan:" + endpoint.getName());
            findings.summariseOnce();
            current.run(listener(findings, reported));
            return null;
        });
    }

    private String trickleName() {
        return "fscan:" + endpoint.getName();
    }

    @Override
    public Set<String> trickles() {
        return Set.of(trickleName());
    }

    private Trickle.Listener listener(FileFindings findings, ReportedDeviations reported) {
        VigilMetrics metrics = VigilMetrics.of(endpoint.getCamelContext());
        return new Trickle.Listener() {
            @Override
            public void change(Change change, String remembered) {
                reported.fresh(change, remembered).ifPresent(mark -> findings.change(change, mark));
            }

            @Override
            public void unchanged(byte[] path, String remembered) {
                reported.reverted(path, remembered).ifPresent(findings::reverted);
            }

            @Override
            public void read(long bytes) {
                metrics.trickleRead(bytes);
            }

            @Override
            public void cycle(Trickle.Cycle cycle) {
                lastCycle = cycle;
                cycles.incrementAndGet();
                // A small area goes round many times a second; its cycles are not news.
                (cycle.duration().toMinutes() >= 1 ? LOG.atInfo() : LOG.atDebug()).log("fscan:{}: trickle cycle {} took {} ({} entries, {} bytes read, {} changes)",
                        endpoint.getName(), cycle.number(), cycle.duration(), cycle.entries(), cycle.bytes(), cycle.changes());
            }

            @Override
            public void problem(byte[] path, String message) {
                LOG.debug("fscan:{}: {}: {}", endpoint.getName(), PathBytes.escape(path), message);
            }
        };
    }

    @Override
    protected void doStop() throws Exception {
        synchronized (lock) {
            stopping = true;
            if (supervisor != null) {
                supervisor.stop();
            }
            if (trickle != null) {
                trickle.stop();
            }
        }
        if (executor != null) {
            endpoint.getCamelContext().getExecutorServiceManager().shutdownGraceful(executor);
        }
        super.doStop();
    }

    /** The number of cycles completed since the consumer started. */
    public long completedCycles() {
        return cycles.get();
    }

    @Override
    public DaemonStatus.SourceStatus status() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("check", "trickle");
        facts.put("areas", endpoint.getConfiguration().areaList());
        facts.put("cycles", cycles.get());
        Trickle current;
        synchronized (lock) {
            current = trickle;
        }
        if (current != null) {
            Trickle.Progress progress = current.progress();
            facts.put("cycleEntries", progress.cycleEntries());
            progress.cycleShare().ifPresent(share -> facts.put("cyclePercent", Math.round(share * 100)));
            facts.put("bytesRead", progress.bytes());
            facts.put("speed", progress.speed());
        }
        Trickle.Cycle last = lastCycle;
        if (last != null) {
            facts.put("lastCycleEntries", last.entries());
            facts.put("lastCycleSeconds", last.duration().toMillis() / 1000.0);
        }
        return Consumers.status(this, supervisor, null, facts);
    }

    @Override
    public Source source() {
        return Source.FILES;
    }

    @Override
    public String mode() {
        return "trickle";
    }

    @Override
    public String announcement() {
        return "trickling over " + endpoint.getConfiguration().getAreas();
    }
}
