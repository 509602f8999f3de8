package dev.vigil.camel.http;

import dev.vigil.alert.Json;
import dev.vigil.camel.status.VigilMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the {@link LocalHttpServer} serves for monitoring: {@code /health} (every Camel health check, readiness and
 * liveness; 503 when one is down), {@code /health/ready} and {@code /health/live} (one kind each), and
 * {@code /metrics} ({@link VigilMetrics} in the Prometheus text format). The health checks are Camel's own
 * (context, routes) and Vigil's, one per source and channel ({@code camel.status.StatusHealthChecks}).
 */
final class HealthAndMetricsRoutes extends RouteBuilder {

    /** The Prometheus text format's media type, version 0.0.4. */
    /** Every check's result, not only the overall one that Camel's default exposure level shows while all are up. */
    private static final String FULL = "full";
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    @Override
    public void configure() {
        from("platform-http:/health?httpMethodRestrict=GET").routeId("http-health").process(e -> health(e, true, true));
        from("platform-http:/health/ready?httpMethodRestrict=GET").routeId("http-health-ready").process(e -> health(e, true, false));
        from("platform-http:/health/live?httpMethodRestrict=GET").routeId("http-health-live").process(e -> health(e, false, true));
        from("platform-http:/metrics?httpMethodRestrict=GET").routeId("http-metrics").process(this::metrics);
    }

    private void health(Exchange exchange, boolean readiness, boolean liveness) {
        List<Map<String, Object>> checks = new ArrayList<>();
        boolean up = true;
        if (readiness) {
            up &= add(checks, "readiness", HealthCheckHelper.invokeReadiness(getContext(), FULL));
        }
        if (liveness) {
            up &= add(checks, "liveness", HealthCheckHelper.invokeLiveness(getContext(), FULL));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", checks);
        WebPage.answer(exchange.getMessage(), up ? 200 : 503, "application/json", Json.write(body) + "\n");
    }

    /** Adds the results to {@code checks}; returns whether all are up. */
    private static boolean add(List<Map<String, Object>> checks, String kind, Collection<HealthCheck.Result> results) {
        boolean up = true;
        for (HealthCheck.Result r : results) {
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("id", r.getCheck().getId());
            check.put("kind", kind);
            check.put("state", r.getState().name());
            r.getMessage().ifPresent(m -> check.put("message", m));
            checks.add(check);
            up &= r.getState() != HealthCheck.State.DOWN;
        }
        return up;
    }

    private void metrics(Exchange exchange) {
        WebPage.answer(exchange.getMessage(), 200, PROMETHEUS_TEXT,
                VigilMetrics.of(getContext()).registry().scrape(PROMETHEUS_TEXT.split(";")[0].toLowerCase(Locale.ROOT)));
    }
}
