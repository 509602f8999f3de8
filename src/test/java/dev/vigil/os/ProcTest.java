package dev.vigil.os;

import dev.vigil.fim.Tools;
import dev.vigil.pid.RealProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ProcTest {

    @TempDir
    Path dir;

    private final RealProcesses processes = new RealProcesses();

    @AfterEach
    void stopProcesses() throws InterruptedException {
        processes.close();
    }

    @Test
    void commandWithSpacesAndParenthesesIsCutAtTheLastParenthesis() {
        Proc.Stat stat = Proc.parseStat("4242 (a) (b c)) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 "
                + "987654 2048 100 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n");

        assertEquals(4242, stat.pid());
        assertEquals("a) (b c)", stat.comm());
        assertEquals('S', stat.state());
        assertEquals(987654, stat.startTicks());
    }

    @Test
    void truncatedStatLineIsRejectedNotMisread() {
        assertNull(Proc.parseStat("4242 (sleep) S 1 4242"));
        assertNull(Proc.parseStat("garbage"));
    }

    @Test
    void realProcessWhoseNameHoldsParenthesesAndSpacesIsReadWhole() throws Exception {
        Path program = dir.resolve("x) (y z");
        Files.copy(Path.of("/usr/bin/sleep"), program);
        program.toFile().setExecutable(true);
        Process p = processes.start(program.toString(), "60");
        RealProcesses.await(() -> program.toString().equals(RealProcesses.exe(p.pid())), "the program to start");
        // Just after exec it may still be running (R); status says when it sleeps, without our stat parser.
        RealProcesses.await(() -> statusSaysSleeping(p.pid()), "the program to sleep");

        Proc.Stat stat = Proc.stat((int) p.pid());

        assertEquals('S', stat.state());
        assertEquals("x) (y z", stat.comm());
        assertEquals(program.toString(), Proc.exe((int) p.pid()));
        // The JDK reads the same start time (to the millisecond) from the same field.
        assertEquals(p.info().startInstant().orElseThrow().toEpochMilli(),
                Proc.startTime(Proc.bootTimeSeconds(), stat.startTicks()).toEpochMilli(), 1000.0);
    }

    @Test
    void statusNamesTheProcessItsParentAndItsUser() throws Exception {
        Process p = processes.start("sleep", "60");
        RealProcesses.await(() -> "/usr/bin/sleep".equals(RealProcesses.exe(p.pid())), "sleep to start");

        Proc.Status status = Proc.status((int) p.pid());

        assertEquals("sleep", status.name());
        assertEquals(ProcessHandle.current().pid(), status.ppid());
        int uid = Integer.parseInt(Tools.sh("id", "-u").strip());
        assertEquals(uid, status.realUid());
        assertEquals(uid, status.effectiveUid());
    }

    @Test
    void exitedProcessIsAbsent() throws Exception {
        Process p = processes.start("true");
        p.waitFor();

        assertNull(Proc.stat((int) p.pid()));
        assertNull(Proc.status((int) p.pid()));
        assertNull(Proc.exe((int) p.pid()));
    }

    @Test
    void effectiveUidIsTheOneTheProcessRunsAs() throws Exception {
        assertEquals(Integer.parseInt(Tools.sh("id", "-u").strip()), Proc.effectiveUid());
    }

    private static boolean statusSaysSleeping(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).contains("State:\tS (sleeping)");
        } catch (IOException e) {
            return false;
        }
    }
}
