package dev.vigil.camel.fswatch;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import java.util.Map;

/** The {@code fswatch:} component: real-time file watch verified against the baseline. See {@link FswatchEndpoint}. */
@org.apache.camel.spi.annotations.Component("fswatch")
public final class FswatchComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        FswatchEndpoint endpoint = new FswatchEndpoint(uri, this);
        endpoint.setName(remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
