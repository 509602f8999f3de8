package dev.vigil.alert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One {@link ReportGate} per source, made on the first finding of that source, so a route can offer every
 * finding to one object and one timer can poll them all. Thread-safe.
 */
public final class ReportGates {

    private final Function<String, ReportGate> gateFor;
    private final Map<String, ReportGate> gates = new ConcurrentHashMap<>();

    /** @param gateFor makes the gate of a source, e.g. from {@code vigil.report.<source>.*} properties */
    public ReportGates(Function<String, ReportGate> gateFor) {
        this.gateFor = Objects.requireNonNull(gateFor, "gateFor");
    }

    /** Offers the finding to its source's gate; see {@link ReportGate#offer}. */
    public Optional<Report> offer(Finding finding) {
        return gates.computeIfAbsent(finding.source(), gateFor).offer(finding);
    }

    /** The reports that are due now, from all sources. */
    public List<Report> poll() {
        List<Report> due = new ArrayList<>();
        gates.values().forEach(gate -> gate.poll().ifPresent(due::add));
        return due;
    }

    /** The earliest time any source has a report due, or empty if nothing is pooled. */
    public Optional<Instant> nextDue() {
        return gates.values().stream().map(ReportGate::nextDue).flatMap(Optional::stream).min(Instant::compareTo);
    }

    /** Everything pooled in any source, as reports, for a clean shutdown. */
    public List<Report> flush() {
        List<Report> reports = new ArrayList<>();
        gates.values().forEach(gate -> gate.flush().ifPresent(reports::add));
        return reports;
    }
}
