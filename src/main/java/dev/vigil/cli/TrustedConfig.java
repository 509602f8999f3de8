package dev.vigil.cli;

import dev.vigil.config.Key;
import dev.vigil.logcheck.Level;
import dev.vigil.logcheck.LogGroup;
import dev.vigil.logcheck.RuleTree;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files that decide what the daemon does (its config file, its routes, which can run commands, and the
 * rule trees, which decide which log lines are ignored) must be root's alone when it runs as root, as sshd's
 * StrictModes demands of authorized_keys: whoever can write one of them, or the directory holding it, could
 * make root run a command or hide their traces. Each is checked with the directory holding it, and a rule
 * tree with everything in it. A config file holding secrets in clear that others may read is warned about.
 */
final class TrustedConfig {

    private static final Set<PosixFilePermission> GROUP_OR_OTHER_WRITE =
            Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private TrustedConfig() {
    }

    /**
     * Refuses, when {@code asRoot}, files of the configuration that anyone but root can change, naming each with
     * the command that fixes it; returns the warnings to log.
     *
     * @throws IllegalStateException listing every file refused
     */
    static List<String> check(VigilHome home, Path routesDir, boolean asRoot) {
        List<String> warnings = new ArrayList<>();
        for (Path configFile : home.configuration().files()) {
            List<String> secrets = home.secretKeysWritten(configFile);
            if (!secrets.isEmpty() && permissions(configFile).contains(PosixFilePermission.OTHERS_READ)) {
                warnings.add(configFile + " holds secrets (" + String.join(", ", secrets) + ") and every user can read it:"
                        + " chmod o-r " + configFile + ", or take them from the environment ({{env:NAME}})");
            }
        }
        if (!asRoot) {
            return warnings;
        }
        Set<Path> trusted = new LinkedHashSet<>();
        home.configuration().files().forEach(configFile -> withDirectory(configFile, trusted));
        withDirectory(routesDir, trusted);
        try (Stream<Path> routes = Files.list(routesDir)) {
            routes.forEach(trusted::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path tree : ruleTrees(home)) {
            withDirectory(tree, trusted);
            if (Files.isDirectory(tree)) {
                try (Stream<Path> entries = Files.walk(tree)) {
                    entries.forEach(trusted::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        List<String> refused = new ArrayList<>();
        for (Path p : trusted) {
            problem(p).ifPresent(refused::add);
        }
        if (!refused.isEmpty()) {
            throw new IllegalStateException("refusing to run as root with configuration others can change:\n  "
                    + String.join("\n  ", refused));
        }
        return warnings;
    }

    /** The base and local rule trees of the main log group and of every {@code vigil.logs.group.NAME}. */
    private static List<Path> ruleTrees(VigilHome home) {
        List<Path> trees = new ArrayList<>();
        trees.add(home.resolve(home.get(Key.LOGS_RULES)));
        List<String> localSpecs = new ArrayList<>(List.of(home.get(Key.LOGS_LOCAL)));
        for (String key : home.keys()) {
            if (Key.LOG_GROUP_RULES.matches(key) && !home.get(key).isEmpty()) {
                trees.add(home.resolve(home.get(key)));
            } else if (Key.LOG_GROUP_LOCAL.matches(key)) {
                localSpecs.add(home.get(key));
            }
        }
        for (String spec : localSpecs) {
            LogGroup.localTrees(spec, Level.SERVER, home.home()).stream().map(RuleTree.Source::root).forEach(trees::add);
        }
        return trees;
    }

    private static void withDirectory(Path file, Set<Path> trusted) {
        Path absolute = file.toAbsolutePath().normalize();
        trusted.add(absolute);
        if (absolute.getParent() != null) {
            trusted.add(absolute.getParent());
        }
    }

    /** What is wrong with {@code p} (followed if a link: what is read is its target), if anything. */
    private static java.util.Optional<String> problem(Path p) {
        PosixFileAttributes a;
        int uid;
        try {
            a = Files.readAttributes(p, PosixFileAttributes.class);
            uid = (Integer) Files.getAttribute(p, "unix:uid");
        } catch (NoSuchFileException missing) {
            return java.util.Optional.empty(); // a missing rule tree or config is reported where it is read
        } catch (IOException e) {
            return java.util.Optional.of(p + ": cannot be checked (" + e.getMessage() + ")");
        }
        if (uid != 0) {
            return java.util.Optional.of(p + " is owned by uid " + uid + ", not root: chown root " + p);
        }
        if (a.permissions().stream().anyMatch(GROUP_OR_OTHER_WRITE::contains)) {
            return java.util.Optional.of(p + " is writable by " + (a.permissions().contains(PosixFilePermission.OTHERS_WRITE)
                    ? "every user" : "its group") + " (" + PosixFilePermissions.toString(a.permissions()) + "): chmod go-w " + p);
        }
        return java.util.Optional.empty();
    }

    private static Set<PosixFilePermission> permissions(Path p) {
        try {
            return Files.getPosixFilePermissions(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
