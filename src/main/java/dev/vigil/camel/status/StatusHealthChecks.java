package dev.vigil.camel.status;

import dev.vigil.store.DaemonStatus;
import dev.vigil.store.Outbox;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;
import java.util.function.Function;

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
            String route = source.route();
            register(registry, new ModelCheck("source:" + route, model, s -> s.sources().stream()
                    .filter(x -> x.route().equals(route)).findFirst()
                    .map(x -> x.running() ? new Verdict(true, x.failing() == null ? null : route + ": " + x.failing())
                            : new Verdict(false, route + " does not run"))
                    .orElse(new Verdict(false, route + " does not run"))));
        }
        for (Outbox.ChannelState channel : status.channels()) {
            String name = channel.channel();
            register(registry, new ModelCheck("channel:" + name, model, s -> s.channels().stream()
                    .filter(c -> c.channel().equals(name) && c.failing() != null).findFirst()
                    .map(c -> new Verdict(true, "channel " + name + " fails: " + c.failing()))
                    .orElse(new Verdict(true, null))));
        }
    }

    private static void register(HealthCheckRegistry registry, ModelCheck check) {
        if (registry.getCheck(check.getId()).isEmpty()) {
            registry.register(check);
        }
    }

    /** Whether the thing runs, and why it does not work if it does not (null while it does). */
    private record Verdict(boolean live, String problem) {
    }

    /** A check of one source or channel, as the status model has it now. */
    private static final class ModelCheck extends AbstractHealthCheck {

        private final StatusModel model;
        private final Function<DaemonStatus, Verdict> verdict;

        ModelCheck(String id, StatusModel model, Function<DaemonStatus, Verdict> verdict) {
            super(GROUP, id);
            this.model = model;
            this.verdict = verdict;
        }

        /** Camel's checks are readiness checks only unless they say otherwise. */
        @Override
        public boolean isLiveness() {
            return true;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            Verdict v = verdict.apply(model.current());
            boolean liveness = String.valueOf(options.get(HealthCheck.CHECK_KIND)).equalsIgnoreCase("LIVENESS");
            if (!v.live() || (v.problem() != null && !liveness)) {
                builder.message(v.problem()).down();
            } else {
                builder.up();
            }
        }
    }
}
