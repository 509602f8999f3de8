package dev.vigil.logcheck;

import dev.vigil.os.RootOwned;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The rule files of one or more logcheck trees, read exactly as {@code /usr/sbin/logcheck} reads them.
 *
 * <p>File names must match {@code ^[A-Za-z0-9_-]+$} (what {@code run-parts --list} accepts, so
 * {@code x.dpkg-old}, {@code x~}, {@code .hidden} and {@code x.conf} are skipped). A line is dropped when it
 * is blank or white space only, or when its first character is {@code #}; other lines are patterns, not
 * trimmed. Files of the same name concatenate: across the {@code ignore.d.*} directories of the level and
 * across layered trees (base first). Files are kept in name order, which is logcheck's glob order in the
 * C locale and the order of its report subsections.
 *
 * <p>Unlike logcheck, an unreadable file does not stop the whole run: it is reported in {@link #problems()}
 * and skipped. So is, when asked ({@code rootOwnedOnly}: the daemon running as root), a tree, directory or file that
 * anyone but root can change ({@link RootOwned}): it decides which lines root's daemon keeps quiet about.
 */
public final class RuleTree {

    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_-]+$");
    private static final Pattern DROPPED = Pattern.compile("^[ \\t\\n\\x0B\\f\\r]*$|^#", Pattern.UNIX_LINES);

    /** One tree to layer: its root directory and the level whose {@code ignore.d.*} it contributes. */
    public record Source(Path root, Level level) {}

    private final Map<Category, SortedMap<String, List<Rule>>> files;
    private final Set<Category> present;
    private final List<Source> sources;
    private final List<Source> withoutRuleFiles;
    private final List<String> problems;

    private RuleTree(Map<Category, SortedMap<String, List<Rule>>> files, Set<Category> present,
                     List<Source> sources, List<Source> withoutRuleFiles, List<String> problems) {
        this.files = files;
        this.present = present;
        this.sources = sources;
        this.withoutRuleFiles = withoutRuleFiles;
        this.problems = problems;
    }

    /** Loads one tree at one level. */
    public static RuleTree load(Path root, Level level) {
        return load(List.of(new Source(root, level)));
    }

    /** Loads layered trees, the first being the base; a missing directory is simply absent. */
    public static RuleTree load(List<Source> sources) {
        return load(sources, false);
    }

    /**
     * Loads layered trees as {@link #load(List)} does; with {@code rootOwnedOnly}, what anyone but root can change is
     * skipped as if absent, and named in {@link #problems()}.
     */
    public static RuleTree load(List<Source> sources, boolean rootOwnedOnly) {
        Map<Category, SortedMap<String, List<Rule>>> files = new EnumMap<>(Category.class);
        for (Category c : Category.values()) {
            files.put(c, new TreeMap<>());
        }
        Set<Category> present = EnumSet.noneOf(Category.class);
        List<String> problems = new ArrayList<>();
        List<Source> withoutRuleFiles = new ArrayList<>();
        for (Source source : sources) {
            boolean skipped = rootOwnedOnly && untrusted(source.root(), problems);
            int ruleFiles = 0;
            for (Category c : Category.values()) {
                for (String dir : c.directories(source.level())) {
                    Path d = source.root().resolve(dir);
                    if (Files.isDirectory(d)) {
                        // present even when skipped (its tree or itself), as if empty: without cracking.ignore.d,
                        // SUPPORT_CRACKING_IGNORE drops every alert
                        present.add(c);
                        if (!skipped && !(rootOwnedOnly && untrusted(d, problems))) {
                            ruleFiles += readDirectory(c, d, files.get(c), problems, rootOwnedOnly);
                        }
                    }
                }
            }
            if (ruleFiles == 0 && !skipped) {
                withoutRuleFiles.add(source);
            }
        }
        for (SortedMap<String, List<Rule>> m : files.values()) {
            m.replaceAll((k, v) -> List.copyOf(v));
        }
        return new RuleTree(files, present, List.copyOf(sources), List.copyOf(withoutRuleFiles), List.copyOf(problems));
    }

    /** Whether {@code p} is not root's alone: named in {@code problems} then, as skipped. */
    private static boolean untrusted(Path p, List<String> problems) {
        Optional<String> problem = RootOwned.ruleTreeProblem(p);
        problem.ifPresent(why -> {
            String skipped = "skipped, as the daemon runs as root and anyone but root could change its rules: " + why;
            if (!problems.contains(skipped)) {
                problems.add(skipped);
            }
        });
        return problem.isPresent();
    }

    /** Reads the rule files of one directory into {@code into}; returns how many there were. */
    private static int readDirectory(Category c, Path dir, SortedMap<String, List<Rule>> into, List<String> problems,
                                     boolean rootOwnedOnly) {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(entries::add);
        } catch (IOException e) {
            problems.add("cannot list " + dir + ": " + e.getMessage());
            return 0;
        }
        int ruleFiles = 0;
        Collections.sort(entries);
        for (Path f : entries) {
            String name = f.getFileName().toString();
            if (!NAME.matcher(name).matches() || !Files.isRegularFile(f) || rootOwnedOnly && untrusted(f, problems)) {
                continue;
            }
            ruleFiles++;
            List<Rule> rules = into.computeIfAbsent(name, k -> new ArrayList<>());
            try {
                rules.addAll(readFile(c, name, f));
            } catch (IOException e) {
                problems.add("cannot read " + f + ": " + e.getMessage());
            }
        }
        return ruleFiles;
    }

    /** The patterns of one file, split into lines as grep splits them ({@link LogLines}). */
    static List<Rule> readFile(Category c, String name, Path f) throws IOException {
        List<Rule> rules = new ArrayList<>();
        List<String> lines = LogLines.read(f);
        for (int i = 0; i < lines.size(); i++) {
            if (!DROPPED.matcher(lines.get(i)).find()) {
                rules.add(new Rule(c, name, f, i + 1, lines.get(i)));
            }
        }
        return rules;
    }

    /** The files of a category by name, in glob order, each with its patterns in reading order. */
    public SortedMap<String, List<Rule>> files(Category c) {
        return Collections.unmodifiableSortedMap(files.get(c));
    }

    /** Whether any tree has a directory of this category (logcheck behaves differently without one). */
    public boolean hasDirectory(Category c) {
        return present.contains(c);
    }

    public List<Source> sources() {
        return sources;
    }

    /**
     * The trees in which no rule file was found for their level: a wrong directory, most likely, which would
     * leave every line unclassified rather than fail.
     */
    public List<Source> withoutRuleFiles() {
        return withoutRuleFiles;
    }

    /** Files that could not be read, or not trusted; they were skipped. */
    public List<String> problems() {
        return problems;
    }

    /** Every rule of the tree, category by category. */
    public List<Rule> allRules() {
        List<Rule> all = new ArrayList<>();
        for (SortedMap<String, List<Rule>> m : files.values()) {
            m.values().forEach(all::addAll);
        }
        return all;
    }
}
