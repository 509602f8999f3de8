package dev.vigil.watch;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a burst of events on one path into one event once the path has been quiet for a while, so a file
 * written in a hundred chunks is checked once. A path written without pause is still let through after
 * {@code maxDelay}. Moves, mounts and overflows are not held: they change which paths exist or say events were lost,
 * and whoever checks needs them at once. Not thread-safe: one consumer thread offers and drains; the clock
 * is injected so the timing can be tested.
 */
public final class Debouncer {

    private final Duration quiet;
    private final Duration maxDelay;
    private final Clock clock;
    private final Map<Path, Held> held = new LinkedHashMap<>();
    private final List<FileEvent> immediate = new ArrayList<>();

    private static final class Held {
        private final Instant first;
        private Instant last;
        private final EnumSet<EventType> types = EnumSet.noneOf(EventType.class);
        private FileEvent latest;

        Held(Instant first) {
            this.first = first;
        }
    }

    public Debouncer(Duration quiet, Duration maxDelay, Clock clock) {
        if (quiet.isNegative() || maxDelay.compareTo(quiet) < 0) {
            throw new IllegalArgumentException("need 0 <= quiet <= maxDelay");
        }
        this.quiet = quiet;
        this.maxDelay = maxDelay;
        this.clock = clock;
    }

    public void offer(FileEvent event) {
        if (event.overflow() || event.mountChange() || event.path() == null || event.is(EventType.MOVED)
                || event.is(EventType.MOVED_FROM) || event.is(EventType.MOVED_TO)) {
            immediate.add(event);
            return;
        }
        Instant now = clock.instant();
        Held h = held.computeIfAbsent(event.path(), p -> new Held(now));
        h.last = now;
        h.types.addAll(event.types());
        h.latest = event;
    }

    /** How many paths are held, and events waiting to be due at once. */
    public int size() {
        return held.size() + immediate.size();
    }

    /** Whether events of {@code path} are held: another one costs nothing more. */
    public boolean holds(Path path) {
        return held.containsKey(path);
    }

    /** The events that are due now: everything not held, and each path quiet for long enough (or held too long). */
    public List<FileEvent> due() {
        Instant now = clock.instant();
        List<FileEvent> out = new ArrayList<>(immediate);
        immediate.clear();
        for (Iterator<Held> it = held.values().iterator(); it.hasNext(); ) {
            Held h = it.next();
            if (!now.isBefore(h.last.plus(quiet)) || !now.isBefore(h.first.plus(maxDelay))) {
                it.remove();
                FileEvent e = h.latest;
                out.add(new FileEvent(Set.copyOf(h.types), e.path(), e.oldPath(), e.directory(), e.time(), e.pid(),
                        e.ppid(), e.comm(), e.exe(), e.uid(), e.user(), e.attributed(), e.detail()));
            }
        }
        return out;
    }

    /** How long until the next held event is due; empty when nothing is held. */
    public Optional<Duration> untilNextDue() {
        if (!immediate.isEmpty()) {
            return Optional.of(Duration.ZERO);
        }
        Instant now = clock.instant();
        Instant next = null;
        for (Held h : held.values()) {
            Instant at = h.last.plus(quiet);
            Instant cap = h.first.plus(maxDelay);
            Instant due = at.isBefore(cap) ? at : cap;
            if (next == null || due.isBefore(next)) {
                next = due;
            }
        }
        if (next == null) {
            return Optional.empty();
        }
        Duration wait = Duration.between(now, next);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    }

    public int held() {
        return held.size();
    }
}
