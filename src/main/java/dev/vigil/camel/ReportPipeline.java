package dev.vigil.camel;

import dev.vigil.alert.Finding;
import dev.vigil.alert.Report;
import dev.vigil.alert.ReportGate;
import dev.vigil.alert.ReportGates;
import org.apache.camel.CamelContext;

import java.time.InstantSource;
import java.util.List;

/**
 * The {@code reports} bean of {@code routes/report.yaml}: pools findings per source over
 * {@code vigil.report.<source>.reporttime} seconds and holds reports off for {@code reportholdoff} seconds
 * (integrityd's defaults: files 15/300, logs and pids 30/120). On shutdown whatever is pooled is flushed into
 * the outbox, so a stop loses nothing.
 */
public final class ReportPipeline {

    private final CamelContext context;
    private final ReportGates gates;

    public ReportPipeline(CamelContext context, InstantSource clock) {
        this.context = context;
        this.gates = new ReportGates(source -> new ReportGate(source,
                seconds(source, "reporttime", source.equals("files") ? 15 : 30),
                seconds(source, "reportholdoff", source.equals("files") ? 300 : 120), clock));
    }

    /** Pools a finding; returns a report that is due at once (a critical finding, reporttime 0), else null. */
    public Report offer(Finding finding) {
        return gates.offer(finding).orElse(null);
    }

    /** The reports whose time has come, for the timer route. */
    public List<Report> due() {
        return gates.poll();
    }

    /** When the earliest pooled report is due, or empty while nothing is pooled. */
    public java.util.Optional<java.time.Instant> nextDue() {
        return gates.nextDue();
    }

    /** Everything pooled, as reports, for a clean stop. */
    public List<Report> flush() {
        return gates.flush();
    }

    private long seconds(String source, String key, long defaultValue) {
        return context.getPropertiesComponent().resolveProperty("vigil.report." + source + "." + key)
                .map(String::strip).map(Long::parseLong).orElse(defaultValue);
    }
}
