package dev.vigil.camel.fswatch;

import dev.vigil.camel.FileAreas;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

import java.util.Map;

/** The {@code fswatch:} component: real-time watch of the baselined areas. See {@link FswatchEndpoint}. */
@org.apache.camel.spi.annotations.Component("fswatch")
public final class FswatchComponent extends DefaultComponent {

    @Metadata(description = "The areas and their comparison rules every fswatch: endpoint starts from")
    private FileAreas configuration = new FileAreas();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        FswatchEndpoint endpoint = new FswatchEndpoint(uri, this, configuration.copy());
        endpoint.setName(remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public FileAreas getConfiguration() {
        return configuration;
    }

    public void setConfiguration(FileAreas configuration) {
        this.configuration = configuration;
    }
}
