package dev.vigil.pid;

import dev.vigil.config.Durations;
import dev.vigil.config.Key;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a PID check is configured with; each component maps one-to-one to a {@code pidcheck:} endpoint
 * option and to a {@code vigil.pids.*} property.
 *
 * @param name           names this set of checks; its remembered state is kept under this name, so two
 *                       endpoints over different files do not forget each other's processes
 * @param files          PID files, directories and globs ({@link PidFileSpec}); property {@code vigil.pids.files}
 * @param interval       how often the check runs (used by the component's scheduler); {@code vigil.pids.interval}
 * @param expectedExe    executable each PID file's process must run, by PID file name without {@code .pid}
 *                       ({@code sshd} for {@code /run/sshd.pid}) or by full path; {@code vigil.pids.expect.<name>.exe}
 * @param require        command names that must always have a running process (matched against the kernel's
 *                       15-byte command name); {@code vigil.pids.require}
 * @param containerRoots root directories of containers by name: a PID file under one holds a PID of the
 *                       container's PID namespace; {@code vigil.pids.container.<name>.root}. A container
 *                       that shares the host's PID namespace needs no entry: its PID files hold host PIDs
 */
public record PidOptions(String name, List<String> files, Duration interval, Map<String, String> expectedExe,
                         List<String> require, Map<String, Path> containerRoots) {

    public static final String DEFAULT_NAME = "pids";
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(Durations.millis(Key.PIDS_INTERVAL.defaultValue()));

    public PidOptions {
        name = name == null || name.isBlank() ? DEFAULT_NAME : name;
        files = files == null ? List.of() : List.copyOf(files);
        interval = interval == null ? DEFAULT_INTERVAL : interval;
        expectedExe = expectedExe == null ? Map.of() : Map.copyOf(expectedExe);
        require = require == null ? List.of() : List.copyOf(require);
        containerRoots = containerRoots == null ? Map.of() : normalised(containerRoots);
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("vigil.pids.interval must be positive, not " + interval);
        }
    }

    /**
     * Options from {@code vigil.pids.*} properties, each taken by its row in {@link Key}; keys of other rows are
     * ignored.
     *
     * @throws IllegalArgumentException naming the key, for a key of no row or a bad value
     */
    public static PidOptions fromProperties(Map<String, String> properties) {
        List<String> files = List.of();
        Duration interval = null;
        List<String> require = List.of();
        Map<String, String> expect = new LinkedHashMap<>();
        Map<String, Path> containers = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : properties.entrySet()) {
            String key = e.getKey();
            Key row = Key.of(key).orElseThrow(() -> new IllegalArgumentException("unknown property " + key));
            String value = e.getValue().strip();
            switch (row) {
                case PIDS_FILES -> files = list(value);
                case PIDS_INTERVAL -> interval = duration(key, value);
                case PIDS_REQUIRE -> require = list(value);
                case PIDS_EXPECT_EXE -> expect.put(row.nameIn(key).orElseThrow(), value);
                case PIDS_CONTAINER_ROOT -> containers.put(row.nameIn(key).orElseThrow(), Path.of(value));
                default -> {
                    // another part's key
                }
            }
        }
        return new PidOptions(DEFAULT_NAME, files, interval, expect, require, containers);
    }

    /** Whether {@code key} is one of the keys named after a PID file or a container, which a route cannot list. */
    public static boolean isNamedKey(String key) {
        return Key.PIDS_EXPECT_EXE.matches(key) || Key.PIDS_CONTAINER_ROOT.matches(key);
    }

    /** The entries of a comma-separated list, blanks dropped. */
    public static List<String> list(String commaSeparated) {
        if (commaSeparated == null) {
            return List.of();
        }
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** A duration written as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} or plain seconds. */
    static Duration duration(String key, String text) {
        try {
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2).strip()));
            }
            char unit = text.isEmpty() ? ' ' : text.charAt(text.length() - 1);
            String number = Character.isDigit(unit) ? text : text.substring(0, text.length() - 1).strip();
            long n = Long.parseLong(number);
            return switch (unit) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> {
                    if (!Character.isDigit(unit)) {
                        throw new NumberFormatException();
                    }
                    yield Duration.ofSeconds(n);
                }
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": not a duration (like 30s, 5m, 1h): " + text);
        }
    }

    /** The parsed {@link #files} entries. */
    public List<PidFileSpec> fileSpecs() {
        return files.stream().map(PidFileSpec::parse).toList();
    }

    /** The executable expected for {@code pidFile}, or null: by full path first, then by name without {@code .pid}. */
    public String expectedExeFor(Path pidFile) {
        String byPath = expectedExe.get(pidFile.toString());
        if (byPath != null) {
            return byPath;
        }
        String name = pidFile.getFileName().toString();
        return expectedExe.get(name.endsWith(".pid") ? name.substring(0, name.length() - 4) : name);
    }

    /** The container whose root holds {@code pidFile}, or null for a host PID file. */
    public Map.Entry<String, Path> containerOf(Path pidFile) {
        Map.Entry<String, Path> best = null;
        for (Map.Entry<String, Path> e : containerRoots.entrySet()) {
            // The deepest root wins, so a container kept inside another's tree is still told apart.
            if (pidFile.startsWith(e.getValue())
                    && (best == null || e.getValue().getNameCount() > best.getValue().getNameCount())) {
                best = e;
            }
        }
        return best;
    }

    private static Map<String, Path> normalised(Map<String, Path> roots) {
        Map<String, Path> out = new LinkedHashMap<>();
        roots.forEach((k, v) -> out.put(k, v.toAbsolutePath().normalize()));
        return Map.copyOf(out);
    }
}
