package dev.vigil.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DebouncerTest {

    private final HandClock clock = new HandClock();
    private final Debouncer debouncer = new Debouncer(Duration.ofMillis(500), Duration.ofSeconds(5), clock);

    private FileEvent event(EventType type, String path) {
        return FileEvent.unattributed(Set.of(type), Path.of(path), null, false, clock.instant(), -1);
    }

    @Test
    void burstOfWritesBecomesOneEventAfterAQuietPeriod() {
        for (int i = 0; i < 100; i++) {
            debouncer.offer(event(i == 0 ? EventType.CREATE : EventType.CLOSE_WRITE, "/etc/app.conf"));
            clock.advance(Duration.ofMillis(10));
        }
        assertEquals(List.of(), debouncer.due());
        assertEquals(Optional.of(Duration.ofMillis(490)), debouncer.untilNextDue());
        clock.advance(Duration.ofMillis(490));
        List<FileEvent> due = debouncer.due();
        assertEquals(1, due.size());
        assertEquals(Set.of(EventType.CREATE, EventType.CLOSE_WRITE), due.get(0).types());
        assertEquals(Optional.empty(), debouncer.untilNextDue());
    }

    @Test
    void pathWrittenWithoutPauseIsLetThroughAfterTheMaximumDelay() {
        for (int i = 0; i < 49; i++) {
            debouncer.offer(event(EventType.CLOSE_WRITE, "/var/log/busy"));
            clock.advance(Duration.ofMillis(100));
            assertEquals(List.of(), debouncer.due(), "at write " + i);
        }
        debouncer.offer(event(EventType.CLOSE_WRITE, "/var/log/busy"));
        clock.advance(Duration.ofMillis(100));
        assertEquals(1, debouncer.due().size());
    }

    @Test
    void pathsAreDebouncedIndependently() {
        debouncer.offer(event(EventType.CLOSE_WRITE, "/a"));
        clock.advance(Duration.ofMillis(400));
        debouncer.offer(event(EventType.CLOSE_WRITE, "/b"));
        clock.advance(Duration.ofMillis(100));
        List<FileEvent> due = debouncer.due();
        assertEquals(List.of(Path.of("/a")), due.stream().map(FileEvent::path).toList());
        assertEquals(1, debouncer.held());
    }

    @Test
    void overflowAndMovesAreNotHeld() {
        debouncer.offer(FileEvent.overflow(null, clock.instant(), "lost"));
        debouncer.offer(FileEvent.unattributed(Set.of(EventType.MOVED), Path.of("/new"), Path.of("/old"), false,
                clock.instant(), -1));
        List<FileEvent> due = debouncer.due();
        assertEquals(2, due.size());
        assertTrue(due.get(0).overflow());
        assertEquals(Path.of("/old"), due.get(1).oldPath());
    }
}
