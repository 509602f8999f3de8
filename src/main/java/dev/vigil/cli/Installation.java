package dev.vigil.cli;

import dev.vigil.config.Version;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Vigil installed as a service, one layout for {@code vigil install}, {@code vigil uninstall} and the .deb: the
 * application in {@code /opt/vigil} (the launcher, the jar, {@code lib/}, sqlite-jdbc's and JNA's native libraries), the
 * configuration in {@code /etc/vigil} ({@code vigil.properties}, {@code routes/}, the rule tree {@code logrules/}),
 * the data in {@code /var/lib/vigil}, the systemd unit, and {@code vigil} on the PATH. The launcher of an
 * installed Vigil finds its configuration in {@code /etc/vigil} of the same root, and the installed
 * {@code vigil.properties} puts the database and the alert file in {@code /var/lib/vigil}, the one directory the
 * unit lets Vigil write. Everything is taken from a built clone ({@code target/vigil.jar} and the files beside it).
 */
final class Installation {

    static final String APP = "opt/vigil";
    static final String ETC = "etc/vigil";
    static final String STATE = "var/lib/vigil";
    static final String UNIT = "vigil.service";
    /** What {@code vigil install} wrote, each file with its SHA-256: uninstall removes a configuration file only as written. */
    static final String MANIFEST = APP + "/installed";

    /** The lines of config/vigil.properties that the installed copy sets to {@code /var/lib/vigil}. */
    static final Map<String, String> DATA_LINES = Map.of(
            "vigil.database=data/vigil.db", "vigil.database=/var/lib/vigil/vigil.db",
            "vigil.alerts.file=data/alerts.ndjson", "vigil.alerts.file=/var/lib/vigil/alerts.ndjson");

    /** Where the unit and the command go: a local install's places, or a package's. */
    enum Flavor {
        LOCAL("etc/systemd/system", "usr/local/bin"),
        PACKAGE("lib/systemd/system", "usr/bin");

        final String unitDir;
        final String binDir;

        Flavor(String unitDir, String binDir) {
            this.unitDir = unitDir;
            this.binDir = binDir;
        }
    }

    /** One file of the layout: its path under the root, its content's source or bytes, and its mode. */
    record Item(String path, Path source, byte[] content, String mode) {
        boolean configuration() {
            return path.startsWith(ETC + "/");
        }
    }

    private final Path source;
    private final Flavor flavor;

    /**
     * @param source a built clone: {@code target/vigil.jar}, {@code config/}, {@code routes/}, {@code logrules/}
     * @throws IllegalArgumentException when {@code source} has no built jar
     */
    Installation(Path source, Flavor flavor) {
        this.source = source;
        this.flavor = flavor;
        if (!Files.isRegularFile(source.resolve("target/vigil.jar"))) {
            throw new IllegalArgumentException("vigil install runs from a built clone (./vigil install): " + source
                    + " has no target/vigil.jar");
        }
    }

    /** Vigil's version, as {@code vigil --version} says it. */
    static String version() {
        return Version.VERSION;
    }

    String unitPath() {
        return flavor.unitDir + "/" + UNIT;
    }

    String commandPath() {
        return flavor.binDir + "/vigil";
    }

    /** Every file of the layout, in order: application, configuration, unit. */
    List<Item> items() throws IOException {
        List<Item> items = new ArrayList<>();
        items.add(new Item(APP + "/vigil", source.resolve("vigil"), null, "rwxr-xr-x"));
        items.add(new Item(APP + "/vigil.jar", source.resolve("target/vigil.jar"), null, "rw-r--r--"));
        tree(source.resolve("target/lib"), APP + "/lib", "rw-r--r--", items);
        tree(source.resolve("target/native"), APP + "/native", "rw-r--r--", items);
        items.add(new Item(ETC + "/vigil.properties", null, installedConfig(), "rw-------"));
        tree(source.resolve("routes"), ETC + "/routes", "rw-r--r--", items);
        tree(source.resolve("logrules"), ETC + "/logrules", "rw-r--r--", items);
        items.add(new Item(unitPath(), source.resolve("config/" + UNIT), null, "rw-r--r--"));
        return items;
    }

    private static void tree(Path dir, String under, String mode, List<Item> into) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).sorted().forEach(f ->
                    into.add(new Item(under + "/" + dir.relativize(f), f, null, mode)));
        }
    }

    /** config/vigil.properties with the database and the alert file in /var/lib/vigil. */
    private byte[] installedConfig() throws IOException {
        String config = Files.readString(source.resolve("config/vigil.properties"), StandardCharsets.UTF_8);
        for (Map.Entry<String, String> line : DATA_LINES.entrySet()) {
            if (!config.contains("\n" + line.getKey() + "\n")) {
                throw new IllegalStateException("config/vigil.properties has no line " + line.getKey()
                        + " for the installed copy to set to " + line.getValue());
            }
            config = config.replace("\n" + line.getKey() + "\n", "\n# Installed: in /var/lib/vigil, the one directory"
                    + " the unit lets Vigil write.\n" + line.getValue() + "\n");
        }
        return config.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Lays the layout out under {@code root}: the application replaced whole; a configuration file that exists
     * with other content kept, the new one written beside it as {@code FILE.dist}. Writes the manifest when
     * {@code manifest} (a local install; a package has dpkg's).
     *
     * @return what the user should know: each configuration file kept
     */
    List<String> install(Path root, boolean manifest) throws IOException {
        List<String> kept = new ArrayList<>();
        Map<String, String> written = new LinkedHashMap<>();
        delete(root.resolve(APP));
        directory(root.resolve(APP), "rwxr-xr-x");
        directory(root.resolve(ETC), "rwxr-xr-x");
        directory(root.resolve(STATE), "rwx------");
        for (Item item : items()) {
            byte[] content = item.content() != null ? item.content() : Files.readAllBytes(item.source());
            String path = item.path();
            Path target = root.resolve(path);
            if (item.configuration() && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                if (Arrays.equals(Files.readAllBytes(target), content)) {
                    written.put(path, sha256(content));
                    continue;
                }
                kept.add("/" + path);
                path = path + ".dist";
                target = root.resolve(path);
            }
            directory(target.getParent(), "rwxr-xr-x");
            Files.write(target, content);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(item.mode()));
            written.put(path, sha256(content));
        }
        Path command = root.resolve(commandPath());
        directory(command.getParent(), "rwxr-xr-x");
        Files.deleteIfExists(command);
        Files.createSymbolicLink(command, Path.of("/" + APP + "/vigil"));
        if (manifest) {
            StringBuilder lines = new StringBuilder();
            written.forEach((path, hash) -> lines.append(hash).append("  /").append(path).append('\n'));
            Files.writeString(root.resolve(MANIFEST), lines);
        }
        return kept;
    }

    /**
     * Removes what {@link #install} wrote under {@code root}: the application, the unit, the command and each
     * configuration file still as installed; with {@code purge}, the whole configuration and the data too.
     *
     * @return what was kept and why, for the user
     * @throws IllegalArgumentException when no manifest says Vigil was installed there by {@code vigil install}
     */
    static List<String> uninstall(Path root, boolean purge) throws IOException {
        Path manifest = requireManifest(root);
        List<String> said = new ArrayList<>();
        for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
            String hash = line.substring(0, line.indexOf(' '));
            String path = line.substring(line.indexOf('/') + 1);
            Path file = root.resolve(path);
            boolean changed = path.startsWith(ETC + "/") && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    && !sha256(Files.readAllBytes(file)).equals(hash);
            if (!changed && !path.startsWith(APP + "/")) {
                Files.deleteIfExists(file);
            }
        }
        for (Flavor f : Flavor.values()) {
            Path command = root.resolve(f.binDir + "/vigil");
            if (Files.isSymbolicLink(command) && Files.readSymbolicLink(command).equals(Path.of("/" + APP + "/vigil"))) {
                Files.delete(command);
            }
        }
        delete(root.resolve(APP));
        if (purge) {
            delete(root.resolve(ETC));
            delete(root.resolve(STATE));
        } else {
            removeEmptyDirectories(root.resolve(ETC));
            if (Files.isDirectory(root.resolve(ETC))) {
                try (Stream<Path> left = Files.walk(root.resolve(ETC))) {
                    left.filter(Files::isRegularFile).sorted().forEach(f -> said.add("kept /" + root.relativize(f)
                            + ": changed since it was installed (--purge removes it)"));
                }
            }
            if (Files.exists(root.resolve(STATE))) {
                said.add("kept /" + STATE + ": the baseline, event history and alerts (--purge removes it)");
            }
        }
        return said;
    }

    /**
     * @return the manifest of what {@code vigil install} laid out under {@code root}
     * @throws IllegalArgumentException when there is none: Vigil was not installed there by {@code vigil install}
     */
    static Path requireManifest(Path root) {
        Path manifest = root.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            throw new IllegalArgumentException("no Vigil installed by `vigil install` under " + root + " (no /" + MANIFEST
                    + "); one installed from the .deb is removed with `apt remove vigil` (`apt purge vigil` removes its"
                    + " configuration and data too)");
        }
        return manifest;
    }

    private static void removeEmptyDirectories(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path d : all.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .sorted(Comparator.reverseOrder()).toList()) {
                try (Stream<Path> inside = Files.list(d)) {
                    if (inside.findAny().isEmpty()) {
                        Files.delete(d);
                    }
                }
            }
        }
    }

    /** Deletes {@code path} and everything below it, never following a symbolic link. */
    static void delete(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void directory(Path dir, String mode) throws IOException {
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir);
            } catch (FileAlreadyExistsException e) {
                throw new IllegalStateException(dir + " exists and is not a directory", e);
            }
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
