package dev.vigil.camel;

import org.apache.camel.Component;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.ScheduledPollEndpoint;

import java.util.HashMap;
import java.util.Map;

/**
 * What Vigil's scheduled, consumer-only endpoints ({@code fscan:}, {@code logtail:}, {@code pidcheck:}) share:
 * an {@code interval} or a {@code cron} expression, and the {@code host} put on findings. The interval is Vigil's
 * own option rather than Camel's {@code delay} because it requires a unit: {@code delay} takes a bare number as
 * milliseconds, and a bare {@code 30} was almost certainly meant as seconds.
 */
public abstract class PollingEndpoint extends ScheduledPollEndpoint {

    @UriParam(description = "Time between the end of one check or poll and the start of the next: 30s, 10m, 1h or 500ms"
            + " (a unit is required); default 10m for fscan, 1s for logtail, 30s for pidcheck")
    private String interval;

    @UriParam(description = "Host name put on findings; default: vigil.host")
    private String host;

    @UriParam(description = "A Quartz cron expression, seconds first, to check on instead of every interval")
    private String cron;

    public PollingEndpoint(String uri, Component component, String defaultInterval) {
        super(uri, component);
        setInterval(defaultInterval);
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException(getEndpointBaseUri() + " is consumer-only");
    }

    public String getInterval() {
        return interval;
    }

    public void setInterval(String interval) {
        this.interval = interval;
        setDelay(Beans.intervalMillis(interval));
    }

    public String getCron() {
        return cron;
    }

    /** A cron expression hands the schedule to Camel's Quartz poll-consumer scheduler; empty keeps the interval. */
    public void setCron(String cron) {
        this.cron = cron;
        if (cron != null && !cron.isBlank()) {
            setScheduler("quartz");
            setSchedulerProperties(new HashMap<>(Map.of("cron", cron.strip())));
        }
    }

    public String getHost() {
        return host;
    }

    /** The host the findings are of: the {@code host} option, else {@code vigil.host}. */
    public String host() {
        return Beans.host(getCamelContext(), host);
    }

    public void setHost(String host) {
        this.host = host;
    }
}
