package dev.vigil.cli;

import dev.vigil.alert.Secrets;
import dev.vigil.os.Proc;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where Vigil is installed and what {@code config/vigil.properties} says. The launcher passes the install
 * directory as {@code -Dvigil.home}; relative paths in the config are resolved against it, so Vigil behaves
 * the same from any working directory. It is also the one place where a default that depends on the machine
 * is decided: {@code vigil.files.areas} left empty means {@link #defaultAreas(int)} for the effective user,
 * for the daemon ({@link RunCommand} passes it on) and the one-shot commands alike.
 */
public final class VigilHome {

    public static final String AREAS = "vigil.files.areas";

    /** What an ordinary user can read of the system: its programs and most of its configuration. */
    static final List<String> USER_AREAS = List.of("/usr/bin", "/usr/sbin", "/etc");

    /**
     * Root's default: programs, libraries and configuration, the boot files and root's home, where tampering
     * matters. Debian's AIDE checks all of / less a long list of exceptions (logs, caches, spools); /usr/share
     * (documentation, locales and other data that is not run) and /var (which changes by design) are left out
     * here instead, so the quick check and the trickle's cycle stay small and the default is not noisy.
     * /bin, /sbin, /lib and /lib64 are links into /usr on a merged-/usr system (and then skipped), directories
     * on an older one.
     */
    static final List<String> ROOT_AREAS = List.of("/etc", "/boot", "/root", "/usr/bin", "/usr/sbin", "/usr/lib",
            "/usr/lib64", "/usr/libexec", "/usr/local", "/bin", "/sbin", "/lib", "/lib64");

    private final Path home;
    private final Properties properties = new Properties();

    private VigilHome(Path home, Path configFile, int euid) {
        this.home = home;
        if (configFile != null && Files.isRegularFile(configFile)) {
            try (Reader in = Files.newBufferedReader(configFile)) {
                properties.load(in);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + configFile + ": " + e.getMessage(), e);
            }
        } else if (configFile != null) {
            throw new IllegalArgumentException("no such config file: " + configFile);
        }
        if (get(AREAS, "").isEmpty()) {
            properties.setProperty(AREAS, String.join(",", defaultAreas(euid)));
        }
    }

    /**
     * The areas monitored when the config names none: as root {@link #ROOT_AREAS}, those of them that are
     * directories and not symbolic links (a link would be recorded, not walked); as anyone else {@link #USER_AREAS}.
     */
    static List<String> defaultAreas(int euid) {
        if (euid != 0) {
            return USER_AREAS;
        }
        return ROOT_AREAS.stream().filter(a -> Files.isDirectory(Path.of(a), LinkOption.NOFOLLOW_LINKS)).toList();
    }

    /** The install directory's config, or {@code configFile} where given. */
    public static VigilHome load(Path configFile) {
        return load(configFile, Proc.effectiveUid());
    }

    /** As {@link #load(Path)}, with the defaults of the user {@code euid}. */
    static VigilHome load(Path configFile, int euid) {
        Path home = Path.of(System.getProperty("vigil.home", ".")).toAbsolutePath().normalize();
        Path config = configFile != null ? configFile : home.resolve("config/vigil.properties");
        return new VigilHome(home, configFile != null || Files.exists(config) ? config : null, euid);
    }

    public Path home() {
        return home;
    }

    public Path resolve(String path) {
        return home.resolve(path);
    }

    /** The key's value, with {@code {{env:NAME}}} / {@code {{env:NAME:default}}} taken from the environment as the daemon does. */
    public String get(String key, String defaultValue) {
        String v = properties.getProperty(key);
        if (v != null) {
            v = ENV.matcher(v).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                    java.util.Objects.requireNonNullElse(System.getenv(m.group(1)), m.group(2) == null ? "" : m.group(2))));
        }
        return v == null || v.isBlank() ? defaultValue : v.strip();
    }

    private static final java.util.regex.Pattern ENV = java.util.regex.Pattern.compile("\\{\\{env:([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?}}");

    /** The secret values of this configuration, to take out of error messages. */
    public Secrets secrets() {
        Map<String, String> values = new HashMap<>();
        for (String key : keys()) {
            values.put(key, get(key, ""));
        }
        return Secrets.of(values);
    }

    /** The secret keys (see {@link Secrets#secretKey}) given a value in the file itself, not from the environment. */
    List<String> secretKeysWritten() {
        return keys().stream().filter(Secrets::secretKey).filter(key -> {
            String raw = properties.getProperty(key).strip();
            return !raw.isEmpty() && !ENV.matcher(raw).matches();
        }).toList();
    }

    /** Every key in the file, in name order. */
    public List<String> keys() {
        return properties.stringPropertyNames().stream().sorted().toList();
    }

    /** A comma-separated list key, blanks dropped. */
    public List<String> list(String key) {
        return Arrays.stream(get(key, "").split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Takes {@code db} as the database, as {@code --db} asks, whatever the config says. */
    void useDatabase(Path db) {
        properties.setProperty("vigil.database", db.toAbsolutePath().toString());
    }

    public Path database() {
        return resolve(get("vigil.database", "data/vigil.db"));
    }

    /** The file the daemon appends every report to, as NDJSON. */
    public Path alertsFile() {
        return resolve(get("vigil.alerts.file", "data/alerts.ndjson"));
    }
}
