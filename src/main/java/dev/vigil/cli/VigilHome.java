package dev.vigil.cli;

import dev.vigil.alert.Secrets;
import dev.vigil.os.HostName;
import dev.vigil.os.Proc;
import dev.vigil.config.Configuration;
import dev.vigil.config.Key;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where Vigil is installed and its effective {@link Configuration}: the built-in defaults, then
 * {@code config/vigil.properties}, then a {@code --config} file, then the environment and system properties.
 * The launcher passes the install directory as {@code -Dvigil.home}; relative paths are resolved against it, so Vigil behaves
 * the same from any working directory. In a clone that is the clone; installed as a service ({@link Installation})
 * it is {@code /etc/vigil}, and the launcher names the config file, {@code /etc/vigil/vigil.properties}, as
 * {@code -Dvigil.configFile}. It is also the one place where a default that depends on the machine
 * is decided: {@code vigil.files.areas} left empty means {@link #defaultAreas(int)} for the effective user,
 * for the daemon ({@link RunCommand} passes it on) and the one-shot commands alike.
 */
public final class VigilHome {

    public static final String AREAS = Key.FILES_AREAS.key();

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
    private final Configuration configuration;

    private VigilHome(Path home, List<Path> configFiles, int euid) {
        this.home = home;
        this.configuration = Configuration.load(configFiles, System.getenv(), systemProperties());
        if (configuration.get(AREAS).isEmpty()) {
            configuration.set(AREAS, String.join(",", defaultAreas(euid)), euid == 0
                    ? "default for root: the system areas that exist here" : "default for an ordinary user");
        }
    }

    private static Map<String, String> systemProperties() {
        Map<String, String> out = new HashMap<>();
        System.getProperties().stringPropertyNames().forEach(k -> out.put(k, System.getProperty(k)));
        return out;
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

    /** The install directory's config, with {@code configFile} over it where given. */
    public static VigilHome load(Path configFile) {
        return load(configFile, Proc.effectiveUid());
    }

    /** As {@link #load(Path)}, with the defaults of the user {@code euid}. */
    static VigilHome load(Path configFile, int euid) {
        Path home = directory();
        List<Path> files = new ArrayList<>();
        String installedFile = System.getProperty(Key.CONFIG_FILE.key(), "");
        Path installed = installedFile.isEmpty() ? home.resolve("config/vigil.properties") : Path.of(installedFile);
        if (Files.exists(installed)) {
            files.add(installed);
        }
        if (configFile != null) {
            if (!Files.isRegularFile(configFile)) {
                throw new IllegalArgumentException("no such config file: " + configFile);
            }
            Path given = configFile.toAbsolutePath().normalize();
            if (!files.contains(given)) {
                files.add(given);
            }
        }
        return new VigilHome(home, files, euid);
    }

    /** The install directory, as the launcher gives it ({@code -Dvigil.home}), without reading the configuration. */
    static Path directory() {
        return Path.of(System.getProperty(Key.HOME.key(), ".")).toAbsolutePath().normalize();
    }

    public Path home() {
        return home;
    }

    public Path resolve(String path) {
        return home.resolve(path);
    }

    /** The effective configuration: defaults, files, environment and system properties. */
    public Configuration configuration() {
        return configuration;
    }

    /**
     * @throws IllegalArgumentException listing every problem of the configuration, one a line
     */
    public void requireValid() {
        configuration.requireValid();
    }

    /** The key's effective value ({@code {{env:NAME}}} taken from the environment); empty when it has none. */
    public String get(String key) {
        return configuration.get(key);
    }

    public String get(Key key) {
        return configuration.get(key);
    }

    /** The host name put on findings: {@code vigil.host}, or this machine's name when that is empty. */
    public String host() {
        return HostName.of(get(Key.HOST));
    }

    /** The secret values of this configuration, to take out of error messages. */
    public Secrets secrets() {
        Map<String, String> values = new HashMap<>();
        for (Configuration.Value v : configuration.values()) {
            values.put(v.key(), v.value());
        }
        return Secrets.of(values);
    }

    /** The secret keys given their effective value in {@code file} itself, not from the environment. */
    List<String> secretKeysWritten(Path file) {
        return configuration.values().stream().filter(v -> Secrets.secretKey(v.key()))
                .filter(v -> v.origin().startsWith(file + ":") && !v.raw().strip().isEmpty()
                        && !v.raw().strip().matches("\\{\\{env:[^}]*}}"))
                .map(Configuration.Value::key).toList();
    }

    /** Every key with a value, in name order. */
    public List<String> keys() {
        return configuration.values().stream().map(Configuration.Value::key).toList();
    }

    /** A comma-separated list key, blanks dropped. */
    public List<String> list(String key) {
        return Arrays.stream(get(key).split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Takes {@code db} as the database, as {@code --db} asks, whatever the config says. */
    void useDatabase(Path db) {
        configuration.set(Key.DATABASE.key(), db.toAbsolutePath().toString(), "--db");
    }

    public Path database() {
        return resolve(get(Key.DATABASE));
    }

    /** The file the daemon appends every report to, as NDJSON. */
    public Path alertsFile() {
        return resolve(get(Key.ALERTS_FILE));
    }
}
