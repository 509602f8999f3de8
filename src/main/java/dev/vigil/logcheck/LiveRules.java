package dev.vigil.logcheck;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * One log group's rules as the daemon holds them: a base tree and local trees, each with its level, compiled
 * once and reloaded without a restart when a file of them changes.
 *
 * <p>{@link #refresh()} looks at the trees at most once per {@code freshness} (a listing and a stat per rule
 * file, no reading) and reloads only when a file was added, removed or changed. A reload that fails keeps
 * the rules loaded before; an unreadable file or an invalid pattern costs only that file or pattern, and is
 * warned about once, naming file and line, however often the tree is reloaded (again if it comes back after a load
 * without it); so is, once, a pattern too slow on a line (see {@link RuleMatcher}), which the line is classified
 * without.
 *
 * <p>It also tells which rules of the local trees matched each line ({@link Result#localHits()}), for the
 * per-rule statistics that find rules a site no longer needs. Only local rules are counted: the base tree is
 * Vigil's or Debian's, not the site's to prune, and counting every Debian rule would cost a second match of
 * the whole tree per line. Not thread-safe.
 */
public final class LiveRules {

    /** The verdicts of a batch, in input order, and how many lines each local rule matched. */
    public record Result(List<Verdict> verdicts, Map<Rule, Integer> localHits) {}

    /**
     * What the rules in use are, as of the last look at the trees: how many loaded, how many skipped as invalid,
     * and the trees that are missing or cannot be read (while one is, the group is not working as configured).
     */
    public record State(int rules, int invalidRules, List<String> unreadableTrees) {}

    /** What of a directory holding rules a reload looks at: a chmod or chown decides whether root may load them. */
    private static final String DIRECTORY_IDENTITY = "unix:ino,ctime";
    private static final List<String> DIRECTORIES = List.of("cracking.d", "cracking.ignore.d", "violations.d",
            "violations.ignore.d", "ignore.d.paranoid", "ignore.d.server", "ignore.d.workstation");

    private final List<RuleTree.Source> sources;
    private final List<RuleTree.Source> local;
    private final boolean crackingIgnore;
    private final boolean rootOwnedOnly;
    private final GrepLocale locale;
    private final Duration freshness;
    private final InstantSource clock;
    private final Consumer<String> warn;
    private final Set<String> warned = new HashSet<>();
    /**
     * The problems of the trees as last loaded (invalid patterns, files skipped as others could change them), each
     * warned about when a load first finds it: one mended and back later is warned about again.
     */
    private Set<String> loadProblems = Set.of();

    private Instant lastLook;
    private List<String> signature;
    private Classifier classifier;
    private RuleMatcher matcher;
    private RuleTree localTree;
    private RuleMatcher localMatcher;
    private List<RuleMatcher.FileKey> localFiles;
    private final Map<Rule, Pattern> localPatterns = new HashMap<>();
    /** Written by the polling thread at each look, read by the status. */
    private volatile State state = new State(0, 0, List.of());

    /**
     * @param base           the base tree ({@code logrules/} or {@code /etc/logcheck}) and its level
     * @param local          local trees layered over it, each with its level
     * @param crackingIgnore logcheck's {@code SUPPORT_CRACKING_IGNORE}
     * @param rootOwnedOnly  load only what root alone can change (the daemon runs as root): the start refuses other
     *                       trees, and a file added or changed later that others could change is skipped and warned
     *                       about ({@link RuleTree#load(List, boolean)}), as it would let them hide lines from root's daemon
     * @param locale         the locale the rules match in, as logcheck's grep in the system's locale
     * @param freshness      how long a loaded tree is trusted before the files are looked at again
     * @param warn           receives each problem once
     */
    public LiveRules(RuleTree.Source base, List<RuleTree.Source> local, boolean crackingIgnore, boolean rootOwnedOnly,
                     GrepLocale locale, Duration freshness, InstantSource clock, Consumer<String> warn) {
        List<RuleTree.Source> all = new ArrayList<>();
        all.add(base);
        all.addAll(local);
        this.sources = List.copyOf(all);
        this.local = List.copyOf(local);
        this.crackingIgnore = crackingIgnore;
        this.rootOwnedOnly = rootOwnedOnly;
        this.locale = locale;
        this.freshness = freshness;
        this.clock = clock;
        this.warn = warn;
        refresh();
    }

    /** The trees that are missing or cannot be read, each as a sentence saying so. */
    private List<String> unreadableTrees() {
        List<String> out = new ArrayList<>();
        for (RuleTree.Source s : sources) {
            String consequence = s == sources.get(0) ? "; every line is a System Event" : "";
            if (!Files.isDirectory(s.root())) {
                out.add("rule tree " + s.root() + " does not exist" + consequence);
            } else if (!Files.isReadable(s.root()) || !Files.isExecutable(s.root())) {
                // Debian's /etc/logcheck is root:logcheck 0750: without this it would silently load as empty.
                out.add("rule tree " + s.root() + " cannot be read by this user (run as root, or join the"
                        + " directory's group)" + consequence);
            }
        }
        return out;
    }

    public State state() {
        return state;
    }

    /** Loads the trees if they were never loaded or changed since; returns whether rules were (re)loaded. */
    public boolean refresh() {
        Instant now = clock.instant();
        if (lastLook != null && now.isBefore(lastLook.plus(freshness))) {
            return false;
        }
        lastLook = now;
        List<String> unreadable = unreadableTrees();
        unreadable.forEach(this::warnOnce);
        state = new State(state.rules(), state.invalidRules(), unreadable);
        List<String> current = signature();
        if (current.equals(signature)) {
            return false;
        }
        signature = current;
        try {
            RuleTree tree = RuleTree.load(sources, rootOwnedOnly);
            RuleMatcher matcher = new RuleMatcher(tree, locale);
            RuleTree lt = RuleTree.load(local, rootOwnedOnly);
            RuleMatcher lm = new RuleMatcher(lt, locale);
            Set<String> problems = new LinkedHashSet<>(tree.problems());
            matcher.problems().forEach(p -> problems.add(p.toString()));
            problems.stream().filter(p -> !loadProblems.contains(p)).forEach(warn);
            loadProblems = problems;
            classifier = new Classifier(tree, matcher, crackingIgnore);
            this.matcher = matcher;
            localTree = lt;
            localMatcher = lm;
            localFiles = lm.files();
            localPatterns.clear();
            state = new State(matcher.ruleCount(), matcher.invalidRuleCount(), unreadable);
            return true;
        } catch (RuntimeException e) {
            if (classifier == null) {
                throw e;
            }
            warnOnce("cannot reload the rules (" + e + "); the rules loaded before stay in use");
            return false;
        }
    }

    /**
     * Classifies a batch as logcheck would, with the rules loaded last; a rule too slow on a line is left out
     * for that line and warned about once, naming its file and line.
     */
    public Result classify(List<String> batch) {
        List<Verdict> verdicts = classifier.classify(batch);
        matcher.problems().stream().map(Object::toString).filter(p -> !loadProblems.contains(p)).forEach(this::warnOnce);
        Map<Rule, Integer> hits = new LinkedHashMap<>();
        if (!local.isEmpty()) {
            for (Verdict v : verdicts) {
                RuleMatcher.Matches m = localMatcher.match(v.line());
                for (int k = 0; k < m.count(); k++) {
                    RuleMatcher.FileKey key = localFiles.get(m.file(k));
                    for (Rule r : localTree.files(key.category()).getOrDefault(key.name(), List.of())) {
                        Pattern p = localPatterns.computeIfAbsent(r, x -> compile(x.pattern()));
                        if (p != null && BoundedText.find(r, p, locale.text(v.line()))) {
                            hits.merge(r, 1, Integer::sum);
                        }
                    }
                }
            }
        }
        return new Result(verdicts, hits);
    }

    /** Every valid rule of the local trees, as loaded last. */
    public List<Rule> localRules() {
        return localTree.allRules().stream().filter(r -> compile(r.pattern()) != null).toList();
    }

    private Pattern compile(String ere) {
        try {
            return GnuEre.compile(ere, locale);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * What identifies the state of every rule file: name, inode, size, modification and change times; and of the
     * directories holding them, inode and change time (a chmod or chown, which decides whether root may load them).
     */
    private List<String> signature() {
        List<String> out = new ArrayList<>();
        for (RuleTree.Source s : sources) {
            out.add(identity(s.root(), DIRECTORY_IDENTITY));
            for (String dir : DIRECTORIES) {
                Path d = s.root().resolve(dir);
                if (!Files.isDirectory(d)) {
                    continue;
                }
                out.add(identity(d, DIRECTORY_IDENTITY));
                List<String> entries = new ArrayList<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
                    for (Path f : ds) {
                        entries.add(identity(f, "unix:ino,size,lastModifiedTime,ctime"));
                    }
                } catch (IOException e) {
                    entries.add(d + " " + e.getMessage());
                }
                entries.sort(null);
                out.addAll(entries);
            }
        }
        return out;
    }

    /** The path with its {@code attributes}, or with why they cannot be read (which a change then shows too). */
    private static String identity(Path path, String attributes) {
        try {
            return path + " " + Files.readAttributes(path, attributes);
        } catch (IOException e) {
            return path + " " + e.getMessage();
        }
    }

    private void warnOnce(String message) {
        if (warned.add(message)) {
            warn.accept(message);
        }
    }
}
