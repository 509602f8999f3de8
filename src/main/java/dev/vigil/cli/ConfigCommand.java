package dev.vigil.cli;

import dev.vigil.alert.Secrets;
import dev.vigil.camel.channel.Channels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code vigil config}: every key of the config file with its effective value ({@code {{env:NAME}}} taken from
 * the environment), secrets masked, and which channels that turns on.
 */
@Command(name = "config", description = "Show the effective configuration, secrets masked, and the channels it turns on.")
public final class ConfigCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file (default: config/vigil.properties in the install directory).")
    Path config;

    PrintStream out = System.out;

    @Override
    public Integer call() {
        VigilHome home = VigilHome.load(config);
        for (String key : home.keys()) {
            out.println(key + "=" + Secrets.shown(key, home.get(key, "")));
        }
        List<String> off = Channels.disabled(key -> home.get(key, ""));
        List<String> on = new ArrayList<>(List.of("console", "file"));
        Channels.ENABLED_BY.keySet().stream().sorted().filter(id -> !off.contains(id))
                .forEach(id -> on.add(id.substring("channel-".length())));
        out.println();
        out.println("# channels on: " + String.join(", ", on));
        if (!off.isEmpty()) {
            out.println("# channels off (their key is empty): " + String.join(", ", off.stream()
                    .map(id -> id.substring("channel-".length()) + " (" + Channels.ENABLED_BY.get(id) + ")").toList()));
        }
        return 0;
    }
}
