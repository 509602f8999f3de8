package dev.vigil.camel.fscan;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How {@code fscan:} URIs set up the scheduled check. */
class FscanEndpointTest {

    private final CamelContext context = new DefaultCamelContext();

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    @Test
    void withoutAnIntervalTheCheckRunsEveryTenMinutes() {
        assertEquals(600_000, context.getEndpoint("fscan:etc?areas=/etc", FscanEndpoint.class).getDelay());
    }
}
