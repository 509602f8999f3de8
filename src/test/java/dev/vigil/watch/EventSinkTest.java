package dev.vigil.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The hand-over behind a consumer that does not keep up: coalesced by path and process, bounded, losses told where. */
class EventSinkTest {

    private static final Path FLOODED = Path.of("/area/cache");

    private static FileEvent event(EventType type, Path path, int pid, String comm) {
        return new FileEvent(Set.of(type), path, null, false, Instant.now(), pid, 1, comm, "/usr/bin/" + comm, 0, "root",
                true, null);
    }

    private static void flood(EventSink sink, Path dir, int files) {
        for (int i = 0; i < files; i++) {
            sink.emit(event(EventType.CREATE, dir.resolve("f" + i), 100, "python3"));
            sink.emit(event(EventType.DELETE, dir.resolve("f" + i), 100, "python3"));
        }
    }

    /** What the consumer takes until the sink owes nothing more, settling between takes as the reader would. */
    private static List<FileEvent> drain(EventSink sink) {
        List<FileEvent> taken = new ArrayList<>();
        do {
            sink.queue().drainTo(taken);
            sink.settle();
        } while (!sink.queue().isEmpty() || sink.owesCount());
        return taken;
    }

    @Test
    void aChangeBehindAFloodKeepsItsProcessAndItsKinds() {
        EventSink sink = new EventSink(64);
        flood(sink, FLOODED, 10_000);
        Path victim = Path.of("/area/etc/passwd");
        sink.emit(event(EventType.MODIFY, victim, 4242, "hidden-edit"));
        sink.emit(event(EventType.CLOSE_WRITE, victim, 4242, "hidden-edit"));
        flood(sink, FLOODED, 10_000);
        List<FileEvent> taken = drain(sink);
        List<FileEvent> ofVictim = taken.stream().filter(e -> victim.equals(e.path())).toList();
        assertEquals(1, ofVictim.size(), ofVictim.toString());
        assertEquals(Set.of(EventType.MODIFY, EventType.CLOSE_WRITE), ofVictim.get(0).types());
        assertEquals("hidden-edit", ofVictim.get(0).comm());
        assertEquals(4242, ofVictim.get(0).pid());
        FileEvent overflow = taken.get(taken.size() - 1);
        assertTrue(overflow.overflow(), overflow.toString());
        assertEquals(FLOODED, overflow.path());
        assertEquals(sink.droppedTotal() + " events dropped in this directory: the consumer did not keep up with the "
                + "watcher queue (capacity 64)", overflow.detail());
    }

    @Test
    void eventsOfOnePathByTwoProcessesAreNotMerged() {
        EventSink sink = new EventSink(2);
        flood(sink, FLOODED, 10);
        Path shared = Path.of("/area/etc/shadow");
        sink.emit(event(EventType.CREATE, shared, 1, "useradd"));
        sink.emit(event(EventType.MODIFY, shared, 2, "intruder"));
        List<FileEvent> ofShared = drain(sink).stream().filter(e -> shared.equals(e.path())).toList();
        assertTrue(ofShared.stream().noneMatch(e -> e.types().size() > 1), ofShared.toString());
        assertTrue(ofShared.stream().allMatch(e -> e.is(EventType.CREATE) == "useradd".equals(e.comm())), ofShared.toString());
    }

    @Test
    void aMoveIsNeverCoalescedAndKeepsItsPlace() {
        EventSink sink = new EventSink(512); // room for 4 spilled events per directory
        flood(sink, FLOODED, 1_000);
        Path from = Path.of("/area/etc/passwd+");
        Path to = Path.of("/area/etc/passwd");
        sink.emit(event(EventType.MODIFY, to, 7, "vipw"));
        sink.emit(new FileEvent(Set.of(EventType.MOVED), to, from, false, Instant.now(), 7, 1, "vipw", "/usr/bin/vipw", 0,
                "root", true, null));
        sink.emit(event(EventType.ATTRIB, to, 7, "vipw"));
        List<String> ofTo = drain(sink).stream().filter(e -> to.equals(e.path())).map(e -> e.types().toString()).toList();
        assertEquals(List.of("[MODIFY]", "[MOVED]", "[ATTRIB]"), ofTo);
    }

    @Test
    void floodsInMoreDirectoriesThanRememberedAreToldForAllAreas() {
        EventSink sink = new EventSink(1024);
        for (int d = 0; d <= EventSink.LOST_DIRECTORIES; d++) {
            flood(sink, Path.of("/area/d" + d), 1_000);
        }
        List<FileEvent> taken = drain(sink);
        // bounded: the queue and the spill (half of it) at most, and one OVERFLOW
        assertTrue(taken.size() <= 1024 + 512 + 1, taken.size() + " events");
        List<FileEvent> overflows = taken.stream().filter(FileEvent::overflow).toList();
        assertEquals(1, overflows.size(), overflows.toString());
        assertEquals(null, overflows.get(0).path());
        assertEquals(sink.droppedTotal() + " events dropped: the consumer did not keep up with the watcher queue "
                + "(capacity 1024)", overflows.get(0).detail());
    }

    @Test
    void whatTheKernelLostIsToldAfterWhatWasQueued() {
        EventSink sink = new EventSink(4);
        flood(sink, FLOODED, 10);
        sink.emit(FileEvent.overflow(null, Instant.now(), "fanotify queue overflow: kernel dropped events"));
        List<FileEvent> taken = drain(sink);
        FileEvent last = taken.get(taken.size() - 1);
        assertEquals(null, last.path());
        assertTrue(last.detail().startsWith("fanotify queue overflow: kernel dropped events; "), last.detail());
        assertEquals(1, taken.stream().filter(FileEvent::overflow).count(), taken.toString());
    }
}
