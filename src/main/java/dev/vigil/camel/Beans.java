package dev.vigil.camel;

import dev.vigil.camel.daemon.DaemonConfiguration;

import dev.vigil.fim.Excludes;
import dev.vigil.fim.PathPolicy;
import dev.vigil.fim.ProblemSummary;
import dev.vigil.store.Database;
import dev.vigil.store.FileEventHistory;
import org.apache.camel.CamelContext;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** Look-ups the components share: the database bean and list-valued options. */
public final class Beans {

    private Beans() {
    }

    public static Database database(CamelContext context) {
        Database db = context.getRegistry().lookupByNameAndType(DaemonConfiguration.DATABASE, Database.class);
        if (db == null) {
            throw new IllegalStateException("no database bean '" + DaemonConfiguration.DATABASE + "' in the registry");
        }
        return db;
    }

    /**
     * Vigil's own files: the database with its WAL, shared-memory and journal files, and the alert file. Every
     * checker leaves them out wherever an area holds them (Vigil installed under /root, say): they change all the
     * time, and a report about the alert file would itself change the alert file.
     */
    public static Set<Path> ownFiles(CamelContext context) {
        Set<Path> own = new LinkedHashSet<>(database(context).files());
        var properties = context.getPropertiesComponent();
        properties.resolveProperty("vigil.alerts.dir").ifPresent(dir -> properties.resolveProperty("vigil.alerts.name")
                .ifPresent(name -> own.add(Path.of(dir).toAbsolutePath().resolve(name))));
        return own;
    }

    /** The excludes of a checker: its comma-separated globs, and {@link #ownFiles}. */
    public static Excludes excludes(CamelContext context, String globs) {
        return Excludes.of(list(globs), ownFiles(context));
    }

    /** A checker's noinode and notime lists, with the times of the directories holding {@link #ownFiles} ignored. */
    public static PathPolicy pathPolicy(CamelContext context, String noinode, String notime) {
        return new PathPolicy(rawPaths(noinode), rawPaths(notime)).withTimesIgnoredAround(ownFiles(context));
    }

    /** {@code vigil.history.maxrows}: the most raw watcher events kept. */
    public static long historyMaxRows(CamelContext context) {
        String text = context.getPropertiesComponent().resolveProperty("vigil.history.maxrows").map(String::strip)
                .filter(t -> !t.isEmpty()).orElse(Long.toString(FileEventHistory.DEFAULT_MAX_ROWS));
        try {
            long rows = Long.parseLong(text.replace("_", ""));
            if (rows > 0) {
                return rows;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("vigil.history.maxrows: '" + text + "' is not a positive number of rows");
    }

    /** The problem paths the daemon's file sources have already told (see {@link ProblemSummary}), shared by all of them. */
    public static Set<String> problemsSaid(CamelContext context) {
        synchronized (context) {
            @SuppressWarnings("unchecked")
            Set<String> said = context.getRegistry().lookupByNameAndType(PROBLEMS_SAID, Set.class);
            if (said == null) {
                said = ConcurrentHashMap.newKeySet();
                context.getRegistry().bind(PROBLEMS_SAID, said);
            }
            return said;
        }
    }

    private static final String PROBLEMS_SAID = "vigilProblemsSaid";

    public static String host(CamelContext context) {
        return context.resolvePropertyPlaceholders("{{vigil.host}}");
    }

    /** A duration as the options and keys take it: numbers each with a unit, summed. */
    private static final Pattern DURATION = Pattern.compile("(\\d+(ms|s|m|h|d))+");
    public static final String DURATION_FORM = "a number with a unit: 500ms, 30s, 10m, 1h or 2d (or a sum: 1h30m)";

    /**
     * An interval option in milliseconds. A unit is required ({@code 500ms}, {@code 30s}, {@code 10m},
     * {@code 1h}): a bare {@code 30} would be read as 30 ms by Camel, and was almost certainly meant as seconds.
     * Anything else is refused: Camel reads text it cannot parse ({@code banana}) as 0, a check run back to back.
     */
    public static long intervalMillis(String text) {
        String t = text.strip();
        if (t.matches("\\d+")) {
            throw new IllegalArgumentException("interval '" + t + "' needs a unit: " + t + "s, " + t + "m, " + t + "ms ...");
        }
        if (!DURATION.matcher(t).matches()) {
            throw new IllegalArgumentException("'" + t + "' is not a duration: write " + DURATION_FORM);
        }
        return org.apache.camel.util.TimeUtils.toMilliSeconds(t);
    }

    /** A comma-separated list of paths as raw path bytes (the noinode and notime options). */
    static List<byte[]> rawPaths(String commaSeparated) {
        return list(commaSeparated).stream().map(p -> dev.vigil.os.PathBytes.of(java.nio.file.Path.of(p))).toList();
    }

    public static List<String> list(String commaSeparated) {
        if (commaSeparated == null) {
            return List.of();
        }
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
