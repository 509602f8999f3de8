package dev.vigil.logcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small rule trees for each corner of logcheck's algorithm. The expected verdicts are written out, and
 * where the real logcheck is installed its report for the same tree and lines must equal ours.
 */
class EdgeCaseTreeTest {

    @TempDir
    Path dir;

    /** Writes rule files given as "dir/name", content pairs; cracking.d and violations.d always exist. */
    private Path tree(String name, String... files) {
        try {
            Path root = dir.resolve(name);
            Files.createDirectories(root.resolve("cracking.d"));
            Files.createDirectories(root.resolve("violations.d"));
            for (int i = 0; i < files.length; i += 2) {
                Path f = root.resolve(files[i]);
                Files.createDirectories(f.getParent());
                Files.write(f, files[i + 1].getBytes(StandardCharsets.ISO_8859_1));
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> tsv(Path rules, Level level, boolean crackingIgnore, boolean sortUnique,
                                    List<String> log) {
        return tsv(rules, level, crackingIgnore, sortUnique, log, GrepLocale.C);
    }

    private static List<String> tsv(Path rules, Level level, boolean crackingIgnore, boolean sortUnique,
                                    List<String> log, GrepLocale locale) {
        RuleTree tree = RuleTree.load(rules, level);
        Classifier c = new Classifier(tree, new RuleMatcher(tree, locale), crackingIgnore);
        return c.classify(sortUnique ? LogcheckReport.uniqueInInputOrder(log) : log).stream()
                .map(v -> v.section().label() + "\t" + (v.subsections().isEmpty() ? "-"
                        : String.join(",", v.subsections())) + "\t" + v.line())
                .toList();
    }

    /** Our report must be the real logcheck's run with {@code LC_ALL=localeName}, when it can run here. */
    private void sameReportAsLogcheck(Path rules, Level level, boolean crackingIgnore, boolean sortUnique,
                                      List<String> log, GrepLocale locale, String localeName) {
        if (RealLogcheck.unavailable() != null) {
            return;
        }
        RuleTree tree = RuleTree.load(rules, level);
        Classifier c = new Classifier(tree, new RuleMatcher(tree, locale), crackingIgnore);
        String ours = LogcheckReport.render(c.classify(LogcheckReport.sortLikeLogcheck(log, sortUnique)), null, null);
        try {
            RealLogcheck.openUp(dir);
            Path work = Files.createTempDirectory(dir, "logcheck");
            assertEquals(RealLogcheck.report(work, rules, log, level, crackingIgnore, sortUnique, localeName), ours);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void check(Path rules, Level level, boolean crackingIgnore, boolean sortUnique, List<String> log,
                       String... expected) {
        assertEquals(List.of(expected), tsv(rules, level, crackingIgnore, sortUnique, log));
        sameReportAsLogcheck(rules, level, crackingIgnore, sortUnique, log, GrepLocale.C, "C");
    }

    @Test
    void onlyRunPartsNamesAreRead() {
        Path rules = tree("t", "ignore.d.server/ok", "ok\n", "ignore.d.server/x.dpkg-old", "dpkg\n",
                "ignore.d.server/x~", "tilde\n", "ignore.d.server/.hidden", "hidden\n",
                "ignore.d.server/x.conf", "conf\n", "ignore.d.server/Up_per-1", "upper\n");
        check(rules, Level.SERVER, false, false,
                List.of("line ok", "line dpkg", "line tilde", "line hidden", "line conf", "line upper"),
                "ignored\t-\tline ok", "system\t-\tline dpkg", "system\t-\tline tilde", "system\t-\tline hidden",
                "system\t-\tline conf", "ignored\t-\tline upper");
    }

    @Test
    void commentAndBlankLinesAreDroppedButPatternsAreNotTrimmed() {
        Path rules = tree("t", "ignore.d.server/x", "# comment here\n\n   \n\t\n lead\nx #kept\n");
        check(rules, Level.SERVER, false, false,
                List.of("a # comment here", "has lead", "nolead", "x #kept"),
                "system\t-\ta # comment here", "ignored\t-\thas lead", "system\t-\tnolead", "ignored\t-\tx #kept");
    }

    @Test
    void levelsNestAndSameNamedFilesOfLevelsConcatenate() {
        Path rules = tree("t", "ignore.d.paranoid/foo", "alpha\n", "ignore.d.server/foo", "beta\n",
                "ignore.d.workstation/foo", "gamma\n");
        List<String> log = List.of("alpha", "beta", "gamma");
        check(rules, Level.PARANOID, false, false, log, "ignored\t-\talpha", "system\t-\tbeta", "system\t-\tgamma");
        check(rules, Level.SERVER, false, false, log, "ignored\t-\talpha", "ignored\t-\tbeta", "system\t-\tgamma");
        check(rules, Level.WORKSTATION, false, false, log, "ignored\t-\talpha", "ignored\t-\tbeta",
                "ignored\t-\tgamma");
    }

    @Test
    void genericLogcheckFileIsFilteredByEveryIgnoreFileAndOtherRaiseFiles() {
        Path rules = tree("t", "violations.d/logcheck", "generic\n", "violations.d/sudo", "sudo\n",
                "violations.d/logcheck-extra", "extra\n", "violations.ignore.d/other", "quiet\n");
        check(rules, Level.SERVER, false, false,
                List.of("generic one", "generic sudo", "generic quiet", "generic extra"),
                "event\tlogcheck\tgeneric one", "event\tsudo\tgeneric sudo", "ignored\t-\tgeneric quiet",
                "event\tlogcheck,logcheck-extra\tgeneric extra");
    }

    @Test
    void violationsAreFilteredBySameNameLogcheckNameAndLocalFiles() {
        Path rules = tree("t", "violations.d/sudo", "sudo\n", "violations.d/su", "su:\n",
                "violations.ignore.d/logcheck-sudo", "sudo ok\n", "violations.ignore.d/sudo", "sudo fine\n",
                "violations.ignore.d/local", "sudo local\n", "violations.ignore.d/local-site", "sudo site\n",
                "violations.ignore.d/localother", "sudo other\n");
        check(rules, Level.SERVER, false, false,
                List.of("sudo bad", "sudo ok", "sudo fine", "sudo local", "su: sudo site", "sudo other", "su: sudo"),
                "event\tsudo\tsudo bad", "ignored\t-\tsudo ok", "ignored\t-\tsudo fine", "ignored\t-\tsudo local",
                "ignored\t-\tsu: sudo site", "event\tsudo\tsudo other", "event\tsu,sudo\tsu: sudo");
    }

    @Test
    void crackingLinesLeaveSecurityEventsOnlyWhenAnAlertWasRaised() {
        Path rules = tree("t", "cracking.d/attack", "attack\n", "cracking.ignore.d/attack", "attack tolerated\n",
                "violations.d/sudo", "sudo\n");
        check(rules, Level.SERVER, true, false, List.of("sudo attack tolerated"),
                "event\tsudo\tsudo attack tolerated");
        check(rules, Level.SERVER, true, false, List.of("sudo attack tolerated", "real attack"),
                "ignored\t-\tsudo attack tolerated", "alert\tattack\treal attack");
    }

    @Test
    void crackingIgnoreIsReadOnlyWhenSwitchedOn() {
        Path rules = tree("t", "cracking.d/attack", "attack\n", "cracking.ignore.d/attack", "attack tolerated\n");
        check(rules, Level.SERVER, false, false, List.of("attack tolerated"), "alert\tattack\tattack tolerated");
        check(rules, Level.SERVER, true, false, List.of("attack tolerated"), "ignored\t-\tattack tolerated");
    }

    @Test
    void crackingIgnoreSwitchedOnWithoutItsDirectoryRaisesNoAlerts() {
        Path rules = tree("t", "cracking.d/attack", "attack\n");
        check(rules, Level.SERVER, true, false, List.of("real attack", "other"),
                "ignored\t-\treal attack", "system\t-\tother");
    }

    @Test
    void genericCrackingFileHasTheBareHeadingAndYieldsToNamedFiles() {
        Path rules = tree("t", "cracking.d/logcheck", "evil\n", "cracking.d/kernel", "kernel\n");
        check(rules, Level.SERVER, false, false, List.of("evil thing", "kernel evil", "kernel"),
                "alert\tlogcheck\tevil thing", "alert\tkernel\tkernel evil", "alert\tkernel\tkernel");
        RuleTree tree = RuleTree.load(rules, Level.SERVER);
        String report = LogcheckReport.render(new Classifier(tree, new RuleMatcher(tree, GrepLocale.C), false)
                .classify(List.of("evil thing")), null, null);
        assertEquals("Security Alerts\n=-=-=-=-=-=-=-=\nevil thing\n\n", report);
    }

    @Test
    void trailingWhiteSpaceIsStrippedAndDuplicatesKeptUnlessSortUnique() {
        Path rules = tree("t", "ignore.d.server/q", "^quiet$\n");
        List<String> log = List.of("quiet  ", "quiet\r", "loud\t", "loud", "loud", "b\u000b");
        check(rules, Level.SERVER, false, false, log, "ignored\t-\tquiet", "ignored\t-\tquiet", "system\t-\tloud",
                "system\t-\tloud", "system\t-\tloud", "system\t-\tb");
        check(rules, Level.SERVER, false, true, log, "ignored\t-\tquiet", "ignored\t-\tquiet", "system\t-\tloud",
                "system\t-\tloud", "system\t-\tb");
    }

    @Test
    void reportOrdersLinesByTheirFirstThreeFieldsStably() {
        Path rules = tree("t");
        check(rules, Level.SERVER, false, false, List.of("Nov 22 02:00:00 b", "Nov 22 01:00:00 z", "Nov 22 01:00:00 a"),
                "system\t-\tNov 22 02:00:00 b", "system\t-\tNov 22 01:00:00 z", "system\t-\tNov 22 01:00:00 a");
        assertEquals(List.of("Nov 22 01:00:00 z", "Nov 22 01:00:00 a", "Nov 22 02:00:00 b"),
                LogcheckReport.sortLikeLogcheck(List.of("Nov 22 02:00:00 b", "Nov 22 01:00:00 z",
                        "Nov 22 01:00:00 a"), false));
    }

    @Test
    void invalidPatternIsSkippedWithAWarningNamingFileAndLineAndTheRestLoads() {
        Path rules = tree("t", "ignore.d.server/bad", "good one\n[[:nope:]]\nalso good\n");
        RuleTree tree = RuleTree.load(rules, Level.SERVER);
        RuleMatcher matcher = new RuleMatcher(tree, GrepLocale.C);
        assertEquals(1, matcher.problems().size());
        String warning = matcher.problems().get(0).toString();
        assertTrue(warning.startsWith(rules.resolve("ignore.d.server/bad") + ":2: "), warning);
        assertTrue(warning.contains("Invalid character class name"), warning);
        assertEquals(List.of("ignored\t-\tgood one", "ignored\t-\talso good", "system\t-\tother"),
                tsv(rules, Level.SERVER, false, false, List.of("good one", "also good", "other")));
    }

    @Test
    void localTreesLayerOverTheBaseAndSameNamedFilesConcatenate() {
        Path base = tree("base", "ignore.d.server/ssh", "alpha\n", "violations.d/sudo", "sudo\n");
        Path local = tree("local", "ignore.d.server/ssh", "beta\n", "violations.ignore.d/local", "sudo fine\n");
        RuleTree tree = RuleTree.load(List.of(new RuleTree.Source(base, Level.SERVER),
                new RuleTree.Source(local, Level.SERVER)));
        assertEquals(2, tree.files(Category.IGNORE).get("ssh").size());
        List<Verdict> v = new Classifier(tree, new RuleMatcher(tree, GrepLocale.C), false)
                .classify(List.of("alpha", "beta", "sudo fine", "sudo bad", "gamma"));
        assertEquals(List.of(Section.IGNORED, Section.IGNORED, Section.IGNORED, Section.EVENT, Section.SYSTEM),
                v.stream().map(Verdict::section).toList());
    }

    @Test
    void utf8AndInvalidBytesAreMatchedByteByByteAsGrepDoesInTheCLocale() {
        // "caf\u00c3\u00a9" is caf\u00e9 in UTF-8 read byte by byte: two dots match its two bytes, one does not
        Path rules = tree("t", "ignore.d.server/bytes", "^caf.. ok$\n^x.y$\n^caf. one$\n");
        check(rules, Level.SERVER, false, false,
                List.of("caf\u00c3\u00a9 ok", "x\u00ffy", "caf\u00c3\u00a9 one", "x\u00c3\u00a9y"),
                "ignored\t-\tcaf\u00c3\u00a9 ok", "ignored\t-\tx\u00ffy", "system\t-\tcaf\u00c3\u00a9 one",
                "system\t-\tx\u00c3\u00a9y");
    }

    /** Text as the UTF-8 bytes a log holds, one char per byte (how lines are read). */
    private static String u(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** A line anyone can write: a run of spaces before a last non-ASCII letter, not stripped (nor slow to strip). */
    private static final String SPACES_THEN_E = "x" + " ".repeat(5000) + "\u00e9";
    private static final String NON_ASCII_RULES = "^user [[:alpha:]]+$\n^[[:upper:]][[:lower:]]+ ok$\n"
            + "^[[:punct:]] price$\n\\bword\n^x.y$\n"
            + "^(\\w{3} [ :0-9]{11}|[0-9T:.+-]{32}) [._[:alnum:]-]+ sshd\\[[0-9]+\\]: ok$\n";
    private static final List<String> NON_ASCII_LOG = List.of(u("user Jos\u00e9"), u("\u00c4rger ok"),
            u("\u20ac price"), u("\u00e9word"), u("x\u65e5y"), "x\u00ffy", u("\u65e5\u672c alert"),
            u("user Zo\u00eb\u3000"), "user Jos\u00e9", u("Nov 22 01:00:01 h\u00f4te sshd[1]: ok"),
            u("D\u00e9c 22 01:00:01 host sshd[1]: ok"), u("2026-11-22T01:00:01.123456+00:00 \u65e5 sshd[1]: ok"),
            u("user Zo\u00eb \u3000\t\u2003"), u(SPACES_THEN_E));

    @Test
    void inAUtf8LocaleClassesDotAndWordBoundariesTakeInCharactersBeyondAscii() {
        checkNonAscii(GrepLocale.UTF_8, "C.UTF-8", "ignored\t-\t" + u("user Jos\u00e9"), "ignored\t-\t" + u("\u00c4rger ok"),
                "ignored\t-\t" + u("\u20ac price"), "system\t-\t" + u("\u00e9word"), "ignored\t-\t" + u("x\u65e5y"),
                "system\t-\tx\u00ffy", "event\tcjk\t" + u("\u65e5\u672c alert"), "ignored\t-\t" + u("user Zo\u00eb"),
                "system\t-\tuser Jos\u00e9", "ignored\t-\t" + u("Nov 22 01:00:01 h\u00f4te sshd[1]: ok"),
                "ignored\t-\t" + u("D\u00e9c 22 01:00:01 host sshd[1]: ok"),
                "ignored\t-\t" + u("2026-11-22T01:00:01.123456+00:00 \u65e5 sshd[1]: ok"),
                "ignored\t-\t" + u("user Zo\u00eb"), "system\t-\t" + u(SPACES_THEN_E));
    }

    @Test
    void inTheCLocaleTheSameRulesSeeBytes() {
        checkNonAscii(GrepLocale.C, "C", "system\t-\t" + u("user Jos\u00e9"), "system\t-\t" + u("\u00c4rger ok"),
                "system\t-\t" + u("\u20ac price"), "ignored\t-\t" + u("\u00e9word"), "system\t-\t" + u("x\u65e5y"),
                "ignored\t-\tx\u00ffy", "system\t-\t" + u("\u65e5\u672c alert"), "system\t-\t" + u("user Zo\u00eb\u3000"),
                "system\t-\tuser Jos\u00e9", "system\t-\t" + u("Nov 22 01:00:01 h\u00f4te sshd[1]: ok"),
                "system\t-\t" + u("D\u00e9c 22 01:00:01 host sshd[1]: ok"),
                "system\t-\t" + u("2026-11-22T01:00:01.123456+00:00 \u65e5 sshd[1]: ok"),
                "system\t-\t" + u("user Zo\u00eb \u3000\t\u2003"), "system\t-\t" + u(SPACES_THEN_E));
    }

    /** The non-ASCII rules and log in {@code locale}: these verdicts, and the real logcheck's report with {@code LC_ALL=localeName}. */
    private void checkNonAscii(GrepLocale locale, String localeName, String... expected) {
        Path rules = tree("t", "ignore.d.server/names", NON_ASCII_RULES, "violations.d/cjk", "^[[:alpha:]]{2} alert$\n");
        assertEquals(List.of(expected), tsv(rules, Level.SERVER, false, false, NON_ASCII_LOG, locale));
        sameReportAsLogcheck(rules, Level.SERVER, false, false, NON_ASCII_LOG, locale, localeName);
    }
}
