package dev.vigil.camel.daemon;

import dev.vigil.camel.SourceConsumer;
import dev.vigil.camel.channel.OutboxDispatcher;
import dev.vigil.os.ServiceManager;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.main.MainSupport;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The daemon's two lines about itself: one "ready:" line once every route has started (after a first baseline
 * taken while starting the watch), saying what runs: which areas are watched and how, which logs are followed,
 * which PID files checked, which channels deliver; and one "stopped" line. Between them a user who started
 * {@code vigil run} knows it is working without reading the routes. Before the ready line, what will fail
 * ({@link StartupChecks}). Started by systemd, it tells systemd the same two moments ({@link ServiceManager}):
 * ready with the ready line, stopping as the stop begins. Told to stop while it starts (during a first baseline), it
 * says so instead of the ready line.
 */
public final class Announcer extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(Announcer.class);

    private final ServiceManager serviceManager = ServiceManager.ofEnvironment();

    @Override
    public void afterStart(BaseMainSupport main) {
        if (main instanceof MainSupport m && !m.getShutdownStrategy().isRunAllowed()) {
            LOG.info("told to stop while starting: stopping, never ready");
            return;
        }
        StartupChecks.run(main.getCamelContext());
        LOG.info("ready: {}", readiness(main.getCamelContext()));
        tell(serviceManager::ready);
    }

    /** A service manager that cannot be told is worth a warning, never a failed start or stop. */
    private static void tell(Runnable notification) {
        try {
            notification.run();
        } catch (IllegalStateException e) {
            LOG.warn(e.getMessage());
        }
    }

    /**
     * "stopped" once the context has stopped, and systemd told "stopping" as it begins to stop, by the context's
     * own events: after a SIGTERM the JVM ends when its shutdown hooks have, which may be before Camel Main's own
     * after-stop step runs.
     */
    @Override
    public void afterConfigure(BaseMainSupport main) {
        main.getCamelContext().getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.CamelContextStoppingEvent) {
                    tell(serviceManager::stopping);
                } else if (event instanceof CamelEvent.CamelContextStoppedEvent) {
                    LOG.info("stopped");
                }
            }
        });
    }

    /** What the started routes do, sources first, then the channels. */
    static String readiness(CamelContext context) {
        List<String> sources = new ArrayList<>();
        List<String> channels = new ArrayList<>();
        for (Route route : context.getRoutes()) {
            if (!context.getRouteController().getRouteStatus(route.getRouteId()).isStarted()) {
                continue;
            }
            if (route.getConsumer() instanceof SourceConsumer a && !a.announcement().isEmpty()) {
                sources.add(a.announcement());
            } else if (route.getRouteId().startsWith(OutboxDispatcher.CHANNEL_PREFIX)) {
                channels.add(route.getRouteId().substring(OutboxDispatcher.CHANNEL_PREFIX.length()));
            }
        }
        return (sources.isEmpty() ? "no source runs" : String.join("; ", sources))
                + "; channels: " + (channels.isEmpty() ? "none" : String.join(", ", channels));
    }
}
