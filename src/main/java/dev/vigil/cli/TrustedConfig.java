package dev.vigil.cli;

import dev.vigil.config.Key;
import dev.vigil.logcheck.Level;
import dev.vigil.logcheck.LogGroup;
import dev.vigil.logcheck.RuleTree;
import dev.vigil.os.RootOwned;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files that decide what the daemon does (its config file, its routes, which can run commands, and the
 * rule trees, which decide which log lines are ignored) must be root's alone when it runs as root, as sshd's
 * StrictModes demands of authorized_keys: whoever can write one of them, or the directory holding it, could
 * make root run a command or hide their traces ({@link RootOwned}). Each is checked with the directory holding it, and
 * a rule tree with everything in it (which, with the directory holding it, Debian's logcheck account may own); a rule
 * file added or changed later is checked as it is loaded ({@code LiveRules}). A config file holding secrets in clear
 * that others may read is warned about.
 */
final class TrustedConfig {

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
        Set<Path> ruleFiles = new LinkedHashSet<>();
        for (Path tree : ruleTrees(home)) {
            // the directory holding a tree too: a local tree may be one inside Debian's /etc/logcheck
            withDirectory(tree, ruleFiles);
            Path absolute = tree.toAbsolutePath().normalize();
            if (Files.isDirectory(tree)) {
                try (Stream<Path> entries = Files.walk(absolute)) {
                    entries.forEach(ruleFiles::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        List<String> refused = new ArrayList<>();
        for (Path p : trusted) {
            RootOwned.problem(p).ifPresent(refused::add);
        }
        for (Path p : ruleFiles) {
            RootOwned.ruleTreeProblem(p).ifPresent(refused::add);
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

    private static Set<PosixFilePermission> permissions(Path p) {
        try {
            return Files.getPosixFilePermissions(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
