package dev.vigil.camel;

import org.apache.camel.Component;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.ScheduledPollEndpoint;

/**
 * What Vigil's scheduled, consumer-only endpoints share: an {@code interval} with a unit (Camel's own
 * {@code delay} binds as bare milliseconds without generated configurers) and the {@code host} put on findings.
 */
abstract class PollingEndpoint extends ScheduledPollEndpoint {

    @UriParam(description = "Time between the end of one check and the start of the next: 30s, 10m, 1h or 500ms (a unit is required)")
    private String interval;

    @UriParam(description = "Host name put on findings; default: vigil.host")
    private String host;

    PollingEndpoint(String uri, Component component, String defaultInterval) {
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

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }
}
