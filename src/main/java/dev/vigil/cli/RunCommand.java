package dev.vigil.cli;

import dev.vigil.camel.channel.Channels;
import dev.vigil.camel.daemon.Announcer;
import dev.vigil.camel.daemon.DaemonConfiguration;
import dev.vigil.source.Supervisor;
import dev.vigil.store.DaemonLock;
import dev.vigil.os.HostName;
import dev.vigil.os.Proc;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code vigil run}: the daemon. Camel Main with the YAML routes of {@code routes/} and the properties of
 * {@code config/vigil.properties}; SIGTERM stops it cleanly (in-flight findings finish; pooled ones, like those a
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
            Main main = daemon(home, configFile(home, store.config), routesDir(home, routes), new DaemonConfiguration());
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

    static Path configFile(VigilHome home, Path config) {
        return config != null ? config.toAbsolutePath() : home.resolve("config/vigil.properties");
    }

    static Path routesDir(VigilHome home, Path routes) {
        Path routesDir = (routes != null ? routes : home.resolve("routes")).toAbsolutePath();
        if (!Files.isDirectory(routesDir)) {
            throw new IllegalArgumentException("no routes directory " + routesDir);
        }
        return routesDir;
    }

    /** Camel Main set up as {@code vigil run} sets it up; tests start the same thing. */
    public static Main daemon(VigilHome home, Path configFile, Path routesDir, DaemonConfiguration configuration) throws Exception {
        TrustedConfig.check(home, configFile, routesDir, Proc.effectiveUid() == 0).forEach(LOG::warn);
        Main main = new Main();
        if (Files.exists(configFile)) {
            main.setPropertyPlaceholderLocations("file:" + configFile);
        }
        Path alerts = home.alertsFile();
        main.addOverrideProperty("vigil.home", home.home().toString());
        main.addOverrideProperty("vigil.database", home.database().toString());
        main.addOverrideProperty(VigilHome.AREAS, home.get(VigilHome.AREAS, ""));
        main.addOverrideProperty("vigil.alerts.dir", alerts.getParent().toString());
        main.addOverrideProperty("vigil.alerts.name", alerts.getFileName().toString());
        main.addOverrideProperty("vigil.host", HostName.of(home.get("vigil.host", "")));
        Channels.derived(key -> home.get(key, ""), home.keys()).forEach(main::addOverrideProperty);
        List<String> disabled = Channels.disabled(key -> home.get(key, ""));
        if (!disabled.isEmpty()) {
            main.configure().withRouteFilterExcludePattern(String.join(",", disabled));
        }
        main.configure().withRoutesIncludePattern("file:" + routesDir + "/*.yaml");
        main.configure().withName("vigil");
        main.configure().addConfiguration(configuration);
        main.addMainListener(new Announcer());
        return main;
    }
}
