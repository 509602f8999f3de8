package dev.vigil.camel;

import dev.vigil.fim.Integrity;
import dev.vigil.fim.ScanStats;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledPollConsumer;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code mode=full}: one complete quick (or paranoid) check per poll on Camel's scheduler thread, sending every
 * new deviation into the route. An area without a baseline gets one on its first run instead.
 */
final class FscanConsumer extends ScheduledPollConsumer {

    private final FscanEndpoint endpoint;
    private Integrity integrity;
    private FileFindings findings;

    FscanConsumer(FscanEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        integrity = endpoint.integrity();
        findings = new FileFindings(this, endpoint);
        super.doStart();
    }

    @Override
    protected int poll() {
        List<Path> checked = integrity.baselineWhereMissing(findings.existingAreas(), findings);
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
}
