package dev.vigil.camel.pidcheck;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.PropertiesHelper;

import java.util.Map;

/** The {@code pidcheck:} component: scheduled checks of PID files and required processes. See {@link PidcheckEndpoint}. */
@org.apache.camel.spi.annotations.Component("pidcheck")
public final class PidcheckComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        PidcheckEndpoint endpoint = new PidcheckEndpoint(uri, this);
        endpoint.setName(remaining);
        // Map options (expect.NAME=..., container.NAME=...) are taken out first: property binding knows no such fields.
        endpoint.setExpect(PropertiesHelper.extractProperties(parameters, PidcheckEndpoint.EXPECT_PREFIX));
        endpoint.setContainer(PropertiesHelper.extractProperties(parameters, PidcheckEndpoint.CONTAINER_PREFIX));
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
