package dev.vigil.logcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The starter tree shipped in {@code logrules/}: valid for GNU grep, and sorting typical lines sensibly. */
class StarterRulesTest {

    static final Path LOGRULES = Path.of("logrules");

    private static List<Verdict> classify(Level level, String... lines) {
        RuleTree tree = RuleTree.load(LOGRULES, level);
        return new Classifier(tree, new RuleMatcher(tree), false).classify(List.of(lines));
    }

    @Test
    void everyStarterRuleLoads() {
        RuleTree tree = RuleTree.load(LOGRULES, Level.WORKSTATION);
        RuleMatcher matcher = new RuleMatcher(tree);
        assertTrue(tree.problems().isEmpty(), () -> tree.problems().toString());
        assertTrue(matcher.problems().isEmpty(), () -> matcher.problems().toString());
        assertTrue(matcher.ruleCount() > 30, "rules loaded: " + matcher.ruleCount());
    }

    @Test
    void routineLinesAreIgnoredAndSecurityLinesReported() {
        List<Verdict> v = classify(Level.SERVER,
                "Nov 22 01:00:01 web1 sshd[42]: Accepted publickey for alice from 192.0.2.7 port 50022 ssh2: ED25519 SHA256:abc",
                "Nov 22 01:00:02 web1 CRON[43]: (root) CMD (run-parts --report /etc/cron.hourly)",
                "Nov 22 01:00:03 web1 crontab[44]: (alice) REPLACE (alice)",
                "Nov 22 01:00:03 web1 crontab[44]: (alice) REPLACE (bob)",
                "Nov 22 01:00:04 web1 sudo:    alice : TTY=pts/0 ; PWD=/root ; USER=root ; COMMAND=/usr/bin/id",
                "Nov 22 01:00:05 web1 sudo: pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)",
                "Nov 22 01:00:06 web1 sshd[45]: Failed password for root from 203.0.113.9 port 4242 ssh2",
                "Nov 22 01:00:07 web1 sshd[46]: error: maximum authentication attempts exceeded for root from 203.0.113.9 port 4243 ssh2 [preauth]",
                "2026-11-22T01:00:08.123456+00:00 web1 systemd[1]: Started Session 3 of User alice.",
                "Nov 22 01:00:09 web1 systemd[1]: nginx.service: Failed with result 'exit-code'.",
                "Nov 22 01:00:10 web1 useradd[47]: new user: name=mallory, UID=1005, GID=1005, home=/home/mallory, shell=/bin/bash");
        assertEquals(List.of(Section.IGNORED, Section.IGNORED, Section.IGNORED, Section.SYSTEM, Section.EVENT,
                        Section.IGNORED, Section.EVENT, Section.ALERT, Section.IGNORED, Section.SYSTEM, Section.EVENT),
                v.stream().map(Verdict::section).toList());
        assertEquals(List.of("vigil-sshd"), v.get(7).subsections());
        assertEquals(List.of("vigil-accounts"), v.get(10).subsections());
    }

    @Test
    void cronCommandsShowOnlyAtParanoidLevel() {
        String cron = "Nov 22 01:00:02 web1 CRON[43]: (root) CMD (run-parts --report /etc/cron.hourly)";
        assertEquals(Section.SYSTEM, classify(Level.PARANOID, cron).get(0).section());
        assertEquals(Section.IGNORED, classify(Level.SERVER, cron).get(0).section());
    }

    @Test
    void everyStarterPatternMatchesLikeGnuGrep(@TempDir Path dir) throws IOException {
        Assumptions.assumeTrue(GnuGrep.available(), "GNU grep is the reference and is not installed");
        List<Rule> rules = RuleTree.load(LOGRULES, Level.WORKSTATION).allRules();
        List<String> lines = new ArrayList<>(DebianTreeTest.corpus());
        rules.forEach(r -> lines.add(GnuEre.parse(r.pattern()).example()));
        List<String> stripped = lines.stream().map(Classifier::strip).toList();
        Path file = GnuGrep.writeLines(dir.resolve("lines.txt"), stripped);
        List<String> wrong = new ArrayList<>();
        for (Rule rule : rules) {
            Pattern p = Pattern.compile(GnuEre.toJava(rule.pattern()), GnuEre.FLAGS);
            TreeSet<Integer> ours = new TreeSet<>();
            for (int i = 0; i < stripped.size(); i++) {
                if (p.matcher(stripped.get(i)).find()) {
                    ours.add(i);
                }
            }
            GnuGrep.Result grep = GnuGrep.matchingLines(dir, rule.pattern(), file);
            if (grep.error() || !ours.equals(grep.lines()) || ours.isEmpty()) {
                wrong.add(rule.location() + ": grep " + grep.lines() + grep.stderr() + " vigil " + ours);
            }
        }
        assertTrue(wrong.isEmpty(), () -> String.join("\n", wrong));
    }
}
