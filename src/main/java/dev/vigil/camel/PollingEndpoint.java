package dev.vigil.camel;


import org.apache.camel.Component;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.ScheduledPollEndpoint;

/**
 * What Vigil's scheduled, consumer-only endpoints share: an {@code interval} with a unit (Camel's own
 * {@code delay} binds as bare milliseconds without generated configurers) or a {@code cron} expression, and the
 * {@code host} put on findings.
 */
public abstract class PollingEndpoint extends ScheduledPollEndpoint {

    @UriParam(description = "Time between the end of one check and the start of the next: 30s, 10m, 1h or 500ms (a unit is required)")
    private String interval;

    @UriParam(description = "Host name put on findings; default: vigil.host")
    private String host;

    @UriParam(description = "A Quartz cron expression (seconds first: 0 0 3 * * ?) to check on instead of every interval")
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
            setSchedulerProperties(new java.util.HashMap<>(java.util.Map.of("cron", cron.strip())));
        }
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }
}
