package dev.vigil.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The effective configuration, in layers, each overriding the one before: the built-in defaults of {@link Key},
 * the properties files in the order given (the install's config/vigil.properties, then a {@code --config}
 * file), {@code VIGIL_*} environment variables ({@code VIGIL_FILES_SCAN_INTERVAL} sets
 * {@code vigil.files.scan.interval}, matched in any case) and {@code -Dvigil.*} system properties. So a file
 * needs only the keys it changes. Each value remembers where it came from, and every problem (an unknown or
 * renamed key, a value its key does not allow) is one line naming the key, the value, what is allowed and the
 * file and line: the daemon refuses to start on any, {@code vigil config} lists them all.
 */
public final class Configuration {

    public static final String DEFAULT = "built-in default";

    /**
     * One key's effective value.
     *
     * @param raw    as written, before {@code {{env:NAME}}} was replaced
     * @param origin where it came from: {@link #DEFAULT}, {@code FILE:LINE}, {@code environment NAME}, {@code -DKEY}
     */
    public record Value(String key, String raw, String value, String origin) {}

    private static final Pattern ENV = Pattern.compile("\\{\\{env:([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?}}");
    private static final String ENV_PREFIX = "VIGIL_";

    private final Map<String, Value> values = new TreeMap<>();
    private final Map<String, Value> others = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();
    private final List<Path> files;
    private final Map<String, String> environment;

    private Configuration(List<Path> files, Map<String, String> environment) {
        this.files = List.copyOf(files);
        this.environment = environment;
    }

    /**
     * The configuration of {@code files} over the defaults, overridden by {@code environment}'s {@code VIGIL_*}
     * variables and then {@code systemProperties}' {@code vigil.*} keys; {@code environment} also serves
     * {@code {{env:NAME}}} in values.
     *
     * @throws IllegalArgumentException when a file cannot be read
     */
    public static Configuration load(List<Path> files, Map<String, String> environment, Map<String, String> systemProperties) {
        Configuration c = new Configuration(files, environment);
        for (Key k : Key.settable()) {
            if (k.isPattern()) {
                k.namedDefaults().forEach((key, value) -> c.put(key, value, value, DEFAULT));
            } else {
                c.put(k.key(), k.defaultValue(), k.defaultValue(), DEFAULT);
            }
        }
        for (Path file : files) {
            c.read(file);
        }
        new TreeMap<>(environment).forEach((name, value) -> {
            if (name.regionMatches(true, 0, ENV_PREFIX, 0, ENV_PREFIX.length())) {
                // Other VIGIL_* variables (VIGIL_JAVA_OPTS, secrets for {{env:NAME}}) are not keys.
                Key.canonical("vigil." + name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'))
                        .ifPresent(key -> c.set(key, value, "environment " + name));
            }
        });
        new TreeMap<>(systemProperties).forEach((key, value) -> {
            if (key.startsWith("vigil.") && !Key.of(key).map(Key::internal).orElse(false)) {
                c.set(key, value, "-D" + key);
            }
        });
        c.values.values().forEach(c::check);
        c.values.replaceAll((key, v) -> normalised(v));
        c.requireKafkaKey();
        return c;
    }

    /** Reads a properties file line by line (Java's syntax, continuation lines included) to know each key's line. */
    private void read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        StringBuilder logical = new StringBuilder();
        int first = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String stripped = line.stripLeading();
            if (logical.isEmpty() && (stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith("!"))) {
                continue;
            }
            if (logical.isEmpty()) {
                first = i + 1;
            }
            logical.append(line).append('\n');
            if (!continued(line)) {
                entry(logical.toString(), file + ":" + first);
                logical.setLength(0);
            }
        }
        if (!logical.isEmpty()) {
            entry(logical.toString(), file + ":" + first);
        }
    }

    /** A line ending in an odd number of backslashes goes on on the next line. */
    private static boolean continued(String line) {
        int n = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            n++;
        }
        return n % 2 == 1;
    }

    private void entry(String logicalLine, String origin) {
        Properties one = new Properties();
        try {
            one.load(new StringReader(logicalLine));
        } catch (IOException | IllegalArgumentException e) {
            problems.add(origin + ": " + e.getMessage());
            return;
        }
        one.stringPropertyNames().forEach(key -> {
            if (key.startsWith("vigil.")) {
                set(key, one.getProperty(key), origin);
            } else {
                others.put(key, new Value(key, one.getProperty(key), one.getProperty(key), origin));
            }
        });
    }

    /**
     * Sets {@code key} from {@code origin} (a file's line, the environment, a command-line option), over what
     * was there; an unknown, renamed or internal key is a problem instead.
     */
    public void set(String key, String raw, String origin) {
        Optional<Key> row = Key.of(key);
        if (row.isEmpty()) {
            problems.add(origin + ": " + Key.renamedTo(key).map(now -> key + " was renamed to " + now)
                    .orElse("unknown configuration key '" + key + "' (known keys are listed, with their defaults, in"
                            + " config/vigil.properties)"));
            return;
        }
        if (row.get().internal()) {
            problems.add(origin + ": " + key + " is set by Vigil itself, not in the configuration");
            return;
        }
        Matcher env = ENV.matcher(raw);
        StringBuilder value = new StringBuilder();
        while (env.find()) {
            String set = environment.get(env.group(1));
            if (set == null && env.group(2) == null) {
                problems.add(origin + ": " + key + "=" + raw.strip() + ": the environment variable " + env.group(1)
                        + " is not set (write {{env:" + env.group(1) + ":DEFAULT}} for a default)");
            }
            env.appendReplacement(value, Matcher.quoteReplacement(Objects.requireNonNullElse(set,
                    Objects.requireNonNullElse(env.group(2), ""))));
        }
        env.appendTail(value);
        put(key, raw, value.toString().strip(), origin);
    }

    private void put(String key, String raw, String value, String origin) {
        values.put(key, new Value(key, raw, value, origin));
    }

    /** A problem with the value unless its key's type allows it; empty only where the key has no default. */
    private void check(Value v) {
        Key row = Key.of(v.key()).orElseThrow();
        String value = v.value();
        if (value.isEmpty() && !row.type().list() && !row.defaultFor(v.key()).isEmpty()) {
            problems.add(v.origin() + ": " + v.key() + " is empty: write " + row.type().allowed()
                    + ", or leave the key out for its default (" + row.defaultFor(v.key()) + ")");
        } else if (!value.isEmpty() && !row.type().accepts(value)) {
            problems.add(v.origin() + ": " + v.key() + "=" + shownInProblem(row.secrecy(), value) + " is not "
                    + row.type().allowed());
        }
    }

    /** The value as its readers take it ({@link ValueType#normalised}: 1_000 as 1000), when its key's type takes it. */
    private static Value normalised(Value v) {
        ValueType type = Key.of(v.key()).orElseThrow().type();
        return v.value().isEmpty() || !type.accepts(v.value()) ? v
                : new Value(v.key(), v.raw(), type.normalised(v.value()), v.origin());
    }

    /** Every record a host publishes is signed: with brokers set, the host's key must be too. */
    private void requireKafkaKey() {
        Value brokers = values.get(Key.KAFKA_BROKERS.key());
        if (brokers != null && !brokers.value().isBlank() && get(Key.KAFKA_KEY).isBlank()) {
            problems.add(brokers.origin() + ": " + Key.KAFKA_BROKERS.key() + " is set but " + Key.KAFKA_KEY.key()
                    + " is empty: every record is signed with this host's key, and the collector refuses unsigned ones");
        }
    }

    /** A value as a problem shows it: a secret masked, a URL only while it has no user information or query. */
    private static String shownInProblem(Key.Secrecy secrecy, String value) {
        boolean clear = secrecy == Key.Secrecy.NONE
                || secrecy == Key.Secrecy.URL_CREDENTIALS && value.indexOf('@') < 0 && value.indexOf('?') < 0;
        return clear ? value : "****";
    }

    /** The key's effective value; empty when it has none. */
    public String get(String key) {
        Value v = values.get(key);
        return v == null ? "" : v.value();
    }

    public String get(Key key) {
        return get(key.key());
    }

    public Optional<Value> value(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** Every {@code vigil.*} key with a value, by name. */
    public Collection<Value> values() {
        return values.values();
    }

    /** The other keys of the files ({@code camel.main.*}, which configure Camel itself), as written. */
    public Collection<Value> others() {
        return others.values();
    }

    /** The files read, in order. */
    public List<Path> files() {
        return files;
    }

    /** Every problem, one line each, in the order found. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /**
     * @throws IllegalArgumentException listing every problem, one a line
     */
    public void requireValid() {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
    }
}
