package dev.vigil.alert;

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
}
