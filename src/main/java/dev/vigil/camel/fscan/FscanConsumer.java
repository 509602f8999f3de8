package dev.vigil.camel.fscan;

import dev.vigil.camel.SourceConsumer;
import dev.vigil.alert.Source;
import dev.vigil.camel.Consumers;
import dev.vigil.camel.status.VigilMetrics;
import dev.vigil.store.DaemonStatus;
import dev.vigil.camel.Beans;
import dev.vigil.camel.SupervisedPollConsumer;

import dev.vigil.fim.Integrity;
import dev.vigil.fim.ScanStats;
import org.apache.camel.Processor;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code mode=full}: one complete quick (or paranoid) check per poll on Camel's scheduler thread, sending every
 * new deviation into the route. An area without a baseline gets one on its first run instead. A check that
 * fails is tried again after a backoff ({@link SupervisedPollConsumer}). The check also verifies the seal of the
 * baseline from the rows it reads: rows changed behind Vigil's back are a BASELINE_TAMPERED finding.
 */
final class FscanConsumer extends SupervisedPollConsumer implements SourceConsumer {

    private final FscanEndpoint endpoint;
    private Integrity integrity;
    private FileFindings findings;
    /** When the check under way began, or null between checks. */
    private volatile Instant checking;
    private volatile Instant lastStarted;
    private volatile Duration lastDuration;

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
    protected int check() throws InterruptedException {
        Instant began = Instant.now();
        checking = began;
        try {
            return checkAreas();
        } finally {
            checking = null;
            lastStarted = began;
            lastDuration = Duration.between(began, Instant.now());
            VigilMetrics.of(endpoint.getCamelContext()).checked(Source.FILES.text(), lastDuration);
        }
    }

    private int checkAreas() throws InterruptedException {
        List<Path> roots = findings.existingAreas();
        List<Path> unbaselined = Consumers.baselineMissing(Beans.database(endpoint.getCamelContext()), integrity, roots,
                findings, "fscan:" + endpoint.getName());
        List<Path> checked = roots.stream().filter(r -> !unbaselined.contains(r)).toList();
        int[] sent = {0};
        if (!checked.isEmpty()) {
            integrity.checkForReport(checked, endpoint.isParanoid(), findings, new ScanStats(), (change, mark) -> {
                findings.change(change, mark);
                sent[0]++;
            }, mark -> {
                findings.reverted(mark);
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
    public DaemonStatus.SourceStatus status() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("check", "full");
        facts.put("areas", endpoint.getConfiguration().areaList());
        facts.put("schedule", schedule());
        Optional.ofNullable(checking).ifPresent(t -> facts.put("checkingSince", t));
        Optional.ofNullable(lastStarted).ifPresent(t -> facts.put("lastCheckStarted", t));
        Optional.ofNullable(lastDuration).ifPresent(d -> facts.put("lastCheckSeconds", d.toMillis() / 1000.0));
        return Consumers.status(this, supervisor(), null, facts);
    }

    private String schedule() {
        return endpoint.getCron() != null && !endpoint.getCron().isBlank() ? "at cron " + endpoint.getCron()
                : "every " + endpoint.getInterval();
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
        return "checking " + endpoint.getConfiguration().getAreas() + " " + schedule() + (endpoint.isParanoid() ? " (paranoid)" : "");
    }
}
