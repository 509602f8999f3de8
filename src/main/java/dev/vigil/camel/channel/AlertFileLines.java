package dev.vigil.camel.channel;

import dev.vigil.alert.EcsRenderer;
import dev.vigil.alert.Report;
import org.apache.camel.Exchange;

import java.util.List;

/**
 * The {@code alertFileFormat} bean: the lines of a report in the alert file. Vigil's own format is the report's
 * JSON on one line, as the outbox stored it ({@link OutboxDispatcher#json}); with {@code vigil.alerts.format=ecs},
 * one Elastic Common Schema event per finding.
 */
public final class AlertFileLines {

    /** Null for Vigil's own format. */
    private final EcsRenderer ecs;

    private AlertFileLines(EcsRenderer ecs) {
        this.ecs = ecs;
    }

    /** The report's JSON, one line. */
    public static AlertFileLines json() {
        return new AlertFileLines(null);
    }

    /** An ECS event per finding. */
    public static AlertFileLines ecs(EcsRenderer renderer) {
        return new AlertFileLines(renderer);
    }

    public List<String> render(Exchange exchange) {
        return ecs == null ? List.of(OutboxDispatcher.json(exchange)) : ecs.render(exchange.getMessage().getBody(Report.class));
    }
}
