package dev.vigil.cli;

import dev.vigil.camel.daemon.RouteFiles;
import dev.vigil.config.Configuration;
import dev.vigil.config.Key;
import dev.vigil.logcheck.GrepLocale;
import dev.vigil.logcheck.Level;
import dev.vigil.logcheck.LogGroup;
import dev.vigil.logcheck.RuleMatcher;
import dev.vigil.logcheck.RuleTree;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code vigil config check}: everything {@code vigil run} reads before it starts, read without starting anything,
 * each problem one line naming its file and line: the configuration (an unknown key, a bad value:
 * {@code FILE:LINE}), the route files (a YAML or DSL error: {@code FILE:LINE:COLUMN}), and the rule trees of
 * every log group (a pattern grep would refuse: {@code FILE:LINE}; a tree that is missing or has no rule file for
 * its level). The daemon would start on some of these (it skips a bad pattern, warns about a missing tree) and
 * refuse on others one at a time; this lists them all, to fix before a restart.
 */
@Command(name = "check", description = "Read the configuration, the route files and the log rule trees without"
        + " starting anything; name every problem with its file and line; exit 1 on any, 0 with a one-line summary.")
public final class ConfigCheckCommand implements Callable<Integer> {

    /** The name of the main log group, as routes/logs.yaml names its logtail endpoint. */
    private static final String MAIN_LOG_GROUP = "logs";

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file read over config/vigil.properties of the install directory.")
    Path config;

    @Option(names = "--routes", paramLabel = "DIR", description = "Directory of Camel YAML routes (default: routes/ in the install directory).")
    Path routes;

    @Override
    public Integer call() {
        VigilHome home = VigilHome.load(config);
        Configuration configuration = home.configuration();
        Set<String> problems = new LinkedHashSet<>(configuration.problems());

        Path routesDir = RunCommand.routesDir(home, routes);
        problems.addAll(ConfigCommand.trustProblems(home, routesDir, System.err));
        RouteFiles.Checked checked = RouteFiles.check(routesDir, RunCommand.routeProperties(home), RunCommand.disabledRoutes(home));
        problems.addAll(checked.problems());

        Rules rules = checkRules(home, problems);

        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println("vigil: " + p));
            System.err.println("vigil: " + problems.size() + (problems.size() == 1 ? " problem" : " problems"));
            return 1;
        }
        int routeFiles = checked.files().size();
        System.out.println("OK: " + configuration.files().size() + " config " + plural(configuration.files().size(), "file")
                + ", " + routeFiles + " route " + plural(routeFiles, "file") + ", " + rules.groups() + " log "
                + plural(rules.groups(), "group") + " with " + rules.trees() + " rule " + plural(rules.trees(), "tree")
                + " (" + rules.patterns() + " " + plural(rules.patterns(), "pattern") + " loaded)");
        return 0;
    }

    /** What was loaded: log groups, distinct rule trees, and the patterns of all groups. */
    private record Rules(int groups, int trees, int patterns) {}

    /**
     * The rule trees of the main log group and of every {@code vigil.logs.group.NAME}, each loaded and compiled as
     * the daemon's log tail does; their problems go into {@code problems}.
     */
    private static Rules checkRules(VigilHome home, Set<String> problems) {
        List<LogGroup> groups = new ArrayList<>();
        try {
            LogGroup main = LogGroup.of(MAIN_LOG_GROUP, home.get(Key.LOGS_FILES), home.get(Key.LOGS_RULES),
                    Level.parse(home.get(Key.LOGS_LEVEL)), home.get(Key.LOGS_LOCAL),
                    Boolean.parseBoolean(home.get(Key.LOGS_CRACKING_IGNORE)), home.home());
            groups.add(main);
            Map<String, String> keys = new HashMap<>();
            home.configuration().values().forEach(v -> keys.put(v.key(), v.value()));
            groups.addAll(LogGroup.fromProperties(keys, main, home.home()));
        } catch (IllegalArgumentException e) {
            if (home.configuration().problems().isEmpty()) { // else it is a bad value named among those already
                problems.add(e.getMessage());
            }
        }
        Set<Path> trees = new LinkedHashSet<>();
        GrepLocale locale = GrepLocale.current();
        int patterns = 0;
        for (LogGroup group : groups) {
            List<RuleTree.Source> sources = new ArrayList<>();
            sources.add(group.base());
            sources.addAll(group.local());
            for (RuleTree.Source s : sources) {
                if (trees.add(s.root()) && !Files.isDirectory(s.root())) {
                    problems.add("rule tree " + s.root() + " does not exist (log group " + group.name() + ")");
                }
            }
            RuleTree tree = RuleTree.load(sources);
            problems.addAll(tree.problems());
            tree.withoutRuleFiles().stream().filter(s -> Files.isDirectory(s.root()))
                    .forEach(s -> problems.add("rule tree " + s.root() + " has no rule file for level "
                            + s.level().name().toLowerCase(Locale.ROOT) + " (log group " + group.name() + ")"));
            RuleMatcher matcher = new RuleMatcher(tree, locale);
            matcher.problems().forEach(p -> problems.add(p.toString()));
            patterns += matcher.ruleCount();
        }
        return new Rules(groups.size(), trees.size(), patterns);
    }

    private static String plural(int n, String word) {
        return n == 1 ? word : word + "s";
    }
}
