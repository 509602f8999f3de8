package dev.vigil.camel.pidcheck;

import dev.vigil.camel.Beans;
import dev.vigil.camel.Headers;
import dev.vigil.camel.PollingEndpoint;

import dev.vigil.pid.PidOptions;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code pidcheck:NAME?files=...}: checks PID files and required processes on a schedule and sends each
 * finding (MISSING, INVALID, DIED, ZOMBIE, UNEXPECTED_EXE, RESTARTED, REPLACED, RECOVERED) as a
 * {@link dev.vigil.alert.Finding} (source {@code pids}).
 *
 * <p>Options (one-to-one with {@link PidOptions}):
 * <ul>
 *   <li>{@code NAME}: names this set of checks; what it last saw is kept in the database under this name, so a
 *       restart of Vigil is not taken for every service restarting.</li>
 *   <li>{@code files}: comma-separated PID files, directories (every {@code *.pid} inside and one level down)
 *       and globs. Empty: no PID files.</li>
 *   <li>{@code require}: comma-separated command names that must always have a running process.</li>
 *   <li>{@code expect.NAME=EXE}: the executable the process of PID file {@code NAME} (its file name without
 *       {@code .pid}, or its full path) must run; repeatable.</li>
 *   <li>{@code container.NAME=ROOT}: a container's root directory, under which PID files hold PIDs of the
 *       container's PID namespace; repeatable.</li>
 *   <li>{@code fromConfig}: also take the {@code vigil.pids.expect.NAME.exe} and
 *       {@code vigil.pids.container.NAME.root} keys of the configuration. Their names are open-ended, so a route
 *       cannot list them as placeholders; entries given on the URI win.</li>
 *   <li>{@code interval} (30s, 5m, 1h or 500ms; a unit is required): time between the end of one check and the start of the
 *       next; Camel's scheduled-poll options ({@code initialDelay}, ...) apply as well.</li>
 *   <li>{@code host}: host name on findings.</li>
 * </ul>
 * With neither {@code files} nor {@code require} the endpoint starts and checks nothing, so the PID checks can
 * be switched off in the configuration without touching the route.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "pidcheck", title = "PID-file and process checks", syntax = "pidcheck:name",
        consumerOnly = true, category = {Category.MONITORING}, headersClass = Headers.class)
public final class PidcheckEndpoint extends PollingEndpoint {

    static final String EXPECT_PREFIX = "expect.";
    static final String CONTAINER_PREFIX = "container.";

    @UriPath(description = "Names this set of checks; its remembered state is kept under this name")
    @Metadata(required = true)
    private String name;

    @UriParam(description = "Comma-separated PID files, directories (each file ending in .pid inside and one level down) and globs")
    private String files = "";

    @UriParam(description = "Comma-separated command names (as ps -o comm shows them) that must always have a running process; none running is DIED")
    private String require = "";

    @UriParam(prefix = EXPECT_PREFIX, multiValue = true,
            description = "expect.NAME=EXE: the executable the process of PID file NAME (without .pid, or a full path) must run")
    private Map<String, Object> expect = Map.of();

    @UriParam(prefix = CONTAINER_PREFIX, multiValue = true,
            description = "container.NAME=ROOT: a container's root; PID files under it hold PIDs of its PID namespace, mapped to host PIDs")
    private Map<String, Object> container = Map.of();

    @UriParam(defaultValue = "false",
            description = "Also take the vigil.pids.expect.NAME.exe and vigil.pids.container.NAME.root configuration keys")
    private boolean fromConfig;

    public PidcheckEndpoint(String uri, PidcheckComponent component) {
        super(uri, component, "30s");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        PidcheckConsumer consumer = new PidcheckConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /**
     * The core's options for this endpoint.
     *
     * @throws IllegalArgumentException naming the key, for a malformed {@code vigil.pids.*} key
     */
    PidOptions options() {
        Map<String, String> exes = new LinkedHashMap<>();
        Map<String, Path> roots = new LinkedHashMap<>();
        if (fromConfig) {
            PidOptions configured = PidOptions.fromProperties(configKeys());
            exes.putAll(configured.expectedExe());
            roots.putAll(configured.containerRoots());
        }
        expect.forEach((k, v) -> exes.put(k, v.toString()));
        container.forEach((k, v) -> roots.put(k, Path.of(v.toString())));
        return new PidOptions(name, PidOptions.list(files), Duration.ofMillis(getDelay()), exes,
                PidOptions.list(require), roots);
    }

    /** The configuration's per-file keys; one left empty means none, as for every other {@code vigil.*} key. */
    private Map<String, String> configKeys() {
        Map<String, String> keys = Beans.configuration(getCamelContext(), PidOptions::isNamedKey);
        keys.values().removeIf(String::isEmpty);
        return keys;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getFiles() {
        return files;
    }

    public void setFiles(String files) {
        this.files = files;
    }

    public String getRequire() {
        return require;
    }

    public void setRequire(String require) {
        this.require = require;
    }

    public Map<String, Object> getExpect() {
        return expect;
    }

    public void setExpect(Map<String, Object> expect) {
        this.expect = Map.copyOf(expect);
    }

    public Map<String, Object> getContainer() {
        return container;
    }

    public void setContainer(Map<String, Object> container) {
        this.container = Map.copyOf(container);
    }

    public boolean isFromConfig() {
        return fromConfig;
    }

    public void setFromConfig(boolean fromConfig) {
        this.fromConfig = fromConfig;
    }

}
