package dev.vigil.camel;

import dev.vigil.fim.Change;
import dev.vigil.fim.Integrity;
import dev.vigil.fim.PathBytes;
import dev.vigil.fim.ReportedDeviations;
import dev.vigil.fim.Trickle;
import dev.vigil.store.SqliteBaseline;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * {@code mode=trickle}: integrityd's continuous, slow, randomised check ({@link Trickle}) on a thread from
 * Camel's executor service, for as long as the route runs. Each deviation is sent once; an entry found as in
 * the baseline again after being reported is sent as REVERTED; each completed cycle is logged with its
 * duration. A trickle that fails (the database unwritable for a while, say) starts again a minute later: a
 * daemon's continuous check must not end with one error.
 */
final class TrickleConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(TrickleConsumer.class);

    private static final Duration RESTART_DELAY = Duration.ofMinutes(1);

    private final FscanEndpoint endpoint;
    private final Object lock = new Object();
    private ExecutorService executor;
    private Trickle trickle;
    private boolean stopping;

    TrickleConsumer(FscanEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        FileFindings findings = new FileFindings(this, endpoint);
        Integrity integrity = endpoint.integrity();
        SqliteBaseline store = new SqliteBaseline(Beans.database(endpoint.getCamelContext()));
        List<Path> areas = findings.existingAreas();
        ReportedDeviations reported = new ReportedDeviations(store);
        synchronized (lock) {
            stopping = false;
        }
        executor = endpoint.getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this, "fscan-trickle");
        executor.submit(() -> run(integrity, store, areas, findings, reported));
    }

    private void run(Integrity integrity, SqliteBaseline store, List<Path> areas, FileFindings findings,
                     ReportedDeviations reported) {
        String lastError = null;
        while (true) {
            synchronized (lock) {
                if (stopping) {
                    return;
                }
                trickle = new Trickle(store, areas, endpoint.trickleOptions());
            }
            try {
                Consumers.baselineMissing(Beans.database(endpoint.getCamelContext()), integrity, areas, findings,
                        "fscan:" + endpoint.getName());
                findings.summariseOnce();
                trickle.run(listener(findings, reported));
                return;
            } catch (RuntimeException e) {
                // the same failure again (no baseline, say) is said once, not every minute
                (e.getMessage() != null && e.getMessage().equals(lastError) ? LOG.atDebug() : LOG.atError()).log(
                        "fscan:{}: the trickle stopped: {}; it starts again in {}", endpoint.getName(), e.getMessage(),
                        RESTART_DELAY);
                lastError = e.getMessage();
            }
            synchronized (lock) {
                try {
                    if (!stopping) {
                        lock.wait(RESTART_DELAY.toMillis());
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private Trickle.Listener listener(FileFindings findings, ReportedDeviations reported) {
        return new Trickle.Listener() {
            @Override
            public void change(Change change) {
                if (reported.fresh(change)) {
                    findings.change(change);
                }
            }

            @Override
            public void unchanged(byte[] path) {
                if (reported.reverted(path)) {
                    findings.reverted(path);
                }
            }

            @Override
            public void cycle(Trickle.Cycle cycle) {
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
            lock.notifyAll();
            if (trickle != null) {
                trickle.stop();
            }
        }
        if (executor != null) {
            endpoint.getCamelContext().getExecutorServiceManager().shutdownGraceful(executor);
        }
        super.doStop();
    }
}
