package dev.vigil.pid;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ProcFsTest {

    @TempDir
    Path dir;

    private final RealProcesses processes = new RealProcesses();

    @AfterEach
    void stopProcesses() throws InterruptedException {
        processes.close();
    }

    @Test
    void commandWithSpacesAndParenthesesIsCutAtTheLastParenthesis() {
        ProcFs.Stat stat = ProcFs.parseStat("4242 (a) (b c)) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 "
                + "987654 2048 100 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n");

        assertEquals(4242, stat.pid());
        assertEquals("a) (b c)", stat.comm());
        assertEquals('S', stat.state());
        assertEquals(987654, stat.startTicks());
    }

    @Test
    void truncatedStatLineIsRejectedNotMisread() {
        assertNull(ProcFs.parseStat("4242 (sleep) S 1 4242"));
        assertNull(ProcFs.parseStat("garbage"));
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
        UserNames users = UserNames.system();
        users.refresh();
        ProcFs proc = new ProcFs(users);

        ProcFs.Stat stat = proc.stat((int) p.pid());
        ProcessInfo info = proc.complete(stat, proc.bootTimeSeconds());

        assertEquals('S', stat.state());
        assertEquals("x) (y z", info.command());
        assertEquals(program.toString(), info.exe());
        // The JDK reads the same start time (to the millisecond) from the same field.
        assertEquals(p.info().startInstant().orElseThrow().toEpochMilli(), info.started().toEpochMilli(), 1000.0);
    }

    @Test
    void exitedProcessIsAbsent() throws Exception {
        Process p = processes.start("true");
        p.waitFor();
        ProcFs proc = new ProcFs(UserNames.system());

        assertNull(proc.stat((int) p.pid()));
    }

    @Test
    void userNamesComeFromThePasswdFileAndUnknownUidsStayNumbers() throws Exception {
        Path passwd = dir.resolve("passwd");
        Files.writeString(passwd, "root:x:0:0:root:/root:/bin/bash\nbroken line\nsvc:x:998:998::/:/usr/sbin/nologin\n");
        UserNames users = new UserNames(passwd);
        users.refresh();

        assertEquals("root", users.name(0));
        assertEquals("svc", users.name(998));
        assertEquals("4711", users.name(4711));
    }

    private static boolean statusSaysSleeping(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).contains("State:\tS (sleeping)");
        } catch (IOException e) {
            return false;
        }
    }
}
