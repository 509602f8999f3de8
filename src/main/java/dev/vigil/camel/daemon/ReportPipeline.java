package dev.vigil.camel.daemon;

import dev.vigil.alert.Source;
import dev.vigil.alert.ClosedReport;
import dev.vigil.alert.Finding;
import dev.vigil.alert.RecordedFinding;
import dev.vigil.alert.ReportGate;
import dev.vigil.alert.ReportGates;
import dev.vigil.config.Key;
import dev.vigil.store.EventLog;
import org.apache.camel.CamelContext;
import org.apache.camel.Header;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code reports} bean of {@code routes/report.yaml}: pools findings per source over
 * {@code vigil.report.<source>.reportTime} seconds and holds reports off for {@code reportHoldoff} seconds
 * (integrityd's defaults, in {@link Key}: files 15/300, logs and pids 30/120). The pool is not flushed at a stop: what a stop
 * or a crash leaves pooled is in the event history, given to the gates again by {@link #restore()}, and the
 * holdoff goes on from the last report in the outbox.
 */
public final class ReportPipeline {

    /** The header with the event history row of the finding in the body, set by the route that records it. */
    public static final String EVENT = "VigilEvent";
    /**
     * The exchange property with what recording the finding in the body changes in the store (a list of
     * {@link dev.vigil.fim.ReportMark}: reported deviations, the baseline's kept seal), set by the file checkers and made by the route's record step in
     * the event history's transaction ({@link EventLog#record(Finding, List)}). A property, not a header: headers
     * come from outside too (a fleet record's), and go on to the channels.
     */
    public static final String REPORT_MARKS = "VigilReportMarks";

    private final CamelContext context;
    private final ReportGates gates;
    private final List<RecordedFinding> unreported;
    private final EventLog events;

    /**
     * @param unreported  findings the event history holds as still pooled, read before any source started
     * @param lastReports when each source's last report was made, for the holdoff
     */
    public ReportPipeline(CamelContext context, InstantSource clock, EventLog events, List<RecordedFinding> unreported,
                          Map<Source, Instant> lastReports) {
        this.context = context;
        this.events = events;
        this.unreported = new ArrayList<>(unreported);
        this.gates = new ReportGates(source -> {
            ReportGate gate = new ReportGate(source,
                    seconds(Key.REPORT_TIME, source), seconds(Key.REPORT_HOLDOFF, source), clock);
            if (source == Source.FILES) {
                gate.listingEachSubjectOnce();
            }
            Optional.ofNullable(lastReports.get(source)).ifPresent(gate::continueHoldoff);
            return gate;
        });
    }

    /** Pools a finding; returns a report that is due at once (a critical finding, reporttime 0), else null. */
    public ClosedReport offer(Finding finding, @Header(EVENT) long event) {
        return gates.offer(new RecordedFinding(event, finding)).orElse(null);
    }

    /**
     * Records findings that came together (a collector's poll) in the event history in one transaction and pools
     * each; returns the reports due at once.
     */
    public List<ClosedReport> offerAll(List<Finding> findings) {
        List<Long> events = this.events.recordAll(findings);
        List<ClosedReport> due = new ArrayList<>();
        for (int i = 0; i < findings.size(); i++) {
            gates.offer(new RecordedFinding(events.get(i), findings.get(i))).ifPresent(due::add);
        }
        return due;
    }

    /**
     * Pools again what the last run left pooled, once, when the routes have started; returns the reports due
     * at once (critical findings, windows that closed while Vigil was down).
     */
    public synchronized List<ClosedReport> restore() {
        List<ClosedReport> due = new ArrayList<>();
        for (RecordedFinding finding : unreported) {
            gates.restore(finding).ifPresent(due::add);
        }
        unreported.clear();
        due.addAll(gates.poll());
        return due;
    }

    /**
     * Pools the findings made outside the daemon ({@code vigil accept}, a baseline: {@link EventLog#handOver})
     * since the last call; returns the reports due at once. For the {@code report-handed-over} timer route.
     */
    public List<ClosedReport> handedOver() {
        List<ClosedReport> due = new ArrayList<>();
        for (RecordedFinding finding : events.claimHandedOver()) {
            gates.offer(finding).ifPresent(due::add);
        }
        return due;
    }

    /** The reports whose time has come, for the timer route. */
    public List<ClosedReport> due() {
        return gates.poll();
    }

    /** When the earliest pooled report is due, or empty while nothing is pooled. */
    public Optional<Instant> nextDue() {
        return gates.nextDue();
    }

    /** The source's value of {@code key}, or the key's default for that source. */
    private long seconds(Key key, Source source) {
        String name = key.named(source.text());
        return Long.parseLong(context.getPropertiesComponent().resolveProperty(name).map(String::strip)
                .orElseGet(() -> key.defaultFor(name)));
    }
}
