package dev.vigil.camel.pidcheck;


import dev.vigil.config.Configuration;
import dev.vigil.pid.PidOptions;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@code pidcheck:} URIs and configuration keys become the core's {@link PidOptions}. */
class PidcheckEndpointTest {

    private final CamelContext context = new DefaultCamelContext();

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    private PidOptions options(String uri) {
        return context.getEndpoint(uri, PidcheckEndpoint.class).options();
    }

    @Test
    void everyUriOptionMapsOneToOneToPidOptions() {
        PidOptions o = options("pidcheck:web?files=/run/a.pid, /run/nginx&require=sshd,cron&interval=5m"
                + "&expect.sshd=/usr/sbin/sshd&expect./run/a.pid=/usr/bin/a&container.web=/var/lib/machines/web");

        assertEquals(new PidOptions("web", List.of("/run/a.pid", "/run/nginx"), Duration.ofMinutes(5),
                Map.of("sshd", "/usr/sbin/sshd", "/run/a.pid", "/usr/bin/a"), List.of("sshd", "cron"),
                Map.of("web", Path.of("/var/lib/machines/web"))), o);
    }

    @Test
    void withoutOptionsNothingIsCheckedEveryThirtySeconds() {
        PidOptions o = options("pidcheck:pids");

        assertEquals(new PidOptions("pids", List.of(), Duration.ofSeconds(30), Map.of(), List.of(), Map.of()), o);
        assertEquals(30_000, context.getEndpoint("pidcheck:pids", PidcheckEndpoint.class).getDelay());
    }

    @Test
    void fromConfigAddsTheConfigurationsPerFileKeysAndTheUriWins() {
        Properties config = new Properties();
        config.setProperty("vigil.pids.expect.sshd.exe", "/usr/sbin/sshd");
        config.setProperty("vigil.pids.expect.cron.exe", "/usr/sbin/cron");
        config.setProperty("vigil.pids.expect.unset.exe", " ");
        config.setProperty("vigil.pids.container.web.root", "/var/lib/machines/web");
        context.getPropertiesComponent().setInitialProperties(config);

        PidOptions o = options("pidcheck:pids?fromConfig=true&expect.cron=/usr/local/sbin/cron");

        assertEquals(Map.of("sshd", "/usr/sbin/sshd", "cron", "/usr/local/sbin/cron"), o.expectedExe());
        assertEquals(Map.of("web", Path.of("/var/lib/machines/web")), o.containerRoots());
        assertEquals(Map.of(), options("pidcheck:other").expectedExe(), "only with fromConfig");
    }

    @Test
    void theDaemonAcceptsPerFileKeysNamedByPathAndRejectsAMisspeltOne(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("vigil.properties"), "vigil.pids.files=/run\n"
                + "vigil.pids.expect./run/sshd.pid.exe=/usr/sbin/sshd\nvigil.pids.container.web.root=/var/lib/machines/web\n");
        Configuration.load(List.of(config), Map.of(), Map.of()).requireValid();

        Files.writeString(config, "vigil.pids.expect.sshd.path=/usr/sbin/sshd\n", StandardOpenOption.APPEND);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Configuration.load(List.of(config), Map.of(), Map.of()).requireValid());
        assertTrue(e.getMessage().contains("vigil.pids.expect.sshd.path"), e.getMessage());
    }

    @Test
    void theEndpointRefusesAProducer() {
        assertThrows(UnsupportedOperationException.class,
                () -> context.getEndpoint("pidcheck:pids").createProducer());
    }
}
