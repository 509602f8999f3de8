package dev.vigil.camel.fscan;

import dev.vigil.camel.Consumers;
import dev.vigil.camel.Beans;
import dev.vigil.camel.fswatch.FswatchConsumer;
import dev.vigil.fim.ProblemSummary;
import dev.vigil.watch.Attribution;

import dev.vigil.alert.Severity;
import dev.vigil.fim.BaselineStore;
import dev.vigil.fim.Change;
import dev.vigil.fim.ChangeFindings;
import dev.vigil.fim.FileRecord;
import dev.vigil.fim.PathGlobs;
import dev.vigil.fim.ReportMark;
import dev.vigil.fim.Scanner;
import dev.vigil.store.FileEventHistory;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What both {@code fscan:} modes do with their results: send changes and reverts as findings (critical where
 * {@code critical} says), each change with the processes the watch saw make it ({@link Attribution}), skip areas that do not exist with one warning each, and say once how many entries
 * could not be read.
 */
final class FileFindings implements Scanner.Sink {

    private static final Logger LOG = LoggerFactory.getLogger(FileFindings.class);
    /** How long the trickle waits for the watch to store the events of a change it found none of. */
    private static final Duration TRICKLE_PATIENCE = Duration.ofSeconds(2);

    private final DefaultConsumer consumer;
    private final FscanEndpoint endpoint;
    private final PathGlobs critical;
    private final String host;
    private final Attribution attribution;
    private final String foundBy;
    private final Duration patience;
    private final Set<Path> warnedMissing = new HashSet<>();
    private final ProblemSummary problems;
    private boolean summarised;

    FileFindings(DefaultConsumer consumer, FscanEndpoint endpoint) {
        this.consumer = consumer;
        this.endpoint = endpoint;
        this.critical = endpoint.getConfiguration().criticalGlobs();
        this.problems = new ProblemSummary(Beans.problemsSaid(endpoint.getCamelContext()));
        this.host = endpoint.host();
        this.attribution = new Attribution(new FileEventHistory(Beans.database(endpoint.getCamelContext())));
        boolean trickle = "trickle".equals(endpoint.getMode());
        this.foundBy = trickle ? "trickle" : "scheduled check";
        // the trickle comes by one entry at a time and may be just behind a writer; a full check finds many at once
        this.patience = trickle ? TRICKLE_PATIENCE : Duration.ZERO;
    }

    /** The configured areas that exist now; a missing one is warned about once, and looked for again next time. */
    List<Path> existingAreas() {
        List<Path> roots = new ArrayList<>();
        for (String area : endpoint.getConfiguration().areaList()) {
            Path root = Path.of(area);
            if (Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
                warnedMissing.remove(root);
                roots.add(root);
            } else if (warnedMissing.add(root)) {
                LOG.warn("fscan:{}: {} does not exist; it is looked for again on the next run", endpoint.getName(), root);
            }
        }
        return roots;
    }

    /** Sends {@code change} as a finding whose record makes {@code mark}. */
    void change(Change change, ReportMark mark) {
        Severity severity = critical.matches(change.path()) ? Severity.CRITICAL : Severity.WARNING;
        Consumers.send(consumer, attribution.of(ChangeFindings.toFinding(change, host, Instant.now(), severity), change,
                foundBy, patience.isZero() || !attributingWatch() ? Duration.ZERO : patience), List.of(mark));
    }

    /** Whether a watch that names processes runs in this daemon: only then can a change's events be on their way. */
    private boolean attributingWatch() {
        return endpoint.getCamelContext().getRoutes().stream()
                .anyMatch(r -> r.getConsumer() instanceof FswatchConsumer watch && watch.attributes());
    }

    String host() {
        return host;
    }

    /** The baseline's rows were changed behind Vigil's back: a warning in the log, and a critical finding. */
    void tampered(BaselineStore.Tampering t) {
        LOG.warn("fscan:{}: the baseline's rows were changed outside Vigil: their seal is {} ({} rows), Vigil kept {} ({} rows)",
                endpoint.getName(), t.found().value(), t.found().rows(), t.kept().value(), t.kept().rows());
        Instant now = Instant.now();
        Consumers.send(consumer, ChangeFindings.tampered(t, host, now), List.of(new ReportMark.SealReplaced(t, now)));
    }

    /** Sends the REVERTED finding whose record makes {@code mark}. */
    void reverted(ReportMark.Deviation mark) {
        Consumers.send(consumer, ChangeFindings.reverted(mark.path(), host, Instant.now()), List.of(mark));
    }

    @Override
    public void entry(FileRecord record) {
        // entries go to the baseline store, not here
    }

    @Override
    public void problem(byte[] path, String message) {
        if (!summarised) {
            problems.problem(path, message);
        }
    }

    /** After the first pass over the areas: one line saying how much could not be read, if anything. */
    void summariseOnce() {
        if (!summarised) {
            problems.log("fscan:" + endpoint.getName());
        }
        summarised = true;
    }
}
