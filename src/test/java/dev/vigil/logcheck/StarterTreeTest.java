package dev.vigil.logcheck;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The starter tree shipped in {@code logrules/}: it loads cleanly and puts typical lines where a reader expects. */
class StarterTreeTest {

    static final Path TREE = Path.of("logrules");

    @TempDir
    Path dir;

    /** Realistic lines, each with where it belongs at level server: SECTION or SECTION:subsection. */
    static final List<String[]> LINES = List.of(
            l("Nov 22 01:00:01 web sshd[812]: Accepted publickey for alice from 192.0.2.10 port 50122 ssh2: ED25519 SHA256:Zm9vYmFyYmF6cXV4", "ignored"),
            l("Nov 22 01:00:01 web sshd[812]: pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)", "ignored"),
            l("2026-11-22T01:00:02.123456+00:00 web sshd[813]: Failed password for root from 203.0.113.5 port 40022 ssh2", "event:sshd"),
            l("Nov 22 01:00:03 web sshd[814]: Invalid user admin from 203.0.113.5 port 40100", "event:sshd"),
            l("Nov 22 01:00:03 web sshd[814]: Failed publickey for alice from 192.0.2.10 port 50122 ssh2: RSA SHA256:YWJjZGVmZ2hpams", "ignored"),
            l("Nov 22 01:00:04 web sshd[815]: Address 198.51.100.7 maps to evil.example, but this does not map back to the address - POSSIBLE BREAK-IN ATTEMPT!", "alert:sshd"),
            l("Nov 22 01:00:05 web sshd[816]: error: maximum authentication attempts exceeded for root from 203.0.113.5 port 40200 ssh2 [preauth]", "alert:sshd"),
            l("Nov 22 01:00:06 web sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/apt update", "event:sudo"),
            l("Nov 22 01:00:06 web sudo: pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)", "ignored"),
            l("Nov 22 01:00:07 web sudo:      bob : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/sh", "event:sudo"),
            l("Nov 22 01:00:08 web su[900]: (to root) alice on pts/0", "event:su"),
            l("Nov 22 01:00:08 web su[900]: pam_unix(su-l:session): session opened for user root(uid=0) by alice(uid=1000)", "ignored"),
            l("Nov 22 01:00:09 web useradd[950]: new user: name=eve, UID=1001, GID=1001, home=/home/eve, shell=/bin/bash, from=/dev/pts/0", "event:accounts"),
            l("Nov 22 01:17:01 web CRON[1001]: (root) CMD (   cd / && run-parts --report /etc/cron.hourly)", "ignored"),
            l("Nov 22 01:17:01 web CRON[1001]: pam_unix(cron:session): session closed for user root", "ignored"),
            l("Nov 22 01:20:00 web systemd[1]: Starting apt-daily.service - Daily apt download activities...", "ignored"),
            l("Nov 22 01:20:01 web systemd[1]: apt-daily.service: Deactivated successfully.", "ignored"),
            l("Nov 22 01:20:02 web systemd[1]: Failed to start nginx.service - A high performance web server.", "system"),
            l("Nov 22 01:20:03 web systemd-logind[500]: New session 42 of user alice.", "ignored"),
            l("Nov 22 01:21:00 web kernel: [12345.678901] nginx[2000]: segfault at 0 ip 000055d0 sp 00007ffc error 4", "system"),
            l("Nov 22 01:21:01 web kernel: [12346.000001] audit: type=1400 audit(1700000000.123:55): apparmor=\"DENIED\" operation=\"open\" profile=\"/usr/sbin/ntpd\" name=\"/etc/shadow\"", "event:kernel"),
            l("Nov 22 01:21:02 web kernel: [12347.000001] TCP: request_sock_TCP: Possible SYN flooding on port 80. Sending cookies.", "alert:kernel"),
            l("2026-11-22 01:22:00 status half-configured openssh-server:amd64 1:9.2p1-2", "ignored"),
            l("2026-11-22 01:22:00 upgrade openssh-server:amd64 1:9.2p1-2 1:9.2p1-2+deb12u3", "system"),
            l("Nov 22 01:23:00 web rsyslogd: [origin software=\"rsyslogd\" swVersion=\"8.2302.0\" x-pid=\"400\" x-info=\"https://www.rsyslog.com\"] rsyslogd was HUPed", "ignored"),
            l("Nov 22 01:24:00 web NetworkManager[600]: <info>  [1700000000.1234] device (wlan0): state change", "system"));

    private static String[] l(String line, String expected) {
        return new String[] {line, expected};
    }

    private static String label(Verdict v) {
        return v.subsections().isEmpty() ? v.section().label() : v.section().label() + ":" + String.join(",", v.subsections());
    }

    @Test
    void everyFileOfTheStarterTreeLoadsWithoutAProblemAtEveryLevel() throws IOException {
        long filesOnDisk;
        try (Stream<Path> s = Files.walk(TREE)) {
            filesOnDisk = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".md")).count();
        }
        RuleTree tree = RuleTree.load(TREE, Level.WORKSTATION);
        RuleMatcher matcher = new RuleMatcher(tree, GrepLocale.C);
        assertEquals(List.of(), tree.problems());
        assertEquals(List.of(), matcher.problems());
        long filesLoaded = 0;
        for (Category c : Category.values()) {
            filesLoaded += tree.files(c).size();
        }
        assertEquals(filesOnDisk, filesLoaded, "every file has a name logcheck reads");
        assertTrue(matcher.ruleCount() > 40, "rules loaded: " + matcher.ruleCount());
    }

    @Test
    void typicalLinesLandInTheExpectedSectionsAtLevelServer() {
        RuleTree tree = RuleTree.load(TREE, Level.SERVER);
        List<Verdict> verdicts = new Classifier(tree, new RuleMatcher(tree, GrepLocale.C), false)
                .classify(LINES.stream().map(x -> x[0]).toList());
        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        for (int i = 0; i < LINES.size(); i++) {
            expected.add(LINES.get(i)[1] + "  " + LINES.get(i)[0]);
            actual.add(label(verdicts.get(i)) + "  " + LINES.get(i)[0]);
        }
        assertEquals(expected, actual);
    }

    @Test
    void theParanoidLevelShowsTheLoginsTheServerLevelLeavesOut() {
        RuleTree tree = RuleTree.load(TREE, Level.PARANOID);
        Verdict v = new Classifier(tree, new RuleMatcher(tree, GrepLocale.C), false).classify(List.of(LINES.get(0)[0])).get(0);
        assertEquals(Section.SYSTEM, v.section());
    }

    @Test
    void theRealLogcheckReportsTheSampleExactlyAsVigilDoesAtEveryLevel() throws IOException {
        String why = RealLogcheck.unavailable();
        Assumptions.assumeTrue(why == null, why);
        List<String> log = LINES.stream().map(x -> x[0]).toList();
        for (Level level : Level.values()) {
            RuleTree tree = RuleTree.load(TREE.toAbsolutePath(), level);
            String ours = LogcheckReport.render(new Classifier(tree, new RuleMatcher(tree, GrepLocale.C), false)
                    .classify(LogcheckReport.sortLikeLogcheck(log, false)), null, null);
            RealLogcheck.openUp(dir);
            Path work = Files.createTempDirectory(dir, "logcheck");
            Path rules = work.resolve("rules");
            copyTree(TREE, rules);
            RealLogcheck.openUp(work);
            assertEquals(RealLogcheck.report(work, rules, log, level, false, false, "C"), ours, level.name());
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }
}
