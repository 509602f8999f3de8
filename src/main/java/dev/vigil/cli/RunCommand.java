package dev.vigil.cli;

import dev.vigil.camel.Consumers;
import dev.vigil.camel.channel.Channels;
import dev.vigil.camel.daemon.Announcer;
import dev.vigil.camel.daemon.DaemonConfiguration;
import dev.vigil.camel.http.WebView;
import dev.vigil.config.Configuration;
import dev.vigil.config.Key;
import dev.vigil.config.Version;
import dev.vigil.source.Supervisor;
import dev.vigil.store.DaemonLock;
import dev.vigil.store.Database;
import dev.vigil.os.Proc;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code vigil run}: the daemon. Camel Main with the YAML routes of {@code routes/} and the effective configuration
 * (see {@link VigilHome}); SIGTERM stops it cleanly (in-flight findings finish; pooled ones, like those a
 * crash leaves, are pooled again at the next start). An {@link Error} in any of its threads ends it with status 2
 * (see {@link Supervisor}), so that systemd starts it again. One daemon runs per database ({@link DaemonLock}).
 */
@Command(name = "run", description = "Run the daemon: Camel Main with routes/*.yaml and config/vigil.properties.")
public final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    StoreOptions store = new StoreOptions();

    @Option(names = "--routes", paramLabel = "DIR", description = "Directory of Camel YAML routes (default: routes/ in the install directory).")
    Path routes;

    @Override
    public Integer call() throws Exception {
        Supervisor.exitOnErrors();
        VigilHome home = store.home();
        try (DaemonLock lock = DaemonLock.acquire(home.database())) {
            Main main = daemon(home, routesDir(home, routes), new DaemonConfiguration());
            main.run();
            return main.getExitCode();
        } catch (Exception e) {
            throw redacted(home, e);
        }
    }

    /** The error with every secret of the configuration taken out: Camel quotes endpoint URLs in its messages. */
    static IllegalStateException redacted(VigilHome home, Exception e) {
        return new IllegalStateException(home.secrets().redact(VigilCommand.message(e)));
    }

    static Path routesDir(VigilHome home, Path routes) {
        Path routesDir = (routes != null ? routes : home.resolve("routes")).toAbsolutePath();
        if (!Files.isDirectory(routesDir)) {
            throw new IllegalArgumentException("no routes directory " + routesDir);
        }
        return routesDir;
    }

    /**
     * Camel Main set up as {@code vigil run} sets it up; tests start the same thing. The routes' {@code {{key}}}
     * placeholders resolve to the configuration's effective values, defaults included, and to what Vigil derives
     * from them (the host name, the alert file's directory, the syslog transport).
     *
     * @throws IllegalArgumentException listing every problem of the configuration, one a line
     */
    public static Main daemon(VigilHome home, Path routesDir, DaemonConfiguration configuration) throws Exception {
        Main main = main(home, routesDir, "file:" + routesDir + "/*.yaml", configuration);
        // Camel Main acts on a SIGTERM only once the start has ended, and the watch takes its first baseline as it
        // starts (minutes on /): the stop ends that baseline at once instead.
        main.getShutdownStrategy().addShutdownListener(() -> Optional.ofNullable(main.getCamelContext())
                .map(c -> c.getRegistry().lookupByNameAndType(DaemonConfiguration.DATABASE, Database.class))
                .ifPresent(Consumers::stopFirstBaselines));
        return main;
    }

    /**
     * As {@link #daemon}, with the route files {@code routesInclude} names (Camel's include pattern) and the
     * beans {@code configuration} binds: what {@code vigil collect} starts too.
     */
    /** The properties the routes' {@code {{key}}} placeholders resolve against: the configuration and what Vigil derives. */
    public static Map<String, String> routeProperties(VigilHome home) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (Configuration.Value v : home.configuration().others()) {
            properties.put(v.key(), v.value());
        }
        for (Configuration.Value v : home.configuration().values()) {
            properties.put(v.key(), v.value());
        }
        Path alerts = home.alertsFile();
        properties.put(Key.HOME.key(), home.home().toString());
        properties.put(Key.DATABASE.key(), home.database().toString());
        properties.put(Key.ALERTS_DIR.key(), alerts.getParent().toString());
        properties.put(Key.ALERTS_NAME.key(), alerts.getFileName().toString());
        properties.put(Key.HOST.key(), home.host());
        properties.put(Key.VERSION.key(), Version.VERSION);
        properties.putAll(Channels.derived(home::get, home.keys()));
        return properties;
    }

    /** The ids of the routes not loaded: channels with no receiver configured, the web view without a port. */
    public static List<String> disabledRoutes(VigilHome home) {
        List<String> disabled = new ArrayList<>(Channels.disabledRoutes(home::get));
        disabled.addAll(WebView.disabledRoutes(home::get));
        return disabled;
    }

    static Main main(VigilHome home, Path routesDir, String routesInclude, CamelConfiguration configuration) throws Exception {
        home.requireValid();
        TrustedConfig.check(home, routesDir, Proc.effectiveUid() == 0).forEach(LOG::warn);
        Main main = new Main();
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport started) {
                // Camel would also read vigil.* keys from the environment and system properties itself, over the
                // values given here: the configuration has layered and checked those already.
                PropertiesComponent properties = (PropertiesComponent) started.getCamelContext().getPropertiesComponent();
                properties.setEnvironmentVariableMode(PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_NEVER);
                properties.setSystemPropertiesMode(PropertiesComponent.SYSTEM_PROPERTIES_MODE_NEVER);
            }
        });
        routeProperties(home).forEach(main::addOverrideProperty);
        List<String> disabled = disabledRoutes(home);
        if (!disabled.isEmpty()) {
            main.configure().withRouteFilterExcludePattern(String.join(",", disabled));
        }
        main.configure().withRoutesIncludePattern(routesInclude);
        main.configure().withName("vigil");
        main.configure().addConfiguration(configuration);
        main.addMainListener(new Announcer());
        return main;
    }
}
