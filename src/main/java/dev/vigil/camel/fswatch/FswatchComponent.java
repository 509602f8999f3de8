package dev.vigil.camel.fswatch;

import dev.vigil.camel.FileAreasComponent;
import org.apache.camel.Endpoint;

import java.util.Map;

/** The {@code fswatch:} component: real-time watch of the baselined areas. See {@link FswatchEndpoint}. */
@org.apache.camel.spi.annotations.Component("fswatch")
public final class FswatchComponent extends FileAreasComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        FswatchEndpoint endpoint = new FswatchEndpoint(uri, this, getConfiguration().copy());
        endpoint.setName(remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
