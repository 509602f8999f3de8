package dev.vigil.camel;

import dev.vigil.camel.daemon.DaemonConfiguration;
import dev.vigil.config.Durations;
import dev.vigil.config.Key;
import dev.vigil.fim.Excludes;
import dev.vigil.fim.PathPolicy;
import dev.vigil.fim.ProblemSummary;
import dev.vigil.store.AlertFile;
import dev.vigil.store.Database;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Look-ups the components share: the database bean, list-valued options, services made on first use. */
public final class Beans {

    private Beans() {
    }

    /** Adds a service the daemon makes on first use to the context, started with it (or at once, if it runs). */
    public static void addService(CamelContext context, Object service, String what) {
        try {
            context.addService(service, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start " + what + ": " + e.getMessage(), e);
        }
    }

    /** The registry name of a collector's fleet store (a {@link DataSource}); a daemon has none. */
    public static final String FLEET_STORE = "fleetStore";

    /** A collector's fleet store, or empty on a daemon. */
    public static Optional<DataSource> fleetStore(CamelContext context) {
        return Optional.ofNullable(context.getRegistry().lookupByNameAndType(FLEET_STORE, DataSource.class));
    }

    public static Database database(CamelContext context) {
        Database db = context.getRegistry().lookupByNameAndType(DaemonConfiguration.DATABASE, Database.class);
        if (db == null) {
            throw new IllegalStateException("no database bean '" + DaemonConfiguration.DATABASE + "' in the registry");
        }
        return db;
    }

    /**
     * Vigil's own files: the database with its WAL, shared-memory and journal files, and the alert file with its
     * rotated copies. Every checker leaves them out wherever an area holds them (Vigil installed under /root, say):
     * they change all the time, and a report about the alert file would itself change the alert file.
     */
    public static Set<Path> ownFiles(CamelContext context) {
        Set<Path> own = new LinkedHashSet<>(database(context).files());
        var properties = context.getPropertiesComponent();
        int keep = Math.toIntExact(Settings.wholeNumber(context, Key.ALERTS_KEEP));
        properties.resolveProperty("vigil.alerts.dir").ifPresent(dir -> properties.resolveProperty("vigil.alerts.name")
                .ifPresent(name -> {
                    Path alerts = Path.of(dir).toAbsolutePath().resolve(name);
                    own.add(alerts);
                    own.addAll(AlertFile.rotatedFiles(alerts, keep));
                }));
        return own;
    }

    /** The excludes of a checker: its comma-separated globs, and {@link #ownFiles}. */
    public static Excludes excludes(CamelContext context, String globs) {
        return Excludes.of(list(globs), ownFiles(context));
    }

    /** A checker's noInode, noTime and growing lists, with the times of the directories holding {@link #ownFiles} ignored. */
    public static PathPolicy pathPolicy(CamelContext context, String noInode, String noTime, String growing) {
        return new PathPolicy(rawPaths(noInode), rawPaths(noTime)).withGrowing(rawPaths(growing))
                .withTimesIgnoredAround(ownFiles(context));
    }

    /** {@code vigil.history.maxRows}: the most raw watcher events kept (validated with the configuration). */
    public static long historyMaxRows(CamelContext context) {
        return Settings.wholeNumber(context, Key.HISTORY_MAX_ROWS);
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

    /** The host a source endpoint's findings are of: its {@code host} option, else {@code vigil.host}. */
    public static String host(CamelContext context, String option) {
        return option != null ? option : host(context);
    }

    /**
     * The configuration's keys that {@code which} takes, with their values resolved and stripped: for the keys a
     * route cannot list as placeholders (their names are the user's), and the defaults components read.
     */
    public static Map<String, String> configuration(CamelContext context, Predicate<String> which) {
        PropertiesComponent properties = context.getPropertiesComponent();
        Map<String, String> keys = new LinkedHashMap<>();
        for (String key : properties.loadProperties(which).stringPropertyNames()) {
            properties.resolveProperty(key).ifPresent(v -> keys.put(key, v.strip()));
        }
        return keys;
    }

    /** An interval option in milliseconds (see {@link Durations}). */
    public static long intervalMillis(String text) {
        return Durations.millis(text);
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
