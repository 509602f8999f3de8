package dev.vigil.camel;

import dev.vigil.fim.FileRecord;
import dev.vigil.fim.Integrity;
import dev.vigil.fim.PathPolicy;
import dev.vigil.fim.ScanOptions;
import dev.vigil.fim.Scanner;
import dev.vigil.fim.Tools;
import dev.vigil.store.Database;
import dev.vigil.store.Outbox;
import dev.vigil.store.SqliteBaseline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A first baseline of a large tree takes minutes; the daemon's other work on the same store (the other sources'
 * findings, the outbox, the fleet heartbeat) goes on meanwhile, and a second consumer of the same tree waits and then
 * finds the baseline taken; the daemon's stop ends it, keeping nothing of it. The baseline is held in the middle of its scan by its problem sink, at an entry root
 * cannot read either (a path beyond PATH_MAX).
 */
class FirstBaselineTest {

    @TempDir
    Path dir;

    /** Counted down once the first baseline's scan has reached the entry it cannot read, and holds there. */
    private final CountDownLatch inScan = new CountDownLatch(1);
    /** Lets the held scans go on. */
    private final CountDownLatch release = new CountDownLatch(1);

    @Test
    void theStoreServesTheRestOfTheDaemonWhileAFirstBaselineIsTaken() throws Exception {
        Path tree = treeWithAnEntryRootCannotRead();
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try (Database db = Database.open(dir.resolve("vigil.db"))) {
            try {
                Scanner.Sink heldAtAProblem = heldAtAProblem(inScan, release);
                Future<List<Path>> first = threads.submit(() -> Consumers.baselineMissing(db, integrity(db), List.of(tree),
                        heldAtAProblem, "first"));
                assertTrue(inScan.await(60, TimeUnit.SECONDS), "the first baseline reached the entry it cannot read");
                Future<List<Path>> second = threads.submit(() -> Consumers.baselineMissing(db, integrity(db), List.of(tree),
                        heldAtAProblem, "second"));

                List<Outbox.ChannelState> channels = threads.submit(() -> new Outbox(db).channels()).get(60, TimeUnit.SECONDS);

                assertEquals(List.of(), channels, "the outbox was read while the baseline was being taken");
                assertFalse(second.isDone(), "the second consumer waits for the first baseline");
                release.countDown();
                assertEquals(List.of(tree), first.get(60, TimeUnit.SECONDS));
                assertEquals(List.of(), second.get(60, TimeUnit.SECONDS), "the second found the baseline taken");
            } finally {
                release.countDown();
            }
        } finally {
            threads.shutdownNow();
            Tools.removeTree(tree);
        }
    }

    @Test
    void aStopEndsAFirstBaselineInItsScanKeepsNothingOfItAndRefusesTheNext() throws Exception {
        Path tree = treeWithAnEntryRootCannotRead();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            try (Database db = Database.open(dir.resolve("vigil.db"))) {
                Future<List<Path>> first = threads.submit(() -> Consumers.baselineMissing(db, integrity(db), List.of(tree),
                        heldAtAProblem(inScan, release), "first"));
                assertTrue(inScan.await(60, TimeUnit.SECONDS), "the first baseline reached the entry it cannot read");

                Consumers.stopFirstBaselines(db);
                release.countDown();

                ExecutionException stopped = assertThrows(ExecutionException.class, () -> first.get(60, TimeUnit.SECONDS));
                assertInstanceOf(InterruptedException.class, stopped.getCause());
                assertFalse(integrity(db).hasBaseline(tree), "nothing of the stopped baseline is kept");
                Future<List<Path>> after = threads.submit(() -> Consumers.baselineMissing(db, integrity(db), List.of(tree),
                        heldAtAProblem(new CountDownLatch(1), release), "after"));
                ExecutionException refused = assertThrows(ExecutionException.class, () -> after.get(60, TimeUnit.SECONDS));
                assertInstanceOf(InterruptedException.class, refused.getCause(), "no first baseline once stopped");
            }
            try (Database db = Database.open(dir.resolve("vigil.db"))) {
                assertEquals(List.of(tree), Consumers.baselineMissing(db, integrity(db), List.of(tree),
                        heldAtAProblem(new CountDownLatch(1), release), "next start"));
                assertTrue(integrity(db).hasBaseline(tree), "the next start takes it");
            }
        } finally {
            release.countDown();
            threads.shutdownNow();
            Tools.removeTree(tree);
        }
    }

    /** A tree of a file and an entry beyond PATH_MAX, which the scan reports as a problem. */
    private Path treeWithAnEntryRootCannotRead() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("tree"));
        Files.writeString(tree.resolve("motd"), "welcome\n");
        Tools.entriesBeyondPathMax(tree, 1);
        return tree;
    }

    /** A problem sink that says it was reached, then holds the scan until released. */
    private static Scanner.Sink heldAtAProblem(CountDownLatch reached, CountDownLatch release) {
        return new Scanner.Sink() {
            @Override
            public void entry(FileRecord record) {
            }

            @Override
            public void problem(byte[] path, String message) {
                reached.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    private static Integrity integrity(Database db) {
        return new Integrity(new SqliteBaseline(db), ScanOptions.defaults(), PathPolicy.none());
    }
}
