package dev.vigil.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import dev.vigil.Await;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Lost events are never silent: a full queue of ours or of the kernel surfaces as an OVERFLOW event. */
class OverflowTest {

    /** Files the queue tests create and delete, against a queue of 8. */
    private static final int FLOOD_FILES = 50;

    @TempDir
    Path dir;

    private static void flood(Path dir, int files) throws IOException {
        for (int i = 0; i < files; i++) {
            Files.delete(Files.createFile(dir.resolve("f" + i)));
        }
    }

    /** Four writers at once, each making and removing {@code files} files in a directory of its own under {@code area}. */
    private static void floodInParallel(Path area, int files) throws Exception {
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            Path sub = Files.createDirectory(area.resolve("w" + w));
            Thread t = new Thread(() -> {
                try {
                    flood(sub, files);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            writers.add(t);
            t.start();
        }
        for (Thread t : writers) {
            t.join();
        }
    }

    /** Waits, without consuming, until the reader has filled the queue (the slot it keeps included). */
    private static void awaitFull(BlockingQueue<FileEvent> queue) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (queue.remainingCapacity() > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
    }

    /** Drains the queue until an OVERFLOW event turns up (or a long patience runs out). */
    private static FileEvent awaitOverflow(BlockingQueue<FileEvent> queue) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            FileEvent e = queue.poll(200, TimeUnit.MILLISECONDS);
            if (e != null && e.overflow()) {
                return e;
            }
        }
        return null;
    }

    @Test
    void fullWatcherQueueIsReportedAsOverflowOfTheFloodedDirectory() throws Exception {
        try (NativeWatcher watcher = new NativeWatcher(WatchOptions.of(dir).withQueue(8, true))) {
            watcher.start();
            flood(dir, FLOOD_FILES);
            awaitFull(watcher.events());
            Await.until("the rest of the flood dropped", () -> watcher.dropped() >= FLOOD_FILES - 9);
            FileEvent overflow = awaitOverflow(watcher.events());
            assertTrue(overflow != null, "no overflow event after flooding a queue of 8");
            assertEquals(dir, overflow.path());
            assertTrue(overflow.detail().contains("capacity 8"), overflow.detail());
        }
    }

    @Test
    void lossIsCountedOnceTheConsumerCatchesUpEvenIfNothingElseHappens() throws Exception {
        try (NativeWatcher watcher = new NativeWatcher(WatchOptions.of(dir).withQueue(8, true))) {
            watcher.start();
            flood(dir, FLOOD_FILES);
            awaitFull(watcher.events());
            // the reader drops the rest of the flood: each of its files is one event at least, and the queue holds 8
            // and the spill one of the flooded directory
            Await.until("the rest of the flood dropped", () -> watcher.dropped() >= FLOOD_FILES - 9);
            // The consumer catches up and the tree stays quiet: no further event will carry the count. The reader may
            // still be dropping the flood's last events, told by a later OVERFLOW: every loss is told, in all.
            watcher.events().clear();
            long told = 0;
            while (told < watcher.dropped()) {
                FileEvent counted = awaitOverflow(watcher.events());
                assertTrue(counted != null, "the count of dropped events never came in full: " + told + " told of " + watcher.dropped());
                assertTrue(counted.detail().endsWith(" events dropped in this directory: the consumer did not keep up with"
                        + " the watcher queue (capacity 8)"), counted.detail());
                told += Long.parseLong(counted.detail().substring(0, counted.detail().indexOf(' ')));
            }
            assertEquals(watcher.dropped(), told);
        }
    }

    /**
     * The burst of issue 16: a flood in one directory fills the queue, and a change elsewhere made meanwhile by
     * another process still reaches the consumer with that process (coalesced, not dropped); the flood's lost
     * events are told for its directory only.
     */
    @Test
    @ExtendWith(FanotifyAvailable.class)
    void changeMadeDuringAnOverflowKeepsItsProcess() throws Exception {
        Path flooded = Files.createDirectory(dir.resolve("flooded"));
        Path victim = Files.writeString(Files.createDirectory(dir.resolve("etc")).resolve("passwd"), "root\n");
        try (NativeWatcher watcher = new NativeWatcher(WatchOptions.of(dir).withMode(WatchOptions.Mode.FANOTIFY)
                .withQueue(8, true))) {
            watcher.start();
            flood(flooded, FLOOD_FILES);
            awaitFull(watcher.events());
            Await.until("the rest of the flood dropped", () -> watcher.dropped() >= FLOOD_FILES - 9);
            Process sh = new ProcessBuilder("sh", "-c", "echo 'intruder' >> \"$0\"", victim.toString()).start();
            assertEquals(0, sh.waitFor());
            List<FileEvent> taken = new ArrayList<>();
            FileEvent overflow = null;
            long deadline = System.currentTimeMillis() + 15_000;
            while ((overflow == null || taken.stream().noneMatch(e -> victim.equals(e.path())))
                    && System.currentTimeMillis() < deadline) {
                FileEvent e = watcher.events().poll(200, TimeUnit.MILLISECONDS);
                if (e != null) {
                    taken.add(e);
                    overflow = e.overflow() ? e : overflow;
                }
            }
            assertTrue(overflow != null, "no overflow event: " + taken);
            assertEquals(flooded, overflow.path());
            FileEvent written = taken.stream().filter(e -> victim.equals(e.path()))
                    .findFirst().orElseThrow(() -> new AssertionError("the change is lost: " + taken));
            assertTrue(written.attributed(), written.toString());
            assertEquals(sh.pid(), written.pid());
            assertEquals("sh", written.comm());
        }
    }

    /**
     * fanotify's kernel queue is unlimited, so a reader that cannot keep up (for real, any user's events outside the
     * areas, each costing a look-up) would let it grow without end and read a change in an area minutes late. Past its
     * bound (two hand-over queues, 16,384 events at least: that here) the reader drops what is queued and says so. The
     * backlog is made before the reader runs, so it is there at the reader's first look, whatever the machine's pace.
     */
    @Test
    @ExtendWith(FanotifyAvailable.class)
    void aFanotifyReaderFarBehindItsUnlimitedKernelQueueDropsItUnreadAndTellsAnOverflow() throws Exception {
        EventSink sink = new EventSink(16);
        try (ProcessTable processes = ProcessTable.start(false);
             FanotifySource source = new FanotifySource(WatchOptions.of(dir).withMode(WatchOptions.Mode.FANOTIFY)
                     .withQueue(16, true), processes, sink)) {
            flood(dir, 20_000); // 40,000 events: the bound and more than the reader's first read takes (256 KiB)
            Thread reader = new Thread(source::run, "test-watch-reader");
            reader.start();
            try {
                FileEvent behind = null;
                long deadline = System.currentTimeMillis() + 15_000;
                while (behind == null && System.currentTimeMillis() < deadline) {
                    FileEvent e = sink.queue().poll(200, TimeUnit.MILLISECONDS);
                    if (e != null && e.overflow() && e.path() == null) {
                        behind = e;
                    }
                }
                assertTrue(behind != null, "no overflow for the kernel's backlog");
                assertTrue(behind.detail().startsWith("fanotify reader fell behind: ")
                        && behind.detail().contains(" events queued in the kernel, more than 16384, were dropped unread"),
                        behind.detail());
            } finally {
                source.stop();
                reader.join(10_000);
            }
        }
    }

    /**
     * A directory renamed among the events the reader dropped unread keeps the path learned before in the reader's
     * directory-handle cache, and the events in it were named under the path it left (an area checked at the
     * overflow, then its changes told at a path that is not there); so the areas' directories are learned again.
     */
    @Test
    @ExtendWith(FanotifyAvailable.class)
    void aDirectoryRenamedAmongEventsDroppedUnreadIsNamedWhereItIsNow() throws Exception {
        Path before = Files.createDirectory(dir.resolve("before"));
        EventSink sink = new EventSink(16);
        try (ProcessTable processes = ProcessTable.start(false);
             FanotifySource source = new FanotifySource(WatchOptions.of(dir).withMode(WatchOptions.Mode.FANOTIFY)
                     .withQueue(16, true), processes, sink)) {
            flood(dir, 20_000); // past the bound (16,384 events), so all that follows the reader's first read is dropped
            Path after = Files.move(before, dir.resolve("after"));
            Thread reader = new Thread(source::run, "test-watch-reader");
            reader.start();
            try {
                awaitEvent(sink, e -> e.overflow() && e.path() == null, "the overflow of the backlog");
                Path written = Files.writeString(after.resolve("written"), "x");
                FileEvent e = awaitEvent(sink, ev -> !ev.overflow() && ev.path().getFileName().toString().equals("written"),
                        "an event of the file written in the renamed directory");
                assertEquals(written, e.path());
            } finally {
                source.stop();
                reader.join(10_000);
            }
        }
    }

    /**
     * inotify: a directory made among the events the kernel dropped had no watch, its events never came (until a
     * restart), one renamed among them was named where it had been, and one moved out kept its watch, its events
     * named inside the area; so the areas are walked again after an overflow, and watches not met removed.
     */
    @Test
    void aDirectoryMadeRenamedOrMovedOutAmongEventsInotifyDroppedIsWatchedAsItIsNow(@TempDir Path elsewhere) throws Exception {
        Path limit = Path.of("/proc/sys/fs/inotify/max_queued_events");
        Assumptions.assumeTrue(Files.isWritable(limit), limit + " must be writable (root) to shrink the queue");
        Path before = Files.createDirectory(dir.resolve("before"));
        Path leaving = Files.createDirectory(dir.resolve("leaving"));
        String saved = readSysctl(limit);
        EventSink sink = new EventSink(16);
        InotifySource source;
        Files.writeString(limit, "16");
        try {
            source = new InotifySource(WatchOptions.of(dir).withMode(WatchOptions.Mode.INOTIFY), sink, "test");
        } finally {
            Files.writeString(limit, saved);
        }
        try (source) {
            flood(dir, 20); // 40 events against a kernel queue of 16: what follows is dropped
            Path made = Files.createDirectory(dir.resolve("made"));
            Path after = Files.move(before, dir.resolve("after"));
            Path left = Files.move(leaving, elsewhere.resolve("left"));
            Thread reader = new Thread(source::run, "test-watch-reader");
            reader.start();
            try {
                awaitEvent(sink, e -> e.overflow() && e.path() == null, "the kernel's overflow");
                Files.writeString(left.resolve("written-outside"), "x");
                for (Path in : List.of(made, after)) {
                    String name = "written-in-" + in.getFileName();
                    Path written = Files.writeString(in.resolve(name), "x");
                    List<FileEvent> seen = new ArrayList<>();
                    FileEvent e = awaitEvent(sink, ev -> {
                        seen.add(ev);
                        return !ev.overflow() && ev.path().getFileName().toString().equals(name);
                    }, "an event of the file written in " + in);
                    assertEquals(written, e.path());
                    assertTrue(seen.stream().noneMatch(ev -> !ev.overflow() && ev.path().startsWith(leaving)),
                            "an event of the directory moved out, named inside the area: " + seen);
                }
            } finally {
                source.stop();
                reader.join(10_000);
            }
        }
    }

    /** Takes events from the sink's queue until one matches, within 15 s. */
    private static FileEvent awaitEvent(EventSink sink, java.util.function.Predicate<FileEvent> wanted, String what)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            FileEvent e = sink.queue().poll(200, TimeUnit.MILLISECONDS);
            if (e != null && wanted.test(e)) {
                return e;
            }
        }
        throw new AssertionError("no " + what + " within 15 s");
    }

    /**
     * Reads a sysctl in one read(2): procfs answers only a read at offset 0, so Files.readString (which reads
     * a zero-size file a byte at a time first) would see "1" of "16384".
     */
    private static String readSysctl(Path sysctl) throws IOException {
        try (InputStream in = Files.newInputStream(sysctl)) {
            byte[] buffer = new byte[64];
            int n = in.read(buffer);
            return new String(buffer, 0, Math.max(n, 0), StandardCharsets.US_ASCII).trim();
        }
    }

    /** Sets a sysctl that only applies to instances created after it, for as short a time as possible. */
    private static FileEvent floodWithTinyKernelQueue(String sysctl, WatchOptions options) throws Exception {
        Path limit = Path.of("/proc/sys/fs", sysctl);
        Assumptions.assumeTrue(Files.isWritable(limit), limit + " must be writable (root) to shrink the queue");
        String saved = readSysctl(limit);
        assertTrue(saved.matches("\\d{3,}"), "implausible " + limit + ": " + saved);
        NativeWatcher watcher = new NativeWatcher(options);
        try {
            Files.writeString(limit, "16");
            try {
                watcher.start();
            } finally {
                Files.writeString(limit, saved);
                assertEquals(saved, readSysctl(limit));
            }
            // several writers outrun one reader against a 16-event kernel queue
            floodInParallel(options.areas().get(0), 5_000);
            return awaitOverflow(watcher.events());
        } finally {
            watcher.close();
        }
    }

    @Test
    void fanotifyKernelQueueOverflowIsReported() throws Exception {
        WatchOptions options = WatchOptions.of(dir).withMode(WatchOptions.Mode.FANOTIFY).withQueue(0, false);
        FileEvent overflow;
        try {
            overflow = floodWithTinyKernelQueue("fanotify/max_queued_events", options);
        } catch (WatchException e) {
            Assumptions.assumeTrue(false, "fanotify not permitted: " + e.getMessage());
            return;
        }
        assertTrue(overflow != null, "no overflow event");
        assertTrue(overflow.detail().contains("fanotify queue overflow"), overflow.detail());
    }

    @Test
    void inotifyKernelQueueOverflowIsReported() throws Exception {
        FileEvent overflow = floodWithTinyKernelQueue("inotify/max_queued_events",
                WatchOptions.of(dir).withMode(WatchOptions.Mode.INOTIFY));
        assertTrue(overflow != null, "no overflow event");
        assertTrue(overflow.detail().contains("inotify queue overflow"), overflow.detail());
    }
}
