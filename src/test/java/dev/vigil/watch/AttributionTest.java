package dev.vigil.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Short-lived processes are named even though they are gone when their events are read. */
class AttributionTest {

    private static final int TRIALS = 100;

    @TempDir
    Path dir;

    private NativeWatcher watcher;
    private EventLog log;

    @BeforeEach
    void start() throws Exception {
        watcher = new NativeWatcher(WatchOptions.of(dir).withMode(WatchOptions.Mode.FANOTIFY));
        try {
            watcher.start();
        } catch (WatchException e) {
            Assumptions.assumeTrue(false, "fanotify in FID mode not permitted here: " + e.getMessage());
        }
        log = new EventLog(watcher);
    }

    @AfterEach
    void stop() {
        watcher.close();
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertEquals(0, p.waitFor(), String.join(" ", command));
    }

    @Test
    void touchAndRmByShortLivedProcessesAreAttributedToThoseCommands() throws Exception {
        List<String> wrong = new ArrayList<>();
        int right = 0;
        for (int i = 0; i < TRIALS; i++) {
            Path file = dir.resolve("t" + i);
            run("touch", file.toString());
            FileEvent created = log.await(EventType.CREATE, file);
            if ("touch".equals(created.comm()) && created.uid() == 0 && "root".equals(created.user())
                    && created.exe() != null && created.exe().endsWith("/touch")) {
                right++;
            } else {
                wrong.add("touch: " + created);
            }
            run("rm", file.toString());
            FileEvent deleted = log.await(EventType.DELETE, file);
            if ("rm".equals(deleted.comm()) && deleted.uid() == 0) {
                right++;
            } else {
                wrong.add("rm: " + deleted);
            }
        }
        assertTrue(right >= 2 * TRIALS * 99 / 100, right + " of " + 2 * TRIALS + " right; wrong: " + wrong);
    }

    @Test
    void shellRedirectIsAttributedToTheShell() throws Exception {
        Path file = dir.resolve("echoed");
        run("sh", "-c", "echo x > '" + file + "'");
        FileEvent written = log.await(EventType.CLOSE_WRITE, file);
        Path shell = Path.of("/bin/sh").toRealPath();
        // sh is often a symlink (to dash): the kernel's comm says "sh", an exec seen through fanotify names dash
        assertTrue(Set.of("sh", shell.getFileName().toString()).contains(written.comm()), written.toString());
        assertEquals(shell.toString(), written.exe());
        assertTrue(written.attributed());
        assertTrue(written.ppid() > 0, written.toString());
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
        assertEquals("touch", created.comm());
    }
}
