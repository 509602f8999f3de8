package dev.vigil.alert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * One {@link ReportGate} per host and source, made on the first finding of that pair, so a route can offer every
 * finding to one object and one timer can poll them all. A daemon sees one host; the collector sees a fleet, and
 * one report (one mail) then covers what one host reported in a period. Thread-safe.
 */
public final class ReportGates {

    private final BiFunction<String, Source, ReportGate> gateFor;
    private final Map<HostSource, ReportGate> gates = new ConcurrentHashMap<>();

    /** @param gateFor makes the gate of a host and source, e.g. from {@code vigil.report.<source>.*} properties */
    public ReportGates(BiFunction<String, Source, ReportGate> gateFor) {
        this.gateFor = Objects.requireNonNull(gateFor, "gateFor");
    }

    /** Offers the finding to its source's gate; see {@link ReportGate#offer}. */
    public Optional<ClosedReport> offer(RecordedFinding finding) {
        return gate(finding).offer(finding);
    }

    /** Gives a finding pooled before a restart back to its source's gate; see {@link ReportGate#restore}. */
    public Optional<ClosedReport> restore(RecordedFinding finding) {
        return gate(finding).restore(finding);
    }

    /** The reports that are due now, from all sources. */
    public List<ClosedReport> poll() {
        List<ClosedReport> due = new ArrayList<>();
        gates.values().forEach(gate -> gate.poll().ifPresent(due::add));
        return due;
    }

    /**
     * How many event history rows wait in every gate for a report: pooled or critical findings, listed or counted, and
     * those a later finding of their subject replaced.
     */
    public int waiting() {
        return gates.values().stream().mapToInt(ReportGate::eventRows).sum();
    }

    /** The earliest time any source has a report due, or empty if nothing is pooled. */
    public Optional<Instant> nextDue() {
        return gates.values().stream().map(ReportGate::nextDue).flatMap(Optional::stream).min(Instant::compareTo);
    }

    private ReportGate gate(RecordedFinding finding) {
        return gates.computeIfAbsent(new HostSource(finding.finding().host(), finding.finding().source()),
                key -> gateFor.apply(key.host(), key.source()));
    }

    private record HostSource(String host, Source source) {}
}
