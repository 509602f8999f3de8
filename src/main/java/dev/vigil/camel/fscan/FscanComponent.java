package dev.vigil.camel.fscan;

import dev.vigil.camel.FileAreasComponent;
import org.apache.camel.Endpoint;

import java.util.Map;

/** The {@code fscan:} component: scheduled file-integrity checks of the baselined areas. See {@link FscanEndpoint}. */
@org.apache.camel.spi.annotations.Component("fscan")
public final class FscanComponent extends FileAreasComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        FscanEndpoint endpoint = new FscanEndpoint(uri, this, getConfiguration().copy());
        endpoint.setName(remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
