package dev.vigil.camel.daemon;

import dev.vigil.alert.Source;
import dev.vigil.alert.ClosedReport;
import dev.vigil.alert.Finding;
import dev.vigil.alert.RecordedFinding;
import dev.vigil.alert.ReportGate;
import dev.vigil.alert.ReportGates;
import dev.vigil.alert.TextBudget;
import dev.vigil.camel.Settings;
import dev.vigil.config.Key;
import dev.vigil.store.EventLog;
import org.apache.camel.Body;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code reports} bean of {@code routes/report.yaml}: pools findings per source over
 * {@code vigil.report.<source>.reportTime} seconds and holds reports off for {@code reportHoldoff} seconds
 * (integrityd's defaults, in {@link Key}: files 15/300, logs and pids 30/120), each report listing at most
 * {@code maxFindings} findings and {@code maxChars} characters of their text (the rest counted: {@link
 * ReportGate#listingAtMost}, {@link ReportGate#listingAtMostChars}). The pool is not flushed at a stop: what a stop or
 * a crash leaves pooled is in the event history, given to the gates again when this bean is made, and the holdoff
 * goes on from the last report in the outbox.
 */
public final class ReportPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(ReportPipeline.class);

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
    private final List<ClosedReport> restored = new ArrayList<>();
    /** Reports the outbox could not store ({@link #returned}), for the next {@link #due}. */
    private final List<ClosedReport> returned = new ArrayList<>();
    /** When {@link #returned} last logged its error: once a minute, as a source logs a store it cannot write. */
    private Instant lastError;
    private static final Duration ERROR_EVERY = Duration.ofMinutes(1);
    private final InstantSource clock;
    private final EventLog events;

    /**
     * Pools again, at once, what the last run left pooled in the event history: made before any source starts, so
     * only the last run's findings are pooled again, and read a row at a time into the gates, which keep at most
     * {@code maxFindings} and {@code maxChars} of each pool (a crash in a flood must not leave a daemon that runs out
     * of memory at every start). The reports this makes due are handed out by {@link #restore()} once the routes have
     * started.
     *
     * @param lastReports when each source's last report was made, for the holdoff
     */
    public ReportPipeline(CamelContext context, InstantSource clock, EventLog events, Map<Source, Instant> lastReports) {
        this.context = context;
        this.events = events;
        this.clock = clock;
        TextBudget budget = new TextBudget(Settings.wholeNumber(context, Key.REPORT_TOTAL_MAX_CHARS),
                Settings.wholeNumber(context, Key.REPORT_HOST_MAX_CHARS));
        this.gates = new ReportGates((host, source) -> {
            ReportGate gate = new ReportGate(source,
                    number(Key.REPORT_TIME, source), number(Key.REPORT_HOLDOFF, source), clock)
                    .listingAtMost((int) number(Key.REPORT_MAX_FINDINGS, source))
                    .listingAtMostChars(number(Key.REPORT_MAX_CHARS, source))
                    .sharingTextBudget(budget.forHost(host));
            if (source == Source.FILES) {
                gate.listingEachSubjectOnce();
            }
            Optional.ofNullable(lastReports.get(source)).ifPresent(gate::continueHoldoff);
            return gate;
        });
        events.forEachPooled(finding -> gates.restore(finding).ifPresent(restored::add));
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
     * The reports the last run's pooled findings made due (critical findings, windows that closed while Vigil was
     * down) and any due now, once, when the routes have started.
     */
    public synchronized List<ClosedReport> restore() {
        List<ClosedReport> due = new ArrayList<>(restored);
        restored.clear();
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

    /**
     * Reports the outbox could not store ({@code reports}: one, or a list; its transaction failed: a full disk, a lock
     * held too long), stored again at the next tick of {@link #due}, before any other. Their findings stay marked
     * pooled in the event history meanwhile, and are pooled again at the next start should this process end first;
     * the gates counted the reports as sent (holdoff, critical minute) and need not see them again. Before, such a
     * report was gone from memory until the next start, and a collector's poll read again found its reports processed
     * and its findings in the event history, and forwarded nothing. Routes deliver and report-all, on a
     * {@link dev.vigil.store.StoreException} of the outbox; logged as an error once a minute.
     */
    public void returned(@Body Object reports, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure) {
        List<ClosedReport> closed = reports instanceof ClosedReport one ? List.of(one) : castReports(reports);
        synchronized (this) {
            returned.addAll(closed);
            Instant now = clock.instant();
            if (lastError == null || !now.isBefore(lastError.plus(ERROR_EVERY))) {
                lastError = now;
                LOG.error("the outbox could not store {} report(s): {}; stored again every second (this said once a"
                        + " minute)", returned.size(), failure.getMessage());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<ClosedReport> castReports(Object reports) {
        return (List<ClosedReport>) reports;
    }

    /** The reports {@link #returned}, then those whose time has come, for the timer route. */
    public List<ClosedReport> due() {
        List<ClosedReport> due;
        synchronized (this) {
            due = new ArrayList<>(returned);
            returned.clear();
        }
        due.addAll(gates.poll());
        return due;
    }

    /**
     * How many event history rows wait for a report, over every source (and host, on a collector): once every row
     * the history holds as pooled is here, {@link #offer} has had each finding recorded.
     */
    public int waiting() {
        return gates.waiting();
    }

    /** When the earliest pooled report is due, or empty while nothing is pooled. */
    public Optional<Instant> nextDue() {
        return gates.nextDue();
    }

    /** The source's value of {@code key} (a whole number), or the key's default for that source. */
    private long number(Key key, Source source) {
        return Settings.wholeNumber(context, key.named(source.text()));
    }
}
