package dev.vigil.logcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Debian's whole {@code logcheck-database} tree against the real logcheck and GNU grep, on a corpus of
 * syslog lines written for these tests ({@code corpus.log}: sshd, sudo, su, cron, systemd, kernel, postfix,
 * smartd, ... including lines for cracking.d and violations.d, both timestamp forms, trailing white space,
 * CR, duplicates, empty lines and non-ASCII bytes).
 */
class DebianTreeTest {

    static final Path DEBIAN = Path.of("/etc/logcheck");
    static List<String> corpus;

    @BeforeAll
    static void readCorpus() throws IOException {
        try (InputStream in = DebianTreeTest.class.getResourceAsStream("corpus.log")) {
            corpus = LogLines.read(in);
        }
    }

    /** The corpus plus one line built from each Debian pattern, so that nearly every rule matches something. */
    static List<String> corpusWithExamples() {
        List<String> lines = new ArrayList<>(corpus);
        RuleTree.load(DEBIAN, Level.WORKSTATION).allRules()
                .forEach(r -> lines.add(GnuEre.parse(r.pattern(), GrepLocale.C).example()));
        return lines;
    }

    static void assumeDebianTree() {
        Assumptions.assumeTrue(Files.isDirectory(DEBIAN.resolve("ignore.d.server")),
                "Debian's rule tree is not installed (apt-get install logcheck-database)");
    }

    @ParameterizedTest
    @EnumSource(Level.class)
    void everyCorpusLineLandsInTheSameSectionAndSubsectionsAsWithRealLogcheck(Level level, @TempDir Path work) {
        assumeDebianTree();
        String why = RealLogcheck.unavailable();
        Assumptions.assumeTrue(why == null, why);
        RuleTree tree = RuleTree.load(DEBIAN, level);
        Classifier classifier = new Classifier(tree, new RuleMatcher(tree, GrepLocale.C), false);

        String real = RealLogcheck.report(work, DEBIAN, corpus, level, false, false, "C");
        Map<String, String> realByLine = RealLogcheck.parse(real);
        List<String> wrong = new ArrayList<>();
        for (Verdict v : classifier.classify(corpus)) {
            if (v.line().isEmpty()) {
                continue;
            }
            String ours = v.section().label() + "\t" + (v.subsections().isEmpty() ? "-"
                    : String.join(",", v.subsections()));
            String theirs = realByLine.getOrDefault(v.line(), "ignored\t-");
            if (!ours.equals(theirs)) {
                wrong.add(v.line() + "\n  vigil: " + ours + "\n  logcheck: " + theirs);
            }
        }
        assertTrue(wrong.isEmpty(), () -> wrong.size() + " lines differ:\n" + String.join("\n", wrong));
        assertTrue(realByLine.values().stream().anyMatch(s -> s.startsWith("alert")), "corpus raises alerts");
        assertTrue(realByLine.values().stream().anyMatch(s -> s.startsWith("event")), "corpus raises events");

        String ours = LogcheckReport.render(classifier.classify(LogcheckReport.sortLikeLogcheck(corpus, false)),
                header(), null);
        assertEquals(real, ours);
    }

    @ParameterizedTest
    @EnumSource(Level.class)
    void linesBuiltFromEveryRuleGetTheSameReportAsFromRealLogcheck(Level level, @TempDir Path work) {
        sameReportForLinesBuiltFromEveryRule(level, GrepLocale.C, "C", work);
    }

    @Test
    void inAUtf8LocaleLinesBuiltFromEveryRuleGetTheSameReportAsFromRealLogcheck(@TempDir Path work) {
        sameReportForLinesBuiltFromEveryRule(Level.SERVER, GrepLocale.UTF_8, "C.UTF-8", work);
    }

    private static void sameReportForLinesBuiltFromEveryRule(Level level, GrepLocale locale, String localeName,
                                                             Path work) {
        assumeDebianTree();
        String why = RealLogcheck.unavailable();
        Assumptions.assumeTrue(why == null, why);
        RuleTree tree = RuleTree.load(DEBIAN, level);
        Classifier classifier = new Classifier(tree, new RuleMatcher(tree, locale), false);
        List<String> lines = corpusWithExamples();
        String real = RealLogcheck.report(work, DEBIAN, lines, level, false, false, localeName);
        assertEquals(real, LogcheckReport.render(classifier.classify(LogcheckReport.sortLikeLogcheck(lines, false)),
                header(), null));
    }

    @Test
    void sortUniqueReportIsWhatRealLogcheckPrints(@TempDir Path work) {
        assumeDebianTree();
        String why = RealLogcheck.unavailable();
        Assumptions.assumeTrue(why == null, why);
        RuleTree tree = RuleTree.load(DEBIAN, Level.SERVER);
        Classifier classifier = new Classifier(tree, new RuleMatcher(tree, GrepLocale.C), false);
        String real = RealLogcheck.report(work, DEBIAN, corpus, Level.SERVER, false, true, "C");
        assertEquals(real, LogcheckReport.render(
                classifier.classify(LogcheckReport.sortLikeLogcheck(corpus, true)), header(), null));
    }

    @Test
    void everyDebianPatternMatchesTheSameCorpusLinesAsGnuGrep(@TempDir Path work) throws IOException {
        assumeDebianTree();
        Assumptions.assumeTrue(GnuGrep.available(), "GNU grep is the reference and is not installed");
        List<String> stripped = corpusWithExamples().stream().map(raw -> Classifier.strip(raw, GrepLocale.C)).toList();
        Path file = GnuGrep.writeLines(work.resolve("corpus.txt"), stripped);
        RuleTree tree = RuleTree.load(DEBIAN, Level.WORKSTATION);
        List<Rule> rules = tree.allRules();
        assertTrue(rules.size() > 1500, "the whole Debian tree is read: " + rules.size());
        List<String> wrong = new ArrayList<>();
        int matchedSomething = 0;
        for (Rule rule : rules) {
            GnuGrep.Result grep = GnuGrep.matchingLines(work, rule.pattern(), file, "C");
            if (grep.error()) {
                wrong.add(rule.location() + ": grep refused it: " + grep.stderr());
                continue;
            }
            Pattern p = GnuEre.compile(rule.pattern(), GrepLocale.C);
            TreeSet<Integer> ours = new TreeSet<>();
            for (int i = 0; i < stripped.size(); i++) {
                if (p.matcher(stripped.get(i)).find()) {
                    ours.add(i);
                }
            }
            if (!ours.equals(grep.lines())) {
                wrong.add(rule.location() + ": grep " + grep.lines() + " vigil " + ours + "  " + rule.pattern());
            }
            matchedSomething += ours.isEmpty() ? 0 : 1;
        }
        assertTrue(wrong.isEmpty(), () -> wrong.size() + " patterns differ:\n" + String.join("\n", wrong));
        assertTrue(matchedSomething > rules.size() * 9 / 10, "nearly every pattern matches a line: " + matchedSomething);
    }

    @Test
    void indexedMatcherFindsExactlyTheFilesThatPlainFindFinds() {
        assumeDebianTree();
        RuleTree tree = RuleTree.load(DEBIAN, Level.WORKSTATION);
        RuleMatcher matcher = new RuleMatcher(tree, GrepLocale.C);
        assertTrue(matcher.problems().isEmpty(), () -> matcher.problems().toString());
        List<Rule> rules = tree.allRules();
        List<Pattern> patterns = rules.stream().map(r -> GnuEre.compile(r.pattern(), GrepLocale.C))
                .toList();
        List<String> wrong = new ArrayList<>();
        for (String raw : corpusWithExamples()) {
            String line = Classifier.strip(raw, GrepLocale.C);
            TreeSet<String> expected = new TreeSet<>();
            for (int i = 0; i < rules.size(); i++) {
                if (patterns.get(i).matcher(line).find()) {
                    expected.add(rules.get(i).category() + "/" + rules.get(i).name());
                }
            }
            TreeSet<String> actual = new TreeSet<>();
            RuleMatcher.Matches m = matcher.match(line);
            for (int i = 0; i < m.count(); i++) {
                RuleMatcher.FileKey k = matcher.files().get(m.file(i));
                actual.add(k.category() + "/" + k.name());
            }
            if (!expected.equals(actual)) {
                wrong.add(line + ": find " + expected + " indexed " + actual);
            }
        }
        assertTrue(wrong.isEmpty(), () -> String.join("\n", wrong));
    }

    private static String header() {
        try {
            Path h = DEBIAN.resolve("header.txt");
            return Files.exists(h) ? Files.readString(h) : null;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
