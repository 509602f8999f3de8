package dev.vigil.cli;

import dev.vigil.alert.Secrets;
import dev.vigil.camel.channel.Channels;
import dev.vigil.os.Proc;
import dev.vigil.config.Configuration;
import dev.vigil.config.Key;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code vigil config}: every key with its effective value, under where it came from (a built-in default, a
 * file's line, the environment, a system property), secrets masked, the host name findings will carry, and which
 * channels that turns on. It checks the configuration as {@code vigil run} does, and exits 1 on any problem.
 * {@code vigil config check} checks the route files and rule trees too; {@code vigil config init} writes a
 * configuration for this host.
 */
@Command(name = "config", subcommands = {ConfigCheckCommand.class, ConfigInitCommand.class}, description = "Show the effective configuration, where each value came from (secrets masked)"
        + " and the channels it turns on; exit 1 on any problem, as `vigil run` would refuse to start.")
public final class ConfigCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file read over config/vigil.properties of the install directory.")
    Path config;

    PrintStream out = System.out;
    PrintStream err = System.err;

    @Override
    public Integer call() {
        VigilHome home = VigilHome.load(config);
        Configuration configuration = home.configuration();
        String previous = null;
        for (Configuration.Value v : configuration.values().stream().sorted(byLayer(configuration)).toList()) {
            String value = v.value();
            String origin = v.origin();
            if (v.key().equals(Key.HOST.key()) && value.isEmpty()) {
                value = home.host();
                origin = "this machine's name (" + Key.HOST.key() + " is empty)";
            }
            if (!origin.equals(previous)) {
                out.println("# " + origin);
                previous = origin;
            }
            out.println(v.key() + "=" + Secrets.shown(v.key(), value));
        }
        List<String> off = Channels.disabled(home::get);
        List<String> on = new ArrayList<>(List.of("console", "file"));
        Channels.ENABLED_BY.keySet().stream().sorted().filter(id -> !off.contains(id))
                .forEach(id -> on.add(id.substring("channel-".length())));
        out.println();
        out.println("# channels on: " + String.join(", ", on));
        if (!off.isEmpty()) {
            out.println("# channels off (their key is empty): " + String.join(", ", off.stream()
                    .map(id -> id.substring("channel-".length()) + " (" + Channels.ENABLED_BY.get(id) + ")").toList()));
        }
        List<String> problems = new ArrayList<>(configuration.problems());
        Path routes = home.resolve("routes");
        if (Files.isDirectory(routes)) {
            problems.addAll(trustProblems(home, routes, err));
        }
        problems.forEach(p -> err.println("vigil: " + p));
        return problems.isEmpty() ? 0 : 1;
    }

    /**
     * As root, why {@code vigil run} would refuse the configuration, the routes or the rule trees as others can
     * change them (see {@link TrustedConfig}); its warnings are printed to {@code err} at once.
     */
    static List<String> trustProblems(VigilHome home, Path routes, PrintStream err) {
        try {
            TrustedConfig.check(home, routes, Proc.effectiveUid() == 0).forEach(w -> err.println("vigil: warning: " + w));
            return List.of();
        } catch (IllegalStateException refused) {
            return List.of(refused.getMessage());
        }
    }

    /** Defaults first, then each file's values in line order, then the environment's, then system properties'. */
    private static Comparator<Configuration.Value> byLayer(Configuration configuration) {
        return Comparator.<Configuration.Value>comparingInt(v -> layer(configuration, v.origin()))
                .thenComparingInt(v -> line(v.origin())).thenComparing(Configuration.Value::key);
    }

    private static int layer(Configuration configuration, String origin) {
        List<Path> files = configuration.files();
        for (int i = 0; i < files.size(); i++) {
            if (origin.startsWith(files.get(i) + ":")) {
                return 1 + i;
            }
        }
        if (origin.startsWith("environment ")) {
            return files.size() + 1;
        }
        return origin.startsWith("-D") ? files.size() + 2 : 0;
    }

    private static int line(String origin) {
        String tail = origin.substring(origin.lastIndexOf(':') + 1);
        return tail.matches("\\d{1,9}") ? Integer.parseInt(tail) : 0;
    }
}
