package dev.vigil.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Short-lived processes are named even though they are gone when their events are read. */
@ExtendWith(FanotifyAvailable.class)
class AttributionTest {

    private static final int TRIALS = 100;

    @TempDir
    Path dir;

    private NativeWatcher watcher;
    private EventLog log;

    @BeforeEach
    void start() throws Exception {
        watcher = new NativeWatcher(WatchOptions.of(dir).withMode(WatchOptions.Mode.FANOTIFY));
        watcher.start();
        log = new EventLog(watcher);
    }

    @AfterEach
    void stop() {
        watcher.close();
    }

    private static Process run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertEquals(0, p.waitFor(), String.join(" ", command));
        return p;
    }

    /**
     * Right or absent: the process, its executable and user always; the kernel's command name whenever /proc
     * still had it (a process gone before it was read has none, rather than one made up from its executable).
     */
    private static boolean right(FileEvent e, Process p, String name) {
        return e.attributed() && e.pid() == p.pid() && ("/usr/bin/" + name).equals(e.exe())
                && (e.comm() == null || e.comm().equals(name)) && e.uid() == 0 && "root".equals(e.user());
    }

    @Test
    void touchAndRmByShortLivedProcessesAreAttributedToThoseCommandsAndNeverToAnother() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/touch")) && Files.isExecutable(Path.of("/usr/bin/rm")),
                "touch and rm are in /usr/bin (a merged /usr)");
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < TRIALS; i++) {
            Path file = dir.resolve("t" + i);
            Process touch = run("touch", file.toString());
            FileEvent created = log.await(EventType.CREATE, file);
            if (!right(created, touch, "touch")) {
                wrong.add("touch: " + created);
            }
            Process rm = run("rm", file.toString());
            FileEvent deleted = log.await(EventType.DELETE, file);
            if (!right(deleted, rm, "rm")) {
                wrong.add("rm: " + deleted);
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void shellRedirectIsAttributedToTheShellByTheNameItWasStartedAs() throws Exception {
        Path file = dir.resolve("echoed");
        Process sh = run("sh", "-c", "echo x > '" + file + "'");
        FileEvent written = log.await(EventType.CLOSE_WRITE, file);
        // sh is often a symlink (to dash): the kernel names the process sh, its executable is dash
        assertTrue(written.comm() == null || written.comm().equals("sh"), written.toString());
        assertEquals(Path.of("/bin/sh").toRealPath().toString(), written.exe());
        assertEquals(sh.pid(), written.pid());
        assertTrue(written.attributed());
        assertTrue(written.ppid() > 0, written.toString());
    }

    @Test
    void theThreadFollowingTheProcessConnectorRunsInRealTime() throws Exception {
        // field 41 of /proc/self/task/TID/stat is the scheduling policy: 2 is SCHED_RR (ProcessTable.runInRealTime)
        long deadline = System.nanoTime() + 10_000_000_000L;
        String policy = null;
        while (!"2".equals(policy) && System.nanoTime() < deadline) {
            Thread.sleep(10);
            try (var tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path task : tasks.toList()) {
                    if ("vigil-proc-conn".equals(Files.readString(task.resolve("comm")).strip())) {
                        String stat = Files.readString(task.resolve("stat"));
                        policy = stat.substring(stat.lastIndexOf(')') + 2).split(" ")[41 - 3];
                    }
                }
            }
        }
        assertEquals("2", policy, "the connector thread's scheduling policy");
    }

    @Test
    void changeByAnotherUserCarriesThatUser() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux) is needed");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path file = dir.resolve("by-nobody");
        run("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "touch", file.toString());
        FileEvent created = log.await(EventType.CREATE, file);
        assertEquals(65534, created.uid());
        assertEquals("nobody", created.user());
        // touch's name; or none, when touch exited before /proc was read, with the executable its exec event carries
        // (ProcessTable): never setpriv's name, which the process had before its exec
        assertTrue("touch".equals(created.comm()) || created.comm() == null && created.exe().endsWith("/touch"),
                created.toString());
    }
}
