package dev.vigil.camel.fscan;

import dev.vigil.camel.Announced;
import dev.vigil.camel.Beans;
import dev.vigil.camel.Consumers;
import dev.vigil.camel.SupervisedPollConsumer;

import dev.vigil.fim.Integrity;
import dev.vigil.fim.ScanStats;
import org.apache.camel.Processor;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code mode=full}: one complete quick (or paranoid) check per poll on Camel's scheduler thread, sending every
 * new deviation into the route. An area without a baseline gets one on its first run instead. A check that
 * fails is tried again after a backoff ({@link SupervisedPollConsumer}). The check also verifies the seal of the
 * baseline from the rows it reads: rows changed behind Vigil's back are a BASELINE_TAMPERED finding.
 */
final class FscanConsumer extends SupervisedPollConsumer implements Announced {

    private final FscanEndpoint endpoint;
    private Integrity integrity;
    private FileFindings findings;

    FscanConsumer(FscanEndpoint endpoint, Processor processor) {
        super(endpoint, processor, "fscan:" + endpoint.getName());
        this.endpoint = endpoint;
    }

    @Override
    protected void prepare() {
        integrity = endpoint.integrity();
        findings = new FileFindings(this, endpoint);
    }

    @Override
    protected int check() {
        List<Path> roots = findings.existingAreas();
        List<Path> unbaselined = Consumers.baselineMissing(Beans.database(endpoint.getCamelContext()), integrity, roots,
                findings, "fscan:" + endpoint.getName(), findings.host());
        List<Path> checked = roots.stream().filter(r -> !unbaselined.contains(r)).toList();
        int[] sent = {0};
        if (!checked.isEmpty()) {
            integrity.checkForReport(checked, endpoint.isParanoid(), findings, new ScanStats(), change -> {
                findings.change(change);
                sent[0]++;
            }, path -> {
                findings.reverted(path);
                sent[0]++;
            }, tampering -> {
                findings.tampered(tampering);
                sent[0]++;
            });
        }
        findings.summariseOnce();
        return sent[0];
    }

    @Override
    public String announcement() {
        String when = endpoint.getCron() != null && !endpoint.getCron().isBlank() ? "at cron " + endpoint.getCron()
                : "every " + endpoint.getInterval();
        return "checking " + endpoint.getConfiguration().getAreas() + " " + when + (endpoint.isParanoid() ? " (paranoid)" : "");
    }
}
