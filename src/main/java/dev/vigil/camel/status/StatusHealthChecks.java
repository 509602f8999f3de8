package dev.vigil.camel.status;

import dev.vigil.store.DaemonStatus;
import dev.vigil.store.Outbox;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;
import java.util.Optional;

/**
 * Camel health checks over the {@link StatusModel}, one per source route ({@code source:files-watch}) and one per
 * channel ({@code channel:email}), in the group {@value #GROUP}. Liveness: the source's route runs (a channel
 * is live while Vigil is). Readiness: it also works as configured (a source whose work fails or whose rule tree
 * cannot be read, a channel whose oldest pending report failed, is not ready), with the reason as the message.
 */
final class StatusHealthChecks {

    static final String GROUP = "vigil";

    private StatusHealthChecks() {
    }

    /** Registers a check for each source and channel of {@code status} that has none yet. */
    static void register(CamelContext context, DaemonStatus status) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        if (registry == null) {
            return;
        }
        StatusModel model = StatusModel.of(context);
        for (DaemonStatus.SourceStatus source : status.sources()) {
            String id = "source:" + source.route();
            if (registry.getCheck(id).isEmpty()) {
                registry.register(new SourceCheck(id, model, source.route()));
            }
        }
        for (Outbox.ChannelState channel : status.channels()) {
            String id = "channel:" + channel.channel();
            if (registry.getCheck(id).isEmpty()) {
                registry.register(new ChannelCheck(id, model, channel.channel()));
            }
        }
    }

    private static boolean liveness(Map<String, Object> options) {
        return String.valueOf(options.get(HealthCheck.CHECK_KIND)).equalsIgnoreCase("LIVENESS");
    }

    private static final class SourceCheck extends AbstractHealthCheck {

        private final StatusModel model;
        private final String route;

        SourceCheck(String id, StatusModel model, String route) {
            super(GROUP, id);
            this.model = model;
            this.route = route;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            Optional<DaemonStatus.SourceStatus> source = model.current().sources().stream()
                    .filter(s -> s.route().equals(route)).findFirst();
            if (source.isEmpty() || !source.get().running()) {
                builder.message(route + " does not run").down();
            } else if (source.get().failing() != null && !liveness(options)) {
                builder.message(route + ": " + source.get().failing()).down();
            } else {
                builder.up();
            }
        }
    }

    private static final class ChannelCheck extends AbstractHealthCheck {

        private final StatusModel model;
        private final String channel;

        ChannelCheck(String id, StatusModel model, String channel) {
            super(GROUP, id);
            this.model = model;
            this.channel = channel;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            Optional<Outbox.ChannelState> state = model.current().channels().stream()
                    .filter(c -> c.channel().equals(channel)).findFirst();
            if (state.isPresent() && state.get().failing() != null && !liveness(options)) {
                builder.message("channel " + channel + " fails: " + state.get().failing()).down();
            } else {
                builder.up();
            }
        }
    }
}
