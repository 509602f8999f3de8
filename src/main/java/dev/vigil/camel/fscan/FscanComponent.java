package dev.vigil.camel.fscan;

import dev.vigil.camel.FileAreas;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

import java.util.Map;

/** The {@code fscan:} component: scheduled file-integrity checks of the baselined areas. See {@link FscanEndpoint}. */
@org.apache.camel.spi.annotations.Component("fscan")
public final class FscanComponent extends DefaultComponent {

    @Metadata(description = "The areas and their comparison rules every fscan: endpoint starts from")
    private FileAreas configuration = new FileAreas();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        FscanEndpoint endpoint = new FscanEndpoint(uri, this, configuration.copy());
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
