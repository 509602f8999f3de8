package dev.vigil.camel.fscan;

import dev.vigil.alert.Source;
import dev.vigil.camel.Announced;
import dev.vigil.camel.Consumers;
import dev.vigil.source.Supervisor;
import dev.vigil.camel.Beans;

import dev.vigil.fim.Integrity;
import dev.vigil.fim.ScanStats;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledPollConsumer;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code mode=full}: one complete quick (or paranoid) check per poll on Camel's scheduler thread, sending every
 * new deviation into the route. An area without a baseline gets one on its first run instead. The check runs
 * under a {@link Supervisor}.
 */
final class FscanConsumer extends ScheduledPollConsumer implements Announced {

    private final FscanEndpoint endpoint;
    private Integrity integrity;
    private FileFindings findings;
    private Supervisor supervisor;

    FscanConsumer(FscanEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        supervisor = new Supervisor("fscan:" + endpoint.getName());
        integrity = endpoint.integrity();
        findings = new FileFindings(this, endpoint);
        super.doStart();
    }

    /** Waits for a check in progress (stopping the scheduler does not), so nothing touches the database after the stop. */
    @Override
    protected void doStop() throws Exception {
        if (supervisor != null) {
            supervisor.stop();
        }
        super.doStop();
        synchronized (this) {
            findings = null;
        }
    }

    /** A check that fails is tried again after a backoff, not only at the next interval (an hour, say). */
    @Override
    protected synchronized int poll() {
        if (findings == null) {
            return 0;
        }
        return supervisor.run(this::check).orElse(0);
    }

    private int check() {
        List<Path> roots = findings.existingAreas();
        List<Path> unbaselined = Consumers.baselineMissing(Beans.database(endpoint.getCamelContext()), integrity, roots,
                findings, "fscan:" + endpoint.getName());
        List<Path> checked = roots.stream().filter(r -> !unbaselined.contains(r)).toList();
        int[] sent = {0};
        if (!checked.isEmpty()) {
            integrity.checkForReport(checked, endpoint.isParanoid(), findings, new ScanStats(), change -> {
                findings.change(change);
                sent[0]++;
            }, path -> {
                findings.reverted(path);
                sent[0]++;
            });
        }
        findings.summariseOnce();
        return sent[0];
    }

    @Override
    public Source source() {
        return Source.FILES;
    }

    @Override
    public String mode() {
        return "scan";
    }

    @Override
    public String announcement() {
        String when = endpoint.getCron() != null && !endpoint.getCron().isBlank() ? "at cron " + endpoint.getCron()
                : "every " + endpoint.getInterval();
        return "checking " + endpoint.getConfiguration().getAreas() + " " + when + (endpoint.isParanoid() ? " (paranoid)" : "");
    }
}
