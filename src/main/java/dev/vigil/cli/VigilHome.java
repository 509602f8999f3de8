package dev.vigil.cli;

import dev.vigil.alert.Secrets;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where Vigil is installed and what {@code config/vigil.properties} says. The launcher passes the install
 * directory as {@code -Dvigil.home}; relative paths in the config are resolved against it, so Vigil behaves
 * the same from any working directory.
 */
public final class VigilHome {

    private final Path home;
    private final Properties properties = new Properties();

    private VigilHome(Path home, Path configFile) {
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
    }

    /** The install directory's config, or {@code configFile} where given. */
    public static VigilHome load(Path configFile) {
        Path home = Path.of(System.getProperty("vigil.home", ".")).toAbsolutePath().normalize();
        Path config = configFile != null ? configFile : home.resolve("config/vigil.properties");
        return new VigilHome(home, configFile != null || Files.exists(config) ? config : null);
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

    /** Every key in the file, in name order. */
    public List<String> keys() {
        return properties.stringPropertyNames().stream().sorted().toList();
    }

    /** A comma-separated list key, blanks dropped. */
    public List<String> list(String key) {
        return Arrays.stream(get(key, "").split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    public Path database() {
        return resolve(get("vigil.database", "data/vigil.db"));
    }
}
