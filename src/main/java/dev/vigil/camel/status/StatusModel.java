package dev.vigil.camel.status;

import dev.vigil.camel.Beans;
import dev.vigil.camel.Settings;
import dev.vigil.camel.SourceConsumer;
import dev.vigil.camel.channel.OutboxDispatcher;
import dev.vigil.config.Key;
import dev.vigil.source.RepeatedFailure;
import dev.vigil.store.DaemonStatus;
import dev.vigil.store.Outbox;
import dev.vigil.store.StatusFile;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's status, in one place: every second it asks each source route's consumer ({@link SourceConsumer})
 * and the outbox where they stand, keeps the result as a {@link DaemonStatus} that {@code /health}, {@code /metrics}
 * and the web view read ({@link #current()}), and writes it to the {@link StatusFile} when it changed (and every
 * {@value #REWRITE_SECONDS} seconds regardless) for {@code vigil status}, unless it runs no source. It holds no state of its own beyond the
 * last value: each fact is read from the part that has it.
 */
public final class StatusModel extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(StatusModel.class);
    private static final String BOUND_AS = "statusModel";
    private static final long REWRITE_SECONDS = 10;

    private final CamelContext context;
    private final Instant started = Instant.now();
    private final RepeatedFailure writeFailures = new RepeatedFailure(LOG, "writing the status file");
    private volatile DaemonStatus current;
    private DaemonStatus lastWritten;
    private Instant lastWrite = Instant.EPOCH;
    private ScheduledExecutorService timer;

    private StatusModel(CamelContext context) {
        this.context = context;
    }

    /** The daemon's status model, made (and added to the context's services) on first use. */
    public static StatusModel of(CamelContext context) {
        synchronized (context) {
            StatusModel model = context.getRegistry().lookupByNameAndType(BOUND_AS, StatusModel.class);
            if (model == null) {
                model = new StatusModel(context);
                context.getRegistry().bind(BOUND_AS, model);
                Beans.addService(context, model, "the status model");
            }
            return model;
        }
    }

    /** The status as of the last refresh, at most about a second old. */
    public DaemonStatus current() {
        DaemonStatus status = current;
        return status != null ? status : refresh();
    }

    /**
     * Asks every source and the outbox where they stand now. A source the configuration turns off (a route that
     * does not start by itself, as the watch and the trickle when disabled) is left out while it does not run.
     */
    public synchronized DaemonStatus refresh() {
        List<DaemonStatus.SourceStatus> sources = new ArrayList<>();
        for (Route route : context.getRoutes()) {
            boolean off = Boolean.FALSE.equals(route.isAutoStartup())
                    && !context.getRouteController().getRouteStatus(route.getRouteId()).isStarted();
            if (!off && route.getConsumer() instanceof SourceConsumer reporting) {
                sources.add(reporting.status());
            }
        }
        DaemonStatus status = new DaemonStatus(ProcessHandle.current().pid(),
                Settings.value(context, Key.VERSION), started, Instant.now(),
                sources, channels());
        current = status;
        VigilMetrics.of(context).update(status);
        StatusHealthChecks.register(context, status);
        return status;
    }

    /** The outbox's channels and the started channel routes that have had nothing to deliver yet, by name. */
    private List<Outbox.ChannelState> channels() {
        Map<String, Outbox.ChannelState> byName = new java.util.TreeMap<>();
        OutboxDispatcher dispatcher = context.getRegistry().lookupByNameAndType("outbox", OutboxDispatcher.class);
        if (dispatcher != null) {
            dispatcher.channels().forEach(c -> byName.put(c, new Outbox.ChannelState(c, 0, 0, null, null)));
        }
        new Outbox(Beans.database(context)).channels().forEach(c -> byName.put(c.channel(), c));
        return List.copyOf(byName.values());
    }

    @Override
    protected void doStart() {
        timer = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "vigil-status");
        timer.scheduleWithFixedDelay(this::tick, 0, 1, TimeUnit.SECONDS);
    }

    @Override
    protected void doStop() {
        if (timer != null) {
            context.getExecutorServiceManager().shutdownNow(timer);
            timer = null;
        }
    }

    private void tick() {
        try {
            DaemonStatus status = refresh();
            DaemonStatus comparable = withoutTime(status);
            // A process that runs no source (vigil test-alert starts the channels alone) is not the daemon: it
            // must not put its status in the daemon's place.
            boolean due = !comparable.equals(lastWritten)
                    || Duration.between(lastWrite, status.written()).getSeconds() >= REWRITE_SECONDS;
            if (due && !status.sources().isEmpty()) {
                StatusFile.of(Beans.database(context).file()).write(status);
                lastWritten = comparable;
                lastWrite = status.written();
            }
            writeFailures.succeeded();
        } catch (Exception e) {
            writeFailures.failed(e);
        }
    }

    private static DaemonStatus withoutTime(DaemonStatus s) {
        return new DaemonStatus(s.pid(), s.version(), s.started(), null, s.sources(), s.channels());
    }
}
