package dev.vigil.logcheck;

import dev.vigil.os.Proc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Rule trees that change under a running daemon: real files, a controlled clock for the freshness period. */
class LiveRulesTest {

    @TempDir
    Path dir;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-22T01:00:00Z"));
    private final InstantSource clock = now::get;
    private final List<String> warnings = new ArrayList<>();

    private static final String LINE = "Nov 22 01:00:00 host app[1]: something routine happened";

    private Path file(String relative, String text) throws IOException {
        Path f = dir.resolve(relative);
        Files.createDirectories(f.getParent());
        return Files.writeString(f, text);
    }

    private LiveRules rules(List<RuleTree.Source> local) {
        return rules(local, GrepLocale.C);
    }

    private LiveRules rules(List<RuleTree.Source> local, GrepLocale locale) {
        return new LiveRules(new RuleTree.Source(dir.resolve("base"), Level.SERVER), local, false, false, locale,
                Duration.ofSeconds(60), clock, warnings::add);
    }

    @Test
    void runByRootARuleFileOrDirectoryOthersCanChangeIsSkippedAndWarnedAboutUntilItIsRootsAlone() throws IOException {
        assumeTrue(Proc.effectiveUid() == 0, "needs root: the rule files made here must be root's, and chown");
        file("base/violations.d/app", "app\\[[0-9]+\\]: intrusion\n");
        LiveRules rules = new LiveRules(new RuleTree.Source(dir.resolve("base"), Level.SERVER), List.of(), false, true,
                GrepLocale.C, Duration.ofSeconds(60), clock, warnings::add);
        assertEquals(List.of(), warnings);

        Path dropped = file("base/ignore.d.server/app", "something routine\n");
        Files.setPosixFilePermissions(dropped, PosixFilePermissions.fromString("rw-rw-rw-"));
        now.set(now.get().plusSeconds(61));
        rules.refresh();
        assertEquals(Section.SYSTEM, section(rules, LINE), "an ignore rule every user could write is not used");
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains(dropped + " is writable by every user") && warnings.get(0).endsWith("chmod go-w " + dropped),
                warnings.get(0));

        Files.setPosixFilePermissions(dropped, PosixFilePermissions.fromString("rw-r--r--"));
        now.set(now.get().plusSeconds(61));
        assertTrue(rules.refresh(), "a chmod is a change");
        assertEquals(Section.IGNORED, section(rules, LINE));

        Files.setPosixFilePermissions(dropped, PosixFilePermissions.fromString("rw-rw-rw-"));
        now.set(now.get().plusSeconds(61));
        assertTrue(rules.refresh());
        assertEquals(Section.SYSTEM, section(rules, LINE));
        assertEquals(2, warnings.size(), "mended, then open to every user again: warned about again " + warnings);
        assertEquals(warnings.get(0), warnings.get(1));
        Files.setPosixFilePermissions(dropped, PosixFilePermissions.fromString("rw-r--r--"));

        Path directory = dropped.getParent();
        Files.setAttribute(directory, "unix:uid", 65534);
        now.set(now.get().plusSeconds(61));
        assertTrue(rules.refresh(), "a chown of the directory is a change");
        assertEquals(Section.SYSTEM, section(rules, LINE), "nor one in a directory another user owns");
        assertTrue(warnings.get(2).contains(directory + " is owned by uid 65534, not root"), warnings.toString());
        assertEquals(Section.EVENT, section(rules, "Nov 22 01:00:00 host app[1]: intrusion"), "the rest still applies");
    }

    @Test
    void runByRootAnUntrustedCrackingIgnoreDirectoryIsSkippedAsIfEmptyNotAsIfAbsent() throws IOException {
        assumeTrue(Proc.effectiveUid() == 0, "needs root: the rule files made here must be root's");
        file("base/cracking.d/app", "app\\[[0-9]+\\]: root shell\n");
        Path ignore = file("base/cracking.ignore.d/app", "app\\[[0-9]+\\]: root shell for backup\n").getParent();
        LiveRules rules = new LiveRules(new RuleTree.Source(dir.resolve("base"), Level.SERVER), List.of(), true, true,
                GrepLocale.C, Duration.ofSeconds(60), clock, warnings::add);
        String attack = "Nov 22 01:00:00 host app[1]: root shell for mallory";
        assertEquals(Section.ALERT, section(rules, attack));

        Files.setPosixFilePermissions(ignore, PosixFilePermissions.fromString("rwxrwxr-x"));
        now.set(now.get().plusSeconds(61));
        assertTrue(rules.refresh());
        assertEquals(Section.ALERT, section(rules, attack),
                "logcheck's SUPPORT_CRACKING_IGNORE raises no alert without the directory: skipped, it is there and empty");
        assertEquals(Section.ALERT, section(rules, "Nov 22 01:00:00 host app[1]: root shell for backup"));
        assertEquals(1, warnings.size(), warnings.toString());
    }

    @Test
    void runByRootAnUntrustedLocalTreeHoldingTheOnlyCrackingIgnoreDirectoryIsSkippedAsIfEmpty() throws IOException {
        assumeTrue(Proc.effectiveUid() == 0, "needs root: the rule files made here must be root's");
        file("base/cracking.d/app", "app\\[[0-9]+\\]: root shell\n");
        Path local = file("local/cracking.ignore.d/app", "app\\[[0-9]+\\]: root shell for backup\n").getParent().getParent();
        LiveRules rules = new LiveRules(new RuleTree.Source(dir.resolve("base"), Level.SERVER),
                List.of(new RuleTree.Source(local, Level.SERVER)), true, true, GrepLocale.C, Duration.ofSeconds(60), clock,
                warnings::add);
        String attack = "Nov 22 01:00:00 host app[1]: root shell for mallory";
        assertEquals(Section.ALERT, section(rules, attack));

        Files.setPosixFilePermissions(local, PosixFilePermissions.fromString("rwxrwxr-x"));
        now.set(now.get().plusSeconds(61));
        assertTrue(rules.refresh());
        assertEquals(Section.ALERT, section(rules, attack));
        assertEquals(Section.ALERT, section(rules, "Nov 22 01:00:00 host app[1]: root shell for backup"), "its ignore rule skipped");
        assertEquals(1, warnings.size(), warnings.toString());
    }

    private static Section section(LiveRules rules, String line) {
        return rules.classify(List.of(line)).verdicts().get(0).section();
    }

    @Test
    void aRuleFileDroppedIntoTheTreeIsUsedOnceTheFreshnessPeriodHasPassed() throws IOException {
        file("base/violations.d/app", "app\\[[0-9]+\\]: intrusion\n");
        LiveRules rules = rules(List.of());
        assertEquals(Section.SYSTEM, section(rules, LINE));

        file("base/ignore.d.server/app", "app\\[[0-9]+\\]: something routine\n");
        now.set(now.get().plusSeconds(30));
        assertFalse(rules.refresh(), "within the freshness period the loaded tree is trusted");
        assertEquals(Section.SYSTEM, section(rules, LINE));

        now.set(now.get().plusSeconds(31));
        assertTrue(rules.refresh());
        assertEquals(Section.IGNORED, section(rules, LINE));
    }

    @Test
    void anUnchangedTreeIsNotReloaded() throws IOException {
        file("base/ignore.d.server/app", "routine\n");
        LiveRules rules = rules(List.of());
        now.set(now.get().plusSeconds(61));
        assertFalse(rules.refresh());
    }

    @Test
    void anInvalidPatternInANewFileIsWarnedAboutOnceNamingFileAndLineAndTheRestStillApplies() throws IOException {
        file("base/violations.d/app", "app\\[[0-9]+\\]: intrusion\n");
        LiveRules rules = rules(List.of());
        Path bad = file("base/ignore.d.server/app", "# a comment\napp\\[[0-9]+\\]: (unclosed\nsomething routine\n");
        now.set(now.get().plusSeconds(61));
        assertTrue(rules.refresh());
        file("base/ignore.d.server/other", "unrelated\n");
        now.set(now.get().plusSeconds(61));
        assertTrue(rules.refresh());

        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith(bad + ":2: invalid pattern"), warnings.get(0));
        assertEquals(Section.IGNORED, section(rules, LINE));
        assertEquals(Section.EVENT, section(rules, "Nov 22 01:00:00 host app[1]: intrusion"));
    }

    @Test
    void onlyRulesOfLocalTreesAreCountedEachTimeTheyMatch() throws IOException {
        file("base/ignore.d.server/app", "routine\n");
        Path local = file("local/ignore.d.server/app", "something routine\nnever seen in any log\n");
        LiveRules rules = rules(List.of(new RuleTree.Source(dir.resolve("local"), Level.SERVER)));

        LiveRules.Result r = rules.classify(List.of(LINE, LINE, "Nov 22 01:00:00 host app[1]: other"));

        Rule used = new Rule(Category.IGNORE, "app", local, 1, "something routine");
        assertEquals(Map.of(used, 2), r.localHits());
        assertEquals(2, rules.localRules().size());
        assertEquals(List.of(Section.IGNORED, Section.IGNORED, Section.SYSTEM),
                r.verdicts().stream().map(Verdict::section).toList());
    }

    @Test
    void inAUtf8LocaleALocalRuleWithAClassMatchesAndIsCountedOnANameBeyondAscii() throws IOException {
        file("base/violations.d/app", "app\\[[0-9]+\\]: login\n");
        Path local = file("local/violations.ignore.d/app", "app\\[[0-9]+\\]: login of [[:alpha:]]+$\n");
        // the log's bytes, one char each: "José" in UTF-8
        String line = "Nov 22 01:00:00 host app[1]: login of Jos\u00c3\u00a9";
        for (GrepLocale locale : GrepLocale.values()) {
            LiveRules rules = rules(List.of(new RuleTree.Source(dir.resolve("local"), Level.SERVER)), locale);
            LiveRules.Result r = rules.classify(List.of(line));
            boolean utf8 = locale == GrepLocale.UTF_8;
            assertEquals(utf8 ? Section.IGNORED : Section.EVENT, r.verdicts().get(0).section(), locale.name());
            Rule rule = new Rule(Category.VIOLATIONS_IGNORE, "app", local, 1, "app\\[[0-9]+\\]: login of [[:alpha:]]+$");
            assertEquals(utf8 ? Map.of(rule, 1) : Map.of(), r.localHits(), locale.name());
        }
    }

    @Test
    void aMissingBaseTreeIsWarnedAboutAndEveryLineIsASystemEvent() {
        LiveRules rules = rules(List.of());
        assertEquals(Section.SYSTEM, section(rules, LINE));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("does not exist"), warnings.get(0));
    }

    @Test
    void aPatternWithCatastrophicBacktrackingIsWarnedAboutOnceNamingFileAndLineAndTheLineIsClassifiedWithoutIt()
            throws IOException {
        file("base/violations.d/app", "app\\[[0-9]+\\]: intrusion\n");
        file("base/ignore.d.server/app", "something routine\n");
        Path slow = file("base/violations.ignore.d/app", "# known harmless\n^(.*a){20}$\nintrusion a+b$\n");
        LiveRules rules = rules(List.of());
        // java.util.regex takes minutes on this line (its time grows about threefold per added "a")
        String line = "Nov 22 01:00:00 host app[1]: intrusion " + "a".repeat(30) + "b";

        LiveRules.Result r = rules.classify(List.of(line, line, LINE));

        assertEquals(List.of(Section.IGNORED, Section.IGNORED, Section.IGNORED),
                r.verdicts().stream().map(Verdict::section).toList(), "the file's other rule still applies");
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith(slow + ":2: pattern took too long on a line"), warnings.get(0));
        assertEquals(Section.EVENT, section(rules, "Nov 22 01:00:00 host app[1]: intrusion " + "a".repeat(30) + "c"));
        assertEquals(1, warnings.size(), "warned once: " + warnings);
    }

    @Test
    void aRaiseRuleTooSlowOnALineRaisesItSoALineMadeToDefeatTheRuleIsReportedTheLouder() throws IOException {
        Path slow = file("base/violations.d/app", "^(.*a){20}$\n");
        LiveRules rules = rules(List.of());
        String line = "Nov 22 01:00:00 host app[1]: intrusion " + "a".repeat(30) + "b";

        assertEquals(Section.EVENT, section(rules, line));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith(slow + ":1: pattern took too long on a line"), warnings.get(0));
        assertTrue(warnings.get(0).contains("as if it matched (a raise rule)"), warnings.get(0));
        assertEquals(Section.SYSTEM, section(rules, LINE), "a line it decides is classified as it says");
    }

    /**
     * Debian's own rule for NFS mounts repeats a group whose length varies, and java.util.regex recurses once per
     * repetition: a line of many slashes, which anyone can log, overflowed the thread's stack, and the
     * StackOverflowError ended the daemon at each start. Classified on a thread with a small stack, so the line need
     * not be long to go past it.
     */
    @Test
    void aPatternRecursingPastTheStackOnALineIsWarnedAboutAndTheLineClassifiedAsTheRuleCounts() throws Exception {
        Path nfs = file("base/ignore.d.server/nfs",
                "rpc\\.mountd\\[[0-9]+\\]: authenticated mount request from [^ ]+ for (/[._[:alnum:]-]*)+ \\(/x\\)$\n");
        file("base/cracking.d/nfs", "rpc\\.mountd\\[[0-9]+\\]: refused mount request from [^ ]+ for (/[._[:alnum:]-]*)+$\n");
        LiveRules rules = rules(List.of());
        String slashes = "/".repeat(20_000);
        String ignorable = "Nov 22 01:00:00 host rpc.mountd[1]: authenticated mount request from h:1 for " + slashes + " (/x)";
        String raised = "Nov 22 01:00:00 host rpc.mountd[1]: refused mount request from h:1 for " + slashes;
        assertEquals(Section.IGNORED, section(rules, "Nov 22 01:00:00 host rpc.mountd[1]: authenticated mount request"
                + " from h:1 for /srv/a (/x)"), "a line it decides");

        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread small = new Thread(null, () -> {
            try {
                outcome.set(rules.classify(List.of(ignorable, raised)).verdicts().stream().map(Verdict::section).toList());
            } catch (Throwable t) {
                outcome.set(t);
            }
        }, "small-stack", 256 << 10);
        small.start();
        small.join();

        assertEquals(List.of(Section.SYSTEM, Section.ALERT), outcome.get(), "the ignore rule counts as not matching, the raise rule as matching");
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith(nfs + ":1: pattern recursed too deep on a line")), warnings.toString());
    }
}
