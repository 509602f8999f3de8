package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.logcheck.Category;
import dev.vigil.logcheck.Rule;
import dev.vigil.store.Database;
import dev.vigil.store.RuleStatsStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil logcheck} end to end on a rule tree and a log file in a temp directory. */
class LogcheckCommandTest {

    @TempDir
    Path dir;

    private static CommandRun execute(String... args) {
        return CommandRun.vigil(StandardCharsets.ISO_8859_1, args);
    }

    private static String run(String... args) {
        CommandRun r = execute(args);
        assertEquals(0, r.status(), r.err());
        return r.out();
    }

    private Path tree() throws IOException {
        Path root = dir.resolve("rules");
        Files.createDirectories(root.resolve("cracking.d"));
        Files.createDirectories(root.resolve("violations.d"));
        Files.createDirectories(root.resolve("ignore.d.server"));
        Files.writeString(root.resolve("cracking.d/attack"), "attack\n");
        Files.writeString(root.resolve("violations.d/sudo"), "sudo\n");
        Files.writeString(root.resolve("ignore.d.server/noise"), "noise$\n");
        return root;
    }

    @Test
    void tsvHasOneRowPerInputLineInInputOrderWithBytesUnchanged() throws IOException {
        Path rules = tree();
        Path log = dir.resolve("log");
        Files.write(log, "b sudo x\na noise  \nc attack\nd caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("event\tsudo\tb sudo x\nignored\t-\ta noise\nalert\tattack\tc attack\nsystem\t-\td caf\u00e9\n",
                run("logcheck", "--rules", rules.toString(), "--format", "tsv", log.toString()));
    }

    @Test
    void reportSortsAndGroupsUnderLogchecksHeadings() throws IOException {
        Path rules = tree();
        Files.writeString(rules.resolve("header.txt"), "Header.\n\n");
        Path log = dir.resolve("log");
        Files.writeString(log, "b sudo x\na noise\nc attack\nd other\n");
        assertEquals("Header.\n\nSecurity Alerts for attack\n=-=-=-=-=-=-=-=-=-=-=-=-=-\nc attack\n\n"
                        + "Security Events for sudo\n=-=-=-=-=-=-=-=-=-=-=-=-\nb sudo x\n\n"
                        + "System Events\n=-=-=-=-=-=-=\nd other\n\n",
                run("logcheck", "--rules", rules.toString(), "--format", "report", log.toString()));
    }

    @Test
    void explainNamesEveryMatchingRuleFileAndLine() throws IOException {
        Path rules = tree();
        String out = run("logcheck", "--rules", rules.toString(), "--explain", "sudo attack");
        assertTrue(out.contains("cracking.d/attack\t" + rules.resolve("cracking.d/attack") + ":1\tattack\n"), out);
        assertTrue(out.contains("violations.d/sudo\t" + rules.resolve("violations.d/sudo") + ":1\tsudo\n"), out);
        assertTrue(out.endsWith("verdict\talert\tattack\n"), out);
    }

    @Test
    void explainAndTestTakeANonAsciiArgumentAsTheBytesTypedInAUtf8Locale() throws IOException {
        Path rules = tree();
        Files.write(rules.resolve("violations.d/cafe"), "caf\u00e9 ouvert\n".getBytes(StandardCharsets.UTF_8));
        Path log = dir.resolve("log");
        Files.write(log, "le caf\u00e9 ouvert\n".getBytes(StandardCharsets.UTF_8));

        String explained = run("logcheck", "--rules", rules.toString(), "--explain", "le caf\u00e9 ouvert");
        String utf8 = new String("caf\u00e9 ouvert".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        assertTrue(explained.contains("violations.d/cafe\t" + rules.resolve("violations.d/cafe") + ":1\t" + utf8 + "\n"),
                explained);
        assertTrue(explained.endsWith("verdict\tevent\tcafe\n"), explained);

        String tested = run("logcheck", "--test", "caf\u00e9", log.toString());
        assertTrue(tested.endsWith("match\tle " + utf8 + "\n"), tested);
    }

    @Test
    void testPrintsTheJavaTranslationAnExampleAndTheStrippedLinesOfTheFilesItMatches() throws IOException {
        Path log = dir.resolve("log");
        Files.writeString(log, "sshd[42]: Failed password for root  \n"
                + "sshd[x]: Failed password for root\n"
                + "sshd[7]: Failed password for a:b\n"
                + "sshd[7]: Failed password for bob\r\n");
        String out = run("logcheck", "--test", "^sshd\\[[[:digit:]]+\\]: Failed password for [[:alnum:]]+$",
                log.toString());
        String[] rows = out.split("\n");
        assertEquals(4, rows.length, out);
        assertTrue(rows[0].startsWith("java\t"), out);
        Pattern translated = Pattern.compile(rows[0].substring("java\t".length()));
        // the line Java's own reading of the POSIX classes would get wrong: ':' is not alnum
        assertFalse(translated.matcher("sshd[7]: Failed password for a:b").find(), rows[0]);
        assertTrue(rows[1].startsWith("example\t"), out);
        assertTrue(translated.matcher(rows[1].substring("example\t".length())).find(), out);
        assertEquals("match\tsshd[42]: Failed password for root", rows[2]);
        assertEquals("match\tsshd[7]: Failed password for bob", rows[3]);
    }

    @Test
    void testRefusesAnInvalidPatternWithExitTwoAndTheReason() {
        CommandRun r = execute("logcheck", "--test", "[[:nope:]]");
        assertEquals(2, r.status(), "an error, not a result");
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("vigil logcheck: invalid pattern: "), r.err());
        assertTrue(r.err().contains("Invalid character class name"), r.err());
    }

    @Test
    void sortUniqueDropsRepeatedLinesInTsvAndReport() throws IOException {
        Path rules = tree();
        Path log = dir.resolve("log");
        Files.writeString(log, "b other\nc attack\nb other\nc attack\na other\n");
        assertEquals("system\t-\tb other\nalert\tattack\tc attack\nsystem\t-\tb other\n"
                        + "alert\tattack\tc attack\nsystem\t-\ta other\n",
                run("logcheck", "--rules", rules.toString(), log.toString()));
        assertEquals("system\t-\tb other\nalert\tattack\tc attack\nsystem\t-\ta other\n",
                run("logcheck", "--rules", rules.toString(), "--sort-unique", log.toString()));
        assertEquals("Security Alerts for attack\n=-=-=-=-=-=-=-=-=-=-=-=-=-\nc attack\n\n"
                        + "System Events\n=-=-=-=-=-=-=\na other\nb other\n\n",
                run("logcheck", "--rules", rules.toString(), "--sort-unique", "--format", "report", log.toString()));
    }

    @Test
    void crackingIgnoreLetsCrackingIgnoreFilesSilenceAlertsOnlyWhenGiven() throws IOException {
        Path rules = tree();
        Files.createDirectories(rules.resolve("cracking.ignore.d"));
        Files.writeString(rules.resolve("cracking.ignore.d/attack"), "attack tolerated\n");
        Path log = dir.resolve("log");
        Files.writeString(log, "attack tolerated\nreal attack\n");
        assertEquals("alert\tattack\tattack tolerated\nalert\tattack\treal attack\n",
                run("logcheck", "--rules", rules.toString(), log.toString()));
        assertEquals("ignored\t-\tattack tolerated\nalert\tattack\treal attack\n",
                run("logcheck", "--rules", rules.toString(), "--cracking-ignore", log.toString()));
    }

    @Test
    void unusedListsLocalRulesWithNoMatchInThatManyDaysFromTheDatabaseGiven() throws IOException {
        Path file = Files.createDirectories(dir.resolve("local/ignore.d.server")).resolve("app");
        Files.writeString(file, "used\nnever\n");
        Path dbFile = dir.resolve("vigil.db");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Rule used = new Rule(Category.IGNORE, "app", file, 1, "used");
        Rule never = new Rule(Category.IGNORE, "app", file, 2, "never");
        Database db = Database.open(dbFile);
        new RuleStatsStore(db, InstantSource.fixed(now.minus(Duration.ofDays(40)))).seen(List.of(used, never));
        new RuleStatsStore(db, InstantSource.fixed(now.minus(Duration.ofDays(3)))).record(Map.of(used, 2));
        assertEquals(file + ":2\t0\tnever\tnever\n", run("logcheck", "--unused", "30", "--db", dbFile.toString()));
        assertEquals(file + ":2\t0\tnever\tnever\n" + file + ":1\t2\t" + now.minus(Duration.ofDays(3)) + "\tused\n",
                run("logcheck", "--unused", "2", "--db", dbFile.toString()));
        assertEquals("", run("logcheck", "--unused", "60", "--db", dbFile.toString()));
    }
}
