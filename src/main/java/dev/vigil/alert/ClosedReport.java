package dev.vigil.alert;

import java.util.Collection;
import java.util.List;

/**
 * A report a gate has closed, with the event history rows of its findings: the outbox stores the report and
 * marks those rows as taken in one transaction, so a finding is either in the outbox or still pooled, whenever
 * the process dies.
 */
public record ClosedReport(Report report, List<Long> events) {

    public ClosedReport {
        events = List.copyOf(events);
    }

    /** A report of the given findings, closed now, taking also the rows of {@code superseded} findings it replaced. */
    static ClosedReport of(Source source, Collection<RecordedFinding> findings, List<Long> superseded, java.time.Instant now) {
        List<Long> events = new java.util.ArrayList<>(findings.stream().map(RecordedFinding::event).toList());
        events.addAll(superseded);
        return new ClosedReport(Report.of(source, findings.stream().map(RecordedFinding::finding).toList(), now), events);
    }
}
