package dev.vigil.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inotify fallback, forced by option: the same changes are seen, without attribution. */
class InotifyWatchTest {

    @TempDir
    Path dir;

    private NativeWatcher watcher;
    private EventLog log;

    @BeforeEach
    void start() throws Exception {
        watcher = new NativeWatcher(WatchOptions.of(dir).withMode(WatchOptions.Mode.INOTIFY));
        watcher.start();
        log = new EventLog(watcher);
    }

    @AfterEach
    void stop() {
        watcher.close();
    }

    @Test
    void forcedInotifySaysSoAndReportsCreateAndWriteWithoutAttribution() throws Exception {
        assertEquals(NativeWatcher.Active.INOTIFY, watcher.active());
        assertTrue(watcher.notice().contains("inotify") && watcher.notice().contains("no process attribution"),
                watcher.notice());
        Path file = dir.resolve("new.txt");
        Files.writeString(file, "hello");
        log.await(EventType.CREATE, file);
        FileEvent written = log.await(EventType.CLOSE_WRITE, file);
        assertFalse(written.attributed());
        assertEquals(-1, written.pid());
        assertEquals(null, written.comm());
    }

    @Test
    void chmodAndChownAreReportedAsAttributeChanges() throws Exception {
        Path file = Files.writeString(dir.resolve("mode.txt"), "x");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        log.await(EventType.ATTRIB, file);
        log.forget();
        Files.setAttribute(file, "unix:uid", 65534);
        log.await(EventType.ATTRIB, file);
    }

    @Test
    void renamedFileIsReportedAsMovedWithBothPaths() throws Exception {
        Path from = Files.writeString(dir.resolve("before.txt"), "x");
        Path sub = Files.createDirectory(dir.resolve("sub"));
        // a directory's watch exists once its CREATE is reported; a move into it before that is seen as a
        // MOVED_FROM plus a CREATE found when the new directory is listed
        log.await(EventType.CREATE, sub);
        Path to = sub.resolve("after.txt");
        Files.move(from, to);
        FileEvent moved = log.await(EventType.MOVED, to);
        assertEquals(from, moved.oldPath());
    }

    @Test
    void deletedFileIsReported() throws Exception {
        Path file = Files.writeString(dir.resolve("gone.txt"), "x");
        Files.delete(file);
        log.await(EventType.DELETE, file);
    }

    @Test
    void filesInNewSubdirectoriesAreSeenEvenWhenMadeAtOnce() throws Exception {
        Path deep = Files.createDirectories(dir.resolve("a/b/c"));
        Path file = Files.writeString(deep.resolve("inner.txt"), "x");
        log.await(EventType.CREATE, dir.resolve("a"));
        log.await(EventType.CREATE, file);
        Path later = Files.writeString(deep.resolve("later.txt"), "y");
        log.await(EventType.CLOSE_WRITE, later);
    }

    @Test
    void renamedDirectoryKeepsReportingUnderItsNewName() throws Exception {
        Path old = Files.createDirectories(dir.resolve("old/inner"));
        log.await(EventType.CREATE, dir.resolve("old"));
        Path renamed = dir.resolve("renamed");
        Files.move(dir.resolve("old"), renamed);
        FileEvent moved = log.await(EventType.MOVED, renamed);
        assertEquals(dir.resolve("old"), moved.oldPath());
        assertTrue(moved.directory());
        Path file = Files.writeString(renamed.resolve("inner/x.txt"), "x");
        assertFalse(Files.exists(old));
        log.await(EventType.CLOSE_WRITE, file);
    }

    @Test
    void aDirectoryMadeJustBeforeItsParentIsRenamedIsWatchedUnderTheNewName() throws Exception {
        Path old = Files.createDirectory(dir.resolve("parent"));
        log.await(EventType.CREATE, old);
        // Back to back, faster than the watcher reads: the CREATE of "inner" is read after the rename, when
        // "parent/inner" no longer exists to be watched by that name.
        Files.createDirectory(old.resolve("inner"));
        Files.move(old, dir.resolve("moved"));
        log.await(EventType.MOVED, dir.resolve("moved"));
        Path file = Files.writeString(dir.resolve("moved/inner/x.txt"), "x");
        log.await(EventType.CLOSE_WRITE, file);
    }

    @Test
    void everyFileOfATreeRemovedByRmIsReported() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("tree/a/b"));
        Set<Path> files = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            Path f = (i % 2 == 0 ? tree : tree.getParent()).resolve("f" + i);
            Files.createFile(f);
            files.add(f);
        }
        Process rm = new ProcessBuilder("rm", "-rf", dir.resolve("tree").toString()).inheritIO().start();
        assertEquals(0, rm.waitFor());
        Set<Path> missing = new HashSet<>(files);
        log.collectUntil(seen -> {
            seen.stream().filter(e -> e.is(EventType.DELETE)).forEach(e -> missing.remove(e.path()));
            return missing.isEmpty();
        });
        assertEquals(Set.of(), missing);
    }
}
