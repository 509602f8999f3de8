package dev.vigil.camel.logtail;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import java.util.Map;

/** The {@code logtail:} component: log files followed and classified with logcheck rules. See {@link LogtailEndpoint}. */
@org.apache.camel.spi.annotations.Component("logtail")
public final class LogtailComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        LogtailEndpoint endpoint = new LogtailEndpoint(uri, this);
        endpoint.setName(remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
