package dev.vigil.camel;

import dev.vigil.store.Database;
import org.apache.camel.CamelContext;

import java.util.Arrays;
import java.util.List;

/** Look-ups the components share: the database bean and list-valued options. */
final class Beans {

    private Beans() {
    }

    static Database database(CamelContext context) {
        Database db = context.getRegistry().lookupByNameAndType(DaemonConfiguration.DATABASE, Database.class);
        if (db == null) {
            throw new IllegalStateException("no database bean '" + DaemonConfiguration.DATABASE + "' in the registry");
        }
        return db;
    }

    static String host(CamelContext context) {
        return context.resolvePropertyPlaceholders("{{vigil.host}}");
    }

    /**
     * An interval option in milliseconds. A unit is required ({@code 500ms}, {@code 30s}, {@code 10m},
     * {@code 1h}): a bare {@code 30} would be read as 30 ms by Camel, and was almost certainly meant as seconds.
     */
    static long intervalMillis(String text) {
        String t = text.strip();
        if (t.matches("\\d+")) {
            throw new IllegalArgumentException("interval '" + t + "' needs a unit: " + t + "s, " + t + "m, " + t + "ms ...");
        }
        return org.apache.camel.util.TimeUtils.toMilliSeconds(t);
    }

    /** A comma-separated list of paths as raw path bytes (the noinode and notime options). */
    static List<byte[]> rawPaths(String commaSeparated) {
        return list(commaSeparated).stream().map(p -> dev.vigil.fim.PathBytes.of(java.nio.file.Path.of(p))).toList();
    }

    static List<String> list(String commaSeparated) {
        if (commaSeparated == null) {
            return List.of();
        }
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
