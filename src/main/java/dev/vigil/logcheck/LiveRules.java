package dev.vigil.logcheck;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Layered rule trees that follow their files: {@link #classifier()} reloads them when a rule file or
 * directory changed, looking at most once per freshness period ({@code vigil.logs.rulesfreshness}, 60 s by
 * default), so a rule dropped in is used without a restart. Invalid patterns are skipped one by one (and
 * listed in {@link #problems()}), so a bad new file never breaks the rules already there.
 *
 * <p>Change detection is a fingerprint of names, sizes, modification times and inodes, cheap enough to
 * take every period; no watch service, which would miss changes on some network file systems.
 * Not thread-safe, like the {@link Classifier} it hands out.
 */
public final class LiveRules {

    private final List<RuleTree.Source> sources;
    private final boolean crackingIgnore;
    private final Duration freshness;
    private final Clock clock;
    private Instant checked;
    private String fingerprint;
    private RuleTree tree;
    private RuleMatcher matcher;
    private Classifier classifier;

    public LiveRules(List<RuleTree.Source> sources, boolean crackingIgnore, Duration freshness, Clock clock) {
        this.sources = List.copyOf(sources);
        this.crackingIgnore = crackingIgnore;
        this.freshness = freshness;
        this.clock = clock;
        this.checked = clock.instant();
        load(fingerprint());
    }

    /** The classifier for the current rules, reloaded first if the freshness period passed and files changed. */
    public Classifier classifier() {
        Instant now = clock.instant();
        if (!now.isBefore(checked.plus(freshness))) {
            checked = now;
            String current = fingerprint();
            if (!current.equals(fingerprint)) {
                load(current);
            }
        }
        return classifier;
    }

    /** The current matcher, whose {@link RuleMatcher#drainHits()} feeds the per-rule statistics. */
    public RuleMatcher matcher() {
        return matcher;
    }

    /** What the last load could not use: unreadable files and invalid patterns, each naming its file. */
    public List<String> problems() {
        List<String> out = new ArrayList<>(tree.problems());
        matcher.problems().forEach(p -> out.add(p.toString()));
        return out;
    }

    private void load(String newFingerprint) {
        tree = RuleTree.load(sources);
        matcher = new RuleMatcher(tree);
        classifier = new Classifier(tree, matcher, crackingIgnore);
        fingerprint = newFingerprint;
    }

    private String fingerprint() {
        TreeSet<String> entries = new TreeSet<>();
        for (RuleTree.Source s : sources) {
            for (Category c : Category.values()) {
                List<String> dirs = c == Category.IGNORE ? s.level().ignoreDirectories() : List.of(c.directory());
                for (String d : dirs) {
                    describe(s.root().resolve(d), entries);
                }
            }
        }
        return String.join("\n", entries);
    }

    /** One line per entry (links followed); an entry that cannot be read is noted as such, never thrown. */
    private static void describe(Path dir, TreeSet<String> into) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path f : ds) {
                try {
                    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                    into.add(f + " " + a.size() + " " + a.lastModifiedTime().toInstant() + " " + a.fileKey());
                } catch (IOException e) {
                    into.add(f + " unreadable");
                }
            }
        } catch (IOException e) {
            into.add(dir + " unreadable");
        }
    }
}
