package dev.vigil.logcheck;

import dev.vigil.config.Key;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of log files classified together with one set of rules (integrityd's log groups: one per container,
 * per remote host, per application). Its name keys the files' offsets in the database.
 *
 * @param name           the group's name
 * @param files          the log files
 * @param base           the base rule tree and its level
 * @param local          local rule trees layered over the base, each with its level
 * @param crackingIgnore logcheck's {@code SUPPORT_CRACKING_IGNORE}
 */
public record LogGroup(String name, List<Path> files, RuleTree.Source base, List<RuleTree.Source> local,
                       boolean crackingIgnore) {

    /** The configuration keys of extra groups: {@code vigil.logs.group.NAME.files} and the like. */
    private static final List<Key> GROUP_KEYS = List.of(Key.LOG_GROUP_FILES, Key.LOG_GROUP_RULES, Key.LOG_GROUP_LEVEL,
            Key.LOG_GROUP_LOCAL);

    public LogGroup {
        files = List.copyOf(files);
        local = List.copyOf(local);
    }

    /** Whether {@code key} is one of the {@code vigil.logs.group.NAME.*} keys of a further group. */
    public static boolean isGroupKey(String key) {
        return GROUP_KEYS.stream().anyMatch(row -> row.matches(key));
    }

    /**
     * A group as its keys or endpoint options give it: comma-separated files, the base tree and its level, local
     * trees {@code DIR[:LEVEL],...}; relative paths are taken from {@code home}.
     */
    public static LogGroup of(String name, String files, String rules, Level level, String local, boolean crackingIgnore,
                              Path home) {
        return new LogGroup(name, list(files).stream().map(home::resolve).toList(),
                new RuleTree.Source(home.resolve(rules.strip()), level), localTrees(local, level, home), crackingIgnore);
    }

    /**
     * Local trees from {@code DIR[:LEVEL],...}; a tree without a level gets {@code level}. Relative
     * directories are taken from {@code home}.
     */
    public static List<RuleTree.Source> localTrees(String spec, Level level, Path home) {
        List<RuleTree.Source> out = new ArrayList<>();
        for (String item : list(spec)) {
            int colon = item.lastIndexOf(':');
            Level l = level;
            String dir = item;
            if (colon > 0) {
                try {
                    l = Level.parse(item.substring(colon + 1));
                    dir = item.substring(0, colon);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("local rule tree '" + item + "': the level after ':' must be"
                            + " paranoid, server or workstation");
                }
            }
            out.add(new RuleTree.Source(home.resolve(dir), l));
        }
        return out;
    }

    /**
     * The groups named by {@code vigil.logs.group.NAME.*} keys; each takes the rules, level and local trees of
     * {@code defaults} unless it names its own.
     *
     * @throws IllegalArgumentException naming the key, for a group without files or with a bad level
     */
    public static List<LogGroup> fromProperties(Map<String, String> keys, LogGroup defaults, Path home) {
        Map<String, Map<String, String>> groups = new TreeMap<>();
        for (Map.Entry<String, String> e : keys.entrySet()) {
            Key.of(e.getKey()).filter(GROUP_KEYS::contains).ifPresent(row -> groups
                    .computeIfAbsent(row.nameIn(e.getKey()).orElseThrow(), k -> new TreeMap<>())
                    .put(row.key().substring(row.key().lastIndexOf('.') + 1), e.getValue().strip()));
        }
        List<LogGroup> out = new ArrayList<>();
        groups.forEach((name, g) -> {
            String prefix = "vigil.logs.group." + name + ".";
            if (name.equals(defaults.name())) {
                throw new IllegalArgumentException(prefix + "*: the group name '" + name + "' is the main log group's");
            }
            List<Path> files = list(g.get("files")).stream().map(home::resolve).toList();
            if (files.isEmpty()) {
                throw new IllegalArgumentException(prefix + "files: a log group needs files");
            }
            Level level;
            try {
                level = g.containsKey("level") && !g.get("level").isEmpty() ? Level.parse(g.get("level")) : defaults.base().level();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(prefix + "level: '" + g.get("level") + "' is not paranoid, server or workstation");
            }
            Path rules = g.containsKey("rules") && !g.get("rules").isEmpty() ? home.resolve(g.get("rules")) : defaults.base().root();
            List<RuleTree.Source> local = g.containsKey("local") ? localTrees(g.get("local"), level, home) : defaults.local();
            out.add(new LogGroup(name, files, new RuleTree.Source(rules, level), local, defaults.crackingIgnore()));
        });
        return out;
    }

    /** A comma-separated list, blanks dropped. */
    public static List<String> list(String commaSeparated) {
        if (commaSeparated == null) {
            return List.of();
        }
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
