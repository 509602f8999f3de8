package dev.vigil.pid;

import dev.vigil.alert.Source;
import dev.vigil.alert.Finding;
import dev.vigil.alert.Severity;
import dev.vigil.os.PathBytes;
import dev.vigil.store.Database;
import dev.vigil.store.PidStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PidCheckerTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T03:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final RealProcesses processes = new RealProcesses();
    private Map<String, PidState> state = new HashMap<>();

    @AfterEach
    void stopProcesses() throws InterruptedException {
        processes.close();
    }

    private PidChecker checker(String files) {
        return checker(new PidOptions(null, PidOptions.list(files), null, null, null, null));
    }

    private static PidChecker checker(PidOptions options) {
        return new PidChecker(options, "testhost", CLOCK);
    }

    /** Runs one check, keeps its state for the next, and returns its findings. */
    private List<Finding> check(PidChecker checker) {
        PidChecker.PidCheck result = checker.check(state);
        state = result.state();
        return result.findings();
    }

    private static List<String> kinds(List<Finding> findings) {
        return findings.stream().map(Finding::kind).toList();
    }

    @Test
    void healthyProcessIsRememberedWithoutAFinding() throws Exception {
        Path pidFile = dir.resolve("svc.pid");
        Process p = processes.daemon(pidFile);

        List<Finding> findings = check(checker(pidFile.toString()));

        assertEquals(List.of(), findings);
        ProcessInfo seen = state.get(pidFile.toString()).process();
        assertEquals(p.pid(), seen.pid());
        assertEquals("sleep", seen.command());
        assertEquals("/usr/bin/sleep", seen.exe());
        assertEquals((int) Files.getAttribute(Path.of("/proc/" + p.pid()), "unix:uid"), seen.uid());
        assertEquals(System.getProperty("user.name"), seen.user());
        assertEquals(p.info().startInstant().orElseThrow().getEpochSecond(), seen.started().getEpochSecond(), 1.0);
    }

    @Test
    void checkOfAnUnchangedProcessHasNothingToSave() throws Exception {
        Path pidFile = dir.resolve("svc.pid");
        processes.daemon(pidFile);
        PidChecker checker = checker(pidFile.toString());
        assertEquals(List.of(pidFile.toString()), List.copyOf(checker.check(state).changed().keySet()));
        check(checker);

        PidChecker.PidCheck again = checker.check(state);

        assertEquals(Map.of(), again.changed());
        assertEquals(Set.of(), again.removed());
    }

    @Test
    void killedProcessIsReportedDiedOnceWithTheProcessItWas() throws Exception {
        Path pidFile = dir.resolve("svc.pid");
        Process p = processes.daemon(pidFile);
        PidChecker checker = checker(pidFile.toString());
        check(checker);

        RealProcesses.kill(p);
        List<Finding> died = check(checker);

        assertEquals(List.of("DIED"), kinds(died));
        Finding f = died.get(0);
        assertEquals(Source.PIDS, f.source());
        assertEquals(pidFile.toString(), f.subject());
        assertEquals("testhost", f.host());
        assertEquals(Severity.WARNING, f.severity());
        assertEquals((int) p.pid(), f.details().get("before.pid"));
        assertEquals("sleep", f.details().get("before.command"));
        assertEquals("/usr/bin/sleep", f.details().get("before.exe"));
        assertTrue(f.details().containsKey("before.user"));
        assertTrue(f.details().containsKey("before.started"));
        assertEquals(pidFile.toString(), f.details().get("pidFile"));
        assertEquals(List.of(), check(checker), "a process that stays dead is reported once");
    }

    @Test
    void processStartedAgainAfterDyingIsRestartedThenRecovered() throws Exception {
        Path pidFile = dir.resolve("svc.pid");
        Process first = processes.daemon(pidFile);
        PidChecker checker = checker(pidFile.toString());
        check(checker);
        RealProcesses.kill(first);
        List<Finding> died = check(checker);
        assertEquals(List.of("DIED"), kinds(died));

        Process second = processes.daemon(pidFile);
        List<Finding> back = check(checker);

        assertEquals(List.of("RESTARTED", "RECOVERED"), kinds(back));
        Finding restarted = back.get(0);
        assertEquals((int) first.pid(), restarted.details().get("before.pid"));
        assertEquals((int) second.pid(), restarted.details().get("after.pid"));
        // Start times have the kernel's clock-tick resolution (10 ms): two processes started in one tick share
        // one, so the test checks where each side's time came from rather than that they differ.
        assertEquals(died.get(0).details().get("before.started"), restarted.details().get("before.started"));
        assertNotNull(restarted.details().get("after.started"));
        assertEquals("DIED", back.get(1).details().get("problem"));
        assertEquals(List.of(), check(checker));
    }

    @Test
    void processReplacedBetweenChecksIsRestartedWithoutRecovery() throws Exception {
        Path pidFile = dir.resolve("svc.pid");
        Process first = processes.daemon(pidFile);
        PidChecker checker = checker(pidFile.toString());
        check(checker);

        RealProcesses.kill(first);
        processes.daemon(pidFile);

        assertEquals(List.of("RESTARTED"), kinds(check(checker)));
    }

    @Test
    void pidFilePointedAtAnotherProgramAfterItsServiceDiedIsReplacedNotRestarted() throws Exception {
        Path pidFile = dir.resolve("svc.pid");
        Process first = processes.daemon(pidFile);
        PidChecker checker = checker(pidFile.toString());
        check(checker);
        RealProcesses.kill(first);
        assertEquals(List.of("DIED"), kinds(check(checker)));

        Process other = processes.start("sh", "-c", "echo $$ > \"$0\"; exec tail -f /dev/null", pidFile.toString());
        RealProcesses.await(() -> "/usr/bin/tail".equals(RealProcesses.exe(other.pid())) && pidIn(pidFile) == other.pid(),
                "the other program");
        List<Finding> back = check(checker);

        assertEquals(List.of("REPLACED", "RECOVERED"), kinds(back));
        Finding replaced = back.get(0);
        assertEquals(Severity.WARNING, replaced.severity());
        assertEquals((int) first.pid(), replaced.details().get("before.pid"));
        assertEquals("/usr/bin/sleep", replaced.details().get("before.exe"));
        assertEquals((int) other.pid(), replaced.details().get("after.pid"));
        assertEquals("/usr/bin/tail", replaced.details().get("after.exe"));
        assertEquals(List.of(), check(checker));
    }

    /**
     * A copy of sleep named {@code name} (a required command nothing else on the machine runs) that the user nobody
     * may run too; the test is skipped without root, which starting a process as nobody needs.
     */
    private Path programForAnyUser(String name) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "starting a process as nobody needs root");
        Path program = dir.resolve(name);
        Files.copy(Path.of("/usr/bin/sleep"), program);
        program.toFile().setExecutable(true, false);
        dir.toFile().setExecutable(true, false);
        return program;
    }

    /**
     * Anyone may start a copy of a service's program (sshd runs as any user): the copy of a user left when the
     * service died is no restart, but a replacement naming the user, for a PID file and a required command alike.
     */
    @Test
    void theSameProgramStartedAgainAsAnotherUserIsReplacedNotRestarted() throws Exception {
        Path program = programForAnyUser("vigil-user-test");
        Path pidFile = dir.resolve("svc.pid");
        PidChecker checker = checker(new PidOptions(null, List.of(pidFile.toString()), null, null,
                List.of("vigil-user-test"), null));
        Process first = processes.start("sh", "-c", "echo $$ > \"$0\"; exec \"$1\" 60", pidFile.toString(), program.toString());
        RealProcesses.await(() -> program.toString().equals(RealProcesses.exe(first.pid())) && pidIn(pidFile) == first.pid(),
                "the service");
        assertEquals(List.of(), check(checker));

        RealProcesses.kill(first);
        Process copy = processes.start("sh", "-c", "echo $$ > \"$0\"; exec setpriv --reuid=65534 --regid=65534 "
                + "--clear-groups \"$1\" 60", pidFile.toString(), program.toString());
        RealProcesses.await(() -> program.toString().equals(RealProcesses.exe(copy.pid())) && pidIn(pidFile) == copy.pid(),
                "the user's copy");
        List<Finding> findings = check(checker);

        assertEquals(List.of("REPLACED", "REPLACED"), kinds(findings));
        for (Finding replaced : findings) {
            assertEquals(Severity.WARNING, replaced.severity());
            assertEquals(0, replaced.details().get("before.uid"));
            assertEquals(65534, replaced.details().get("after.uid"));
            assertEquals((int) copy.pid(), replaced.details().get("after.pid"));
            String message = (String) replaced.details().get("message");
            assertTrue(message.contains(" now runs as " + replaced.details().get("after.user") + " instead of root"), message);
        }
        assertEquals(List.of(pidFile.toString(), "process:vigil-user-test"), findings.stream().map(Finding::subject).toList());
        assertEquals(List.of(), check(checker));
    }

    /**
     * A service's workers of another user outlive its stop (apache2's graceful stop): the required command's new
     * main process, of the user it ran as, stands for it, younger than they are. A restart, not a replacement.
     */
    @Test
    void aRequiredCommandsWorkersOfAnotherUserDoNotStandForItsNewMainProcess() throws Exception {
        Path program = programForAnyUser("vigil-workers-test");
        PidChecker checker = checker(new PidOptions(null, List.of(), null, null, List.of("vigil-workers-test"), null));
        Process main = processes.start(program.toString(), "60");
        RealProcesses.await(() -> program.toString().equals(RealProcesses.exe(main.pid())), "the main process");
        Process worker = processes.start("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", program.toString(), "60");
        RealProcesses.await(() -> program.toString().equals(RealProcesses.exe(worker.pid())), "its worker");
        assertEquals(List.of(), check(checker));
        assertEquals(main.pid(), state.get("process:vigil-workers-test").process().pid());

        RealProcesses.kill(main);
        Process again = processes.start(program.toString(), "60");
        RealProcesses.await(() -> program.toString().equals(RealProcesses.exe(again.pid())), "the new main process");
        List<Finding> findings = check(checker);

        assertEquals(List.of("RESTARTED"), kinds(findings));
        assertEquals((int) again.pid(), findings.get(0).details().get("after.pid"));
        assertEquals(0, findings.get(0).details().get("after.uid"));
    }

    @Test
    void samePidWithAnotherStartTimeIsARestartThroughPidReuse() throws Exception {
        Path pidFile = dir.resolve("svc.pid");
        processes.daemon(pidFile);
        PidChecker checker = checker(pidFile.toString());
        check(checker);
        // What a check would have remembered of an earlier process that had the same PID.
        PidState seen = state.get(pidFile.toString());
        ProcessInfo now = seen.process();
        ProcessInfo earlier = new ProcessInfo(now.pid(), now.command(), now.startTicks() - 500,
                now.started().minusSeconds(5), now.exe(), now.uid(), now.user());
        state = Map.of(seen.subject(), new PidState(seen.subject(), null, null, seen.bootId(), earlier));

        List<Finding> findings = check(checker);

        assertEquals(List.of("RESTARTED"), kinds(findings));
        assertEquals(findings.get(0).details().get("before.pid"), findings.get(0).details().get("after.pid"));
    }

    @Test
    void sameProcessSeenInAnotherBootIsARestart() throws Exception {
        Path pidFile = dir.resolve("svc.pid");
        processes.daemon(pidFile);
        PidChecker checker = checker(pidFile.toString());
        check(checker);
        PidState seen = state.get(pidFile.toString());
        state = Map.of(seen.subject(), new PidState(seen.subject(), null, null, "another-boot", seen.process()));

        assertEquals(List.of("RESTARTED"), kinds(check(checker)));
    }

    @Test
    void childItsParentDoesNotReapIsReportedZombie() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        // The shell starts a short sleep, writes its PID, then becomes a long sleep that never calls wait().
        processes.start("sh", "-c", "sleep 0.2 & echo $! > \"$0\"; exec sleep 60", pidFile.toString());
        RealProcesses.await(() -> Files.exists(pidFile) && pidIn(pidFile) > 0 && RealProcesses.state(pidIn(pidFile)) == 'Z',
                "the child to become a zombie");

        List<Finding> findings = check(checker(pidFile.toString()));

        assertEquals(List.of("ZOMBIE"), kinds(findings));
        assertEquals(pidIn(pidFile), findings.get(0).details().get("after.pid"));
        assertEquals("sleep", findings.get(0).details().get("after.command"));
    }

    @Test
    void pidFileRewrittenWithGarbageIsInvalidNamingTheFileThenRecovers() throws Exception {
        Path pidFile = dir.resolve("svc.pid");
        Process p = processes.daemon(pidFile);
        PidChecker checker = checker(pidFile.toString());
        check(checker);

        Files.writeString(pidFile, "oops\n");
        List<Finding> invalid = check(checker);

        assertEquals(List.of("INVALID"), kinds(invalid));
        Finding f = invalid.get(0);
        assertEquals(pidFile.toString(), f.subject());
        assertEquals("not a number", f.details().get("reason"));
        assertEquals("oops\\n", f.details().get("contents"));
        assertTrue(((String) f.details().get("message")).contains(pidFile.toString()));

        Files.writeString(pidFile, p.pid() + "\n");
        assertEquals(List.of("RECOVERED"), kinds(check(checker)), "the same process again is no restart");
    }

    /**
     * A service's account may write its PID file's directory: a PID file it replaces by a link to a secret is not read
     * through the link (its bytes would be in the finding), nor is a FIFO opened (the open would block the source).
     */
    @Test
    void aPidFileReplacedByASymlinkOrAFifoIsInvalidWithoutBeingReadOrBlocking() throws Exception {
        Path secret = Files.writeString(dir.resolve("shadow"), "root:$6$salt$secret-hash:19000:0:99999:7:::\n");
        Path linked = dir.resolve("linked.pid");
        Path fifo = dir.resolve("fifo.pid");
        Process p = processes.daemon(linked);
        processes.daemon(fifo);
        PidChecker checker = checker(linked + "," + fifo);
        assertEquals(List.of(), check(checker));

        Files.delete(linked);
        Files.createSymbolicLink(linked, secret);
        Files.delete(fifo);
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        List<Finding> findings = check(checker);

        assertEquals(List.of("INVALID", "INVALID"), kinds(findings));
        for (Finding f : findings) {
            assertTrue(((String) f.details().get("reason")).startsWith("unreadable: "), f.toString());
            String shown = f.details().toString();
            assertTrue(!shown.contains("secret-hash") && !shown.contains("root:"), shown);
        }
        Files.delete(linked);
        Files.writeString(linked, p.pid() + "\n");
        assertEquals(List.of("RECOVERED"), kinds(check(checker)), "the FIFO stays invalid, said once");
    }

    @Test
    void everyKindOfBadContentIsAFindingNotAnException() throws Exception {
        Map<String, byte[]> bad = new HashMap<>();
        bad.put("empty.pid", new byte[0]);
        bad.put("blank.pid", " \n".getBytes(StandardCharsets.US_ASCII));
        bad.put("garbage.pid", "12ab\n".getBytes(StandardCharsets.US_ASCII));
        bad.put("negative.pid", "-42\n".getBytes(StandardCharsets.US_ASCII));
        bad.put("zero.pid", "0\n".getBytes(StandardCharsets.US_ASCII));
        bad.put("huge.pid", "99999999999999999999999999\n".getBytes(StandardCharsets.US_ASCII));
        bad.put("overmax.pid", "4194305\n".getBytes(StandardCharsets.US_ASCII));
        bad.put("binary.pid", new byte[] {(byte) 0xff, 0, 7, '\n'});
        for (Map.Entry<String, byte[]> e : bad.entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }

        List<Finding> findings = check(checker(dir.toString()));

        assertEquals(bad.size(), findings.size());
        for (Finding f : findings) {
            assertEquals("INVALID", f.kind(), f.toString());
            assertTrue(bad.containsKey(Path.of(f.subject()).getFileName().toString()), f.subject());
            assertTrue(f.details().containsKey("reason"), f.toString());
        }
    }

    @Test
    void processThatExecsAnotherProgramUnderItsPidIsReplaced() throws Exception {
        Path pidFile = dir.resolve("svc.pid");
        Process p = processes.start("sh", "-c", "echo $$ > \"$0\"; read line; exec sleep 60", pidFile.toString());
        RealProcesses.await(() -> Files.exists(pidFile) && pidIn(pidFile) == p.pid(), "the PID file");
        PidChecker checker = checker(pidFile.toString());
        check(checker);
        String shell = state.get(pidFile.toString()).process().exe();

        try (OutputStream in = p.getOutputStream()) {
            in.write("go\n".getBytes(StandardCharsets.US_ASCII));
        }
        RealProcesses.await(() -> "/usr/bin/sleep".equals(RealProcesses.exe(p.pid())), "the exec");
        List<Finding> findings = check(checker);

        assertEquals(List.of("REPLACED"), kinds(findings));
        assertEquals(shell, findings.get(0).details().get("before.exe"));
        assertEquals("/usr/bin/sleep", findings.get(0).details().get("after.exe"));
        assertEquals((int) p.pid(), findings.get(0).details().get("after.pid"));
    }

    @Test
    void executableOtherThanExpectedIsACriticalFindingAtTheFirstCheck() throws Exception {
        Path wrong = dir.resolve("sshd.pid");
        Path right = dir.resolve("timer.pid");
        processes.daemon(wrong);
        processes.daemon(right);
        PidChecker checker = checker(new PidOptions(null, List.of(dir.toString()), null,
                Map.of("sshd", "/usr/sbin/sshd", right.toString(), "/usr/bin/sleep"), null, null));

        List<Finding> findings = check(checker);

        assertEquals(List.of("UNEXPECTED_EXE"), kinds(findings));
        Finding f = findings.get(0);
        assertEquals(wrong.toString(), f.subject());
        assertEquals(Severity.CRITICAL, f.severity());
        assertEquals("/usr/sbin/sshd", f.details().get("expectedExe"));
        assertEquals("/usr/bin/sleep", f.details().get("after.exe"));
        assertEquals(List.of(), check(checker), "a lasting mismatch is reported once");
    }

    @Test
    void requiredCommandThatIsNotRunningDiesAndComesBack() throws Exception {
        // A copy of sleep under a name nothing else on the machine runs.
        Path program = dir.resolve("vigil-req-test");
        Files.copy(Path.of("/usr/bin/sleep"), program);
        program.toFile().setExecutable(true);
        PidChecker checker = checker(new PidOptions(null, List.of(), null, null,
                List.of("vigil-req-test", "vigil-never-runs"), null));

        List<Finding> first = check(checker);
        assertEquals(List.of("DIED", "DIED"), kinds(first));
        assertEquals(List.of("process:vigil-req-test", "process:vigil-never-runs"),
                first.stream().map(Finding::subject).toList());

        Process p = processes.start(program.toString(), "60");
        RealProcesses.await(() -> program.toString().equals(RealProcesses.exe(p.pid())), "the program to start");
        assertEquals(List.of("RECOVERED"), kinds(check(checker)));
        assertEquals(p.pid(), state.get("process:vigil-req-test").process().pid());

        RealProcesses.kill(p);
        List<Finding> died = check(checker);
        assertEquals(List.of("DIED"), kinds(died));
        assertEquals("process:vigil-req-test", died.get(0).subject());
        assertEquals((int) p.pid(), died.get(0).details().get("before.pid"));

        Process again = processes.start(program.toString(), "60");
        RealProcesses.await(() -> program.toString().equals(RealProcesses.exe(again.pid())), "the program to start");
        assertEquals(List.of("RESTARTED", "RECOVERED"), kinds(check(checker)));
    }

    @Test
    void namedPidFileThatDoesNotExistIsMissingAtOnce() {
        Path pidFile = dir.resolve("never.pid");

        List<Finding> findings = check(checker(pidFile.toString()));

        assertEquals(List.of("MISSING"), kinds(findings));
        assertEquals(pidFile.toString(), findings.get(0).subject());
    }

    @Test
    void aPidFileWhoseNameIsNotUtf8IsFollowedAsItselfCheckAfterCheck() throws Exception {
        Path written = dir.resolve("svc.pid");
        Process p = processes.daemon(written);
        Path odd = PathBytes.toPath(PathBytes.child(PathBytes.of(dir), new byte[] {(byte) 0xff, '.', 'p', 'i', 'd'}));
        Files.move(written, odd);
        PidChecker checker = checker(dir.toString());

        assertEquals(List.of(), check(checker), "a healthy process");
        assertEquals(List.of(dir + "/%FF.pid"), List.copyOf(state.keySet()), "the name's bytes shown");
        assertEquals(List.of(), check(checker), "nothing new: not missing, then recovered");
        assertEquals(List.of(), check(checker));

        RealProcesses.kill(p);
        List<Finding> died = check(checker);
        assertEquals(List.of("DIED"), kinds(died));
        assertEquals(dir + "/%FF.pid", died.get(0).subject());
    }

    /** A subject kept by a version before session 33 (the path as {@code toString()}) is taken over, not a new file. */
    @Test
    void theStateOfAPidFileKeptUnderItsOlderSubjectIsTakenOverUnderItsEscapedOne() throws Exception {
        Path pidFile = dir.resolve("50%off.pid");
        Process p = processes.daemon(pidFile);
        PidChecker checker = checker(dir.toString());
        assertEquals(List.of(), check(checker));
        RealProcesses.kill(p);
        assertEquals(List.of("DIED"), kinds(check(checker)));
        String escaped = dir + "/50%25off.pid";
        assertEquals(List.of(escaped), List.copyOf(state.keySet()));

        PidChecker.PidCheck upgraded = checker.check(Map.of(pidFile.toString(), state.get(escaped)));
        assertEquals(List.of(), upgraded.findings(), "its death told already, not told again as a new file's");
        assertEquals(Set.of(escaped), upgraded.changed().keySet(), "kept under its escaped subject");
        assertEquals(Set.of(pidFile.toString()), upgraded.removed(), "and the older row removed");
    }

    @Test
    void pidFileFoundInADirectoryIsMissingOnceGoneAndRecoversWhenBack() throws Exception {
        Path pidFile = dir.resolve("svc.pid");
        Process p = processes.daemon(pidFile);
        PidChecker checker = checker(dir.toString());
        check(checker);

        Files.delete(pidFile);
        assertEquals(List.of("MISSING"), kinds(check(checker)));
        assertEquals(List.of(), check(checker));

        Files.writeString(pidFile, p.pid() + "\n");
        assertEquals(List.of("RECOVERED"), kinds(check(checker)));
    }

    @Test
    void fileNoLongerCoveredByTheConfigurationIsForgotten() throws Exception {
        Path pidFile = dir.resolve("svc.pid");
        processes.daemon(pidFile);
        check(checker(pidFile.toString()));

        PidChecker.PidCheck result = checker(dir.resolve("other.pid").toString()).check(state);

        assertEquals(List.of(pidFile.toString()), List.copyOf(result.removed()));
        assertNull(result.state().get(pidFile.toString()));
    }

    @Test
    void restartOfVigilBetweenChecksReportsNoSpuriousRestart() throws Exception {
        Path db = dir.resolve("vigil.db");
        Path pidFile = dir.resolve("svc.pid");
        Path deadFile = dir.resolve("dead.pid");
        processes.daemon(pidFile);
        Process doomed = processes.daemon(deadFile);
        String files = pidFile + "," + deadFile;

        assertEquals(List.of(), runOnce(db, files));
        RealProcesses.kill(doomed);
        assertEquals(List.of("DIED"), kinds(runOnce(db, files)));

        // Each run is a fresh Vigil: a new Database object, store and checker, nothing kept in memory.
        assertEquals(List.of(), runOnce(db, files));
        processes.daemon(deadFile);
        assertEquals(List.of("RESTARTED", "RECOVERED"), kinds(runOnce(db, files)));
        assertEquals(List.of(), runOnce(db, files));
    }

    private static List<Finding> runOnce(Path dbFile, String files) {
        PidOptions options = new PidOptions(null, PidOptions.list(files), null, null, null, null);
        PidStateStore store = new PidStateStore(Database.open(dbFile), CLOCK);
        PidChecker.PidCheck result = checker(options).check(store.load(options.name()));
        store.save(options.name(), result.changed(), result.removed());
        return result.findings();
    }

    private static int pidIn(Path pidFile) {
        try {
            String text = Files.readString(pidFile).strip();
            return text.isEmpty() ? -1 : Integer.parseInt(text);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
