package dev.vigil.cli;

import dev.vigil.alert.Finding;
import dev.vigil.alert.Severity;
import dev.vigil.alert.Source;
import dev.vigil.store.Database;
import dev.vigil.store.EventLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static dev.vigil.cli.CommandRun.vigil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A mistake on the command line (a path, rule tree, log, level, source, kind or time that is wrong) fails loudly:
 * one line on standard error naming the thing and what is allowed, nothing on standard output, exit 2.
 */
class LoudFailuresTest {

    @TempDir
    Path dir;

    private static void assertRefused(CommandRun run, String line) {
        assertEquals(2, run.status(), run.toString());
        assertEquals("vigil: " + line + "\n", run.err(), run.toString());
        assertEquals("", run.out(), run.toString());
    }

    /** A baselined tree of one file; returns the database. */
    private String baselined(Path tree) throws Exception {
        Files.createDirectory(tree);
        Files.writeString(tree.resolve("hosts"), "127.0.0.1 localhost\n");
        String db = dir.resolve("v.db").toString();
        assertEquals(0, vigil("baseline", "--db", db, tree.toString()).status());
        return db;
    }

    @Test
    void checkBaselineAndAcceptOfAPathThatDoesNotExistFailNamingIt() throws Exception {
        String db = baselined(dir.resolve("etc"));
        Path typo = dir.resolve("ect");
        assertRefused(vigil("check", "--db", db, typo.toString()), typo + ": no such file or directory, and not in the baseline");
        assertRefused(vigil("baseline", "--db", db, typo.toString()), typo + ": no such file or directory");
        assertRefused(vigil("accept", "--db", db, typo.toString()), typo + ": no such file or directory, and not in the baseline");
    }

    @Test
    void checkOfAPathOutsideTheBaselineSaysSoAndSuggestsBaselineInsteadOfListingItAsAdded() throws Exception {
        Path etc = dir.resolve("etc");
        String db = baselined(etc);
        Path other = Files.createDirectory(dir.resolve("tmp"));
        Files.writeString(other.resolve("scratch"), "x\n");
        String expected = other + " is not in the baseline (baselined: " + etc + "); take it in with: vigil baseline " + other;
        assertRefused(vigil("check", "--db", db, other.toString()), expected);
        assertRefused(vigil("accept", "--db", db, other.toString()), expected);
    }

    @Test
    void aPathDeletedSinceTheBaselineIsADifferenceNotAnError() throws Exception {
        Path etc = dir.resolve("etc");
        String db = baselined(etc);
        Files.delete(etc.resolve("hosts"));

        CommandRun check = vigil("check", "--db", db, etc.resolve("hosts").toString());
        assertEquals(1, check.status(), check.toString());
        assertTrue(check.out().contains("DELETED    " + etc.resolve("hosts")), check.toString());
        CommandRun accept = vigil("accept", "--db", db, etc.resolve("hosts").toString());
        assertEquals(0, accept.status(), accept.toString());
        assertFalse(vigil("check", "--db", db).out().contains("hosts"), "accepted: gone from the baseline too");
    }

    @Test
    void logcheckWithARulesDirectoryThatIsMissingOrHoldsNoRuleFileFails() throws Exception {
        Path log = Files.writeString(dir.resolve("syslog"), "Dec  4 10:00:00 h sshd[1]: hello\n");
        Path missing = dir.resolve("nonexistent");
        assertRefused(vigil("logcheck", "--rules", missing.toString(), log.toString()), "--rules " + missing + ": no such directory");

        Path empty = Files.createDirectories(dir.resolve("rules/ignore.d.workstation"));
        Files.writeString(empty.resolve("notes.txt"), "not a rule file: run-parts skips names with a dot\n");
        assertRefused(vigil("logcheck", "--rules", empty.getParent().toString(), log.toString()),
                "--rules " + empty.getParent() + ": no rule file for level server in cracking.d, cracking.ignore.d,"
                        + " violations.d, violations.ignore.d, ignore.d.server, ignore.d.paranoid");
    }

    /** A rule tree with one rule file, for the tests about the other arguments. */
    private Path rules() throws Exception {
        Path root = Files.createDirectories(dir.resolve("rules/ignore.d.server"));
        Files.writeString(root.resolve("sshd"), "sshd\\[[0-9]+\\]: hello$\n");
        return root.getParent();
    }

    @Test
    void logcheckOfALogThatDoesNotExistOrCannotBeReadFailsNamingIt() throws Exception {
        Path rules = rules();
        Path missing = dir.resolve("nonexist.log");
        assertRefused(vigil("logcheck", "--rules", rules.toString(), missing.toString()), missing + ": no such file or directory");
        assertRefused(vigil("logcheck", "--rules", rules.toString(), dir.toString()), dir + ": is a directory");
    }

    @Test
    void logcheckWithAnUnknownLevelNamesTheLevels() throws Exception {
        Path log = Files.writeString(dir.resolve("syslog"), "x\n");
        assertRefused(vigil("logcheck", "--rules", rules().toString(), "--level", "serverr", log.toString()),
                "Invalid value for option '--level': expected one of [PARANOID, SERVER, WORKSTATION] (case-insensitive)"
                        + " but was 'serverr'");
        CommandRun known = vigil("logcheck", "--rules", rules().toString(), "--level", "Workstation", log.toString());
        assertEquals(0, known.status(), known.toString());
    }

    @Test
    void eventsWithAnUnknownSourceKindOrTimeNamesWhatIsAllowed() {
        String db = dir.resolve("v.db").toString();
        assertRefused(vigil("events", "--db", db, "--source", "file"),
                "Invalid value for option '--source': unknown source 'file': files, logs, pids or fleet");
        CommandRun kind = vigil("events", "--db", db, "--kind", "MODIFIED,ADDDED");
        assertEquals(2, kind.status(), kind.toString());
        assertTrue(kind.err().startsWith("vigil: Invalid value for option '--kind' (K): unknown kind 'ADDDED': one of ACCEPTED, ADDED, ATTRIBUTES,"),
                kind.toString());
        assertTrue(kind.err().contains(" DIED, ") && kind.err().contains(" SECURITY_ALERT, ") && kind.err().contains(" UNWATCHED, "),
                "the kinds of every source: " + kind);
        assertEquals(1, kind.err().lines().count(), kind.toString());
        assertRefused(vigil("events", "--db", db, "--since", "yesterdy"), "Invalid value for option '--since': 'yesterdy'"
                + " is not a time: use " + TimeArgument.FORMS);
    }

    @Test
    void eventsSinceYesterdayAreTodaysAndYesterdaysAndAgesAndIsoDatesWorkToo() {
        Path db = dir.resolve("v.db");
        EventLog log = new EventLog(Database.open(db));
        Instant now = Instant.now();
        // yesterday's midnight lies between 48 and 24 hours ago (give or take a daylight saving hour)
        List<String> subjects = List.of("/etc/two-days-ago", "/etc/three-hours-ago", "/etc/now");
        List<Instant> times = List.of(now.minus(Duration.ofHours(50)), now.minus(Duration.ofHours(3)), now);
        for (int i = 0; i < subjects.size(); i++) {
            log.record(new Finding(Source.FILES, "MODIFIED", subjects.get(i), "h", times.get(i), Severity.WARNING, Map.of()));
        }

        CommandRun since = vigil("events", "--db", db.toString(), "--since", "yesterday");
        assertEquals(0, since.status(), since.toString());
        assertEquals(List.of("/etc/three-hours-ago", "/etc/now"), subjects(since));

        assertEquals(List.of("/etc/now"), subjects(vigil("events", "--db", db.toString(), "--since", "2h")));
        assertEquals(List.of("/etc/two-days-ago"), subjects(vigil("events", "--db", db.toString(),
                "--until", LocalDateTime.ofInstant(now.minus(Duration.ofHours(49)), ZoneId.systemDefault()).toString().substring(0, 16))));
        assertEquals(List.of("/etc/two-days-ago", "/etc/three-hours-ago", "/etc/now"),
                subjects(vigil("events", "--db", db.toString(), "--since", "2000-01-01", "--until", "now")));
    }

    private static List<String> subjects(CommandRun run) {
        return run.out().lines().map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList();
    }
}
