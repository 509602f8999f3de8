package dev.vigil.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which kernel interface is chosen, and that the choice is said in one line. */
class WatchModeTest {

    /** sysfs has no file handles: fanotify refuses to mark it, inotify still watches it. */
    private static final Path SYSFS_AREA = Path.of("/sys/kernel/mm");

    @Test
    void autoModeFallsBackToInotifyAndSaysWhy() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(SYSFS_AREA), "needs sysfs mounted at /sys");
        try (NativeWatcher watcher = new NativeWatcher(WatchOptions.of(SYSFS_AREA))) {
            watcher.start();
            assertEquals(NativeWatcher.Active.INOTIFY, watcher.active());
            assertTrue(watcher.notice().startsWith("file watch: inotify (fanotify unavailable: "), watcher.notice());
            assertTrue(watcher.notice().lines().count() == 1, watcher.notice());
        }
    }

    @Test
    void demandedFanotifyThatIsRefusedFailsToStartInsteadOfFallingBack() {
        Assumptions.assumeTrue(Files.isDirectory(SYSFS_AREA), "needs sysfs mounted at /sys");
        try (NativeWatcher watcher = new NativeWatcher(WatchOptions.of(SYSFS_AREA)
                .withMode(WatchOptions.Mode.FANOTIFY))) {
            WatchException refused = assertThrows(WatchException.class, watcher::start);
            assertTrue(refused.getMessage().contains("fanotify"), refused.getMessage());
        }
    }

    @Test
    void listenerIsCalledOnTheDispatcherThreadNotTheReader(@TempDir Path dir) throws Exception {
        BlockingQueue<String> calls = new LinkedBlockingQueue<>();
        Path file = dir.resolve("seen");
        try (NativeWatcher watcher = new NativeWatcher(WatchOptions.of(dir))) {
            watcher.start(e -> {
                if (file.equals(e.path()) && e.is(EventType.CLOSE_WRITE)) {
                    calls.add(Thread.currentThread().getName());
                }
            });
            Files.writeString(file, "x");
            assertEquals("vigil-watch-dispatch", calls.poll(15, TimeUnit.SECONDS));
        }
    }

    @Test
    void missingAreaIsRefused() {
        try (NativeWatcher watcher = new NativeWatcher(WatchOptions.of(Path.of("/nonexistent/vigil/area")))) {
            assertThrows(WatchException.class, watcher::start);
        }
    }
}
