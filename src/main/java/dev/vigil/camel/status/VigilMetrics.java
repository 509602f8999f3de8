package dev.vigil.camel.status;

import dev.vigil.camel.Beans;

import dev.vigil.alert.Finding;
import dev.vigil.logcheck.Section;
import dev.vigil.store.DaemonStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.prometheus.MicrometerPrometheus;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Every metric Vigil defines, in one place, on one Micrometer registry that {@code /metrics} renders in the
 * Prometheus text format. Names follow Prometheus' conventions (Micrometer adds the unit and {@code _total}):
 * base units (seconds, bytes), one name per thing counted, labels for what varies (source, kind, section,
 * channel). What is counted as it happens (findings, bytes read, lines classified, deliveries) is counted here by
 * the code that does it; what is a state (queue depth, backlog) is read from the {@link StatusModel}.
 */
public final class VigilMetrics {

    private static final String BOUND_AS = "vigilMetrics";

    /** The JVM's metrics, by the names camel-micrometer-prometheus knows Micrometer's binders by. */
    private static final String JVM_BINDERS = "jvm-memory-metrics,jvm-gc-metrics,jvm-thread-metrics,class-loader-metrics,"
            + "processor-metrics,uptime-metrics,file-descriptor-metrics";

    private final PrometheusMeterRegistry registry;
    /** Held here: Micrometer keeps only a weak reference to what a gauge reads. */
    private final Supplier<DaemonStatus> status;
    private final MultiGauge backlog;
    /**
     * The delivery timer's description, built once: a collector records a delivery per report and channel, and a
     * builder per delivery was a twentieth of an alert-file lane's CPU (bench/README.md, "Fleet").
     */
    private final Meter.MeterProvider<Timer> deliveryLatency;

    private VigilMetrics(PrometheusMeterRegistry registry, Supplier<DaemonStatus> status) {
        this.registry = registry;
        this.status = status;
        this.backlog = MultiGauge.builder("vigil_outbox_backlog").description("Reports waiting for a channel")
                .baseUnit("reports").register(registry);
        this.deliveryLatency = Timer.builder("vigil_delivery_latency")
                .description("From a report being made to its delivery, by channel").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofDays(1)).withRegistry(registry);
        gauge("vigil_watch_queue_depth", "Events waiting in the real-time watch's queue", status, "queueDepth");
        FunctionCounter.builder("vigil_watch_overflows", status, s -> sum(s, "overflows"))
                .description("Events lost by the real-time watch (kernel queue overflows, its own queue full)").register(registry);
        FunctionCounter.builder("vigil_watch_dropped_events", status, s -> sum(s, "eventsDropped"))
                .description("Events the real-time watch dropped because its queue was full").register(registry);
    }

    /**
     * The daemon's metrics, made on first use, with the JVM's metrics bound by camel-micrometer-prometheus (which
     * takes the registry bound as {@code metricsRegistry}; Camel's own route metrics are left out).
     */
    public static VigilMetrics of(CamelContext context) {
        synchronized (context) {
            VigilMetrics metrics = context.getRegistry().lookupByNameAndType(BOUND_AS, VigilMetrics.class);
            if (metrics == null) {
                StatusModel model = StatusModel.of(context);
                PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                metrics = new VigilMetrics(registry, model::current);
                context.getRegistry().bind(BOUND_AS, metrics);
                context.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, registry);
                MicrometerPrometheus prometheus = new MicrometerPrometheus();
                prometheus.setCamelContext(context);
                prometheus.setEnableRoutePolicy(false);
                prometheus.setEnableExchangeEventNotifier(false);
                prometheus.setEnableRouteEventNotifier(false);
                prometheus.setEnableMessageHistory(false);
                prometheus.setEnableInstrumentedThreadPoolFactory(false);
                prometheus.setBinders(JVM_BINDERS);
                Beans.addService(context, prometheus, "the metrics");
            }
            return metrics;
        }
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** A finding a source made, once the event history has taken it. */
    public void finding(Finding finding) {
        Counter.builder("vigil_findings").description("Findings the sources made and the event history took, by source and kind")
                .tags("source", finding.source().text(), "kind", finding.kind()).register(registry).increment();
    }

    /** A full check of the files (or another check of a source) that took {@code duration}. */
    public void checked(String source, Duration duration) {
        Timer.builder("vigil_check_duration").description("How long a source's full check took")
                .tags("source", source).register(registry).record(duration);
    }

    /** Bytes the trickle read from the areas' files. */
    public void trickleRead(long bytes) {
        Counter.builder("vigil_trickle_read").baseUnit("bytes").description("Bytes the trickle read from the areas' files")
                .register(registry).increment(bytes);
    }

    /** Log lines classified into {@code section}. */
    public void logLines(Section section, long lines) {
        Counter.builder("vigil_log_lines").description("Log lines classified, by logcheck section")
                .tags("section", section.name().toLowerCase(Locale.ROOT)).register(registry).increment(lines);
    }

    /** A report delivered to {@code channel} {@code latency} after it was made. */
    public void delivered(String channel, Duration latency) {
        deliveryLatency.withTag("channel", channel).record(latency.isNegative() ? Duration.ZERO : latency);
    }

    /** A failed attempt to deliver to {@code channel}. */
    public void deliveryFailed(String channel) {
        Counter.builder("vigil_delivery_failures").description("Failed attempts to deliver a report, by channel")
                .tags("channel", channel).register(registry).increment();
    }

    /** The states read from a new status. */
    void update(DaemonStatus status) {
        backlog.register(status.channels().stream()
                .map(c -> MultiGauge.Row.of(Tags.of("channel", c.channel()), c.backlog())).toList(), true);
    }

    private void gauge(String name, String description, Supplier<DaemonStatus> status, String fact) {
        ToDoubleFunction<Supplier<DaemonStatus>> value = s -> sum(s, fact);
        Gauge.builder(name, status, value).description(description).register(registry);
    }

    /** A fact summed over the sources that have it. */
    private static double sum(Supplier<DaemonStatus> status, String fact) {
        DaemonStatus s = status.get();
        return s == null ? 0 : s.sources().stream().map(source -> source.facts().get(fact))
                .filter(Number.class::isInstance).mapToDouble(v -> ((Number) v).doubleValue()).sum();
    }
}
