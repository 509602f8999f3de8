package dev.vigil.cli;

import dev.vigil.camel.collect.CollectConfiguration;
import dev.vigil.camel.http.WebView;
import dev.vigil.config.Key;
import dev.vigil.source.Supervisor;
import dev.vigil.store.DaemonLock;
import org.apache.camel.main.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code vigil collect}: the collector of a fleet. Camel Main with routes/collect/*.yaml (the Kafka consumers and
 * the fleet store) and the host's own routes/report.yaml and routes/channels.yaml (pooling, holdoff, outbox,
 * channels), over its own SQLite database ({@code vigil.collect.database}), and routes/web.yaml when
 * {@code vigil.http.port} is set (the web view, each finding with its host); stopped and restarted as
 * {@code vigil run} is. One collector runs per database ({@link DaemonLock}); more collectors share the partitions
 * through their consumer group.
 */
@Command(name = "collect", description = "Run the fleet collector: the hosts' reports and heartbeats from Kafka into the"
        + " fleet store and the channels (routes/collect/*.yaml with routes/report.yaml and routes/channels.yaml).")
public final class CollectCommand implements Callable<Integer> {

    @Mixin
    StoreOptions store = new StoreOptions();

    @Option(names = "--routes", paramLabel = "DIR", description = "Directory of Camel YAML routes holding report.yaml,"
            + " channels.yaml and collect/ (default: routes/ in the install directory).")
    Path routes;

    @Override
    public Integer call() throws Exception {
        Supervisor.exitOnErrors();
        VigilHome home = home(store);
        try (DaemonLock lock = DaemonLock.acquire(home.database())) {
            Main main = collector(home, RunCommand.routesDir(home, routes), new CollectConfiguration());
            main.run();
            return main.getExitCode();
        } catch (Exception e) {
            throw RunCommand.redacted(home, e);
        }
    }

    /** The configuration with the collector's own database as the one its alert pipeline keeps its state in. */
    static VigilHome home(StoreOptions store) {
        VigilHome home = store.home();
        if (store.db == null) {
            home.useDatabase(home.resolve(home.get(Key.COLLECT_DATABASE)));
        }
        return home;
    }

    /** Camel Main set up as {@code vigil collect} sets it up; tests start the same thing. */
    public static Main collector(VigilHome home, Path routesDir, CollectConfiguration configuration) throws Exception {
        Path collect = routesDir.resolve("collect");
        if (!Files.isDirectory(collect)) {
            throw new IllegalArgumentException("no collector routes directory " + collect);
        }
        List<String> routes = new ArrayList<>(List.of("file:" + routesDir.resolve("report.yaml"),
                "file:" + routesDir.resolve("channels.yaml"), "file:" + collect + "/*.yaml"));
        if (WebView.disabledRoutes(home::get).isEmpty()) {
            routes.add("file:" + routesDir.resolve("web.yaml"));
        }
        return RunCommand.main(home, routesDir, String.join(",", routes), configuration);
    }
}
