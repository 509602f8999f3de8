package dev.vigil.watch;

import dev.vigil.alert.Finding;
import dev.vigil.fim.Change;
import dev.vigil.fim.ChangeKind;
import dev.vigil.os.PathBytes;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who made a file finding's change, told from the raw events the watch kept of its path, so a change carries
 * its processes whichever check found it first (the watch, the trickle, the scheduled check). Right or absent:
 * a process is blamed only for what its own events can have done. Content (MODIFIED) is changed by writing
 * (MODIFY; a process that only closes a descriptor it inherited gets CLOSE_WRITE alone) or by putting another
 * file in place; ATTRIB ({@code touch -r}, chmod) changes only attributes; DELETED is a removal. Events from
 * before the baseline's state (its ctime) are not looked at, nor, but for DELETED, those before the path's last
 * removal (they were of another file). The finding names the process of the latest such event, and lists every
 * process with events of the path in that time, the responsible ones first, each with what it did. Plain Java.
 */
public final class Attribution {

    /** The latest events of a path looked at; a path written without end must not make a finding huge. */
    static final int EVENTS_LOOKED_AT = 1000;
    /** Processes listed in a finding at most; how many more there were is said. */
    static final int PROCESSES_LISTED = 10;

    private static final Duration LOOK_AGAIN = Duration.ofMillis(50);
    private static final Set<EventType> PLACED = EnumSet.of(EventType.CREATE, EventType.MOVED, EventType.MOVED_TO);
    private static final Set<EventType> REMOVED = EnumSet.of(EventType.DELETE, EventType.DELETE_SELF,
            EventType.MOVED_FROM);

    private final EventHistory history;

    public Attribution(EventHistory history) {
        this.history = history;
    }

    /** The finding of {@code change} with the processes whose events of its path made it; foundBy if given. */
    public Finding of(Finding f, Change change, String foundBy) {
        return of(f, change, foundBy, Duration.ZERO);
    }

    /**
     * As {@link #of(Finding, Change, String)}, but a change found with no process to blame is looked at again for
     * up to {@code patience}: a check that came by just after a write (even in the middle of it, before the new
     * times were set) can be ahead of the watch's worker, which stores the write's events a moment later.
     */
    public Finding of(Finding f, Change change, String foundBy, Duration patience) {
        Instant until = Instant.now().plus(patience);
        Finding found = attribute(f, change, foundBy);
        while (!Boolean.TRUE.equals(found.details().get("attributed")) && Instant.now().isBefore(until)) {
            try {
                Thread.sleep(LOOK_AGAIN.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return found;
            }
            found = attribute(f, change, foundBy);
        }
        return found;
    }

    private Finding attribute(Finding f, Change change, String foundBy) {
        Instant since = change.before() == null ? null : ctime(change.before().ctimeNs());
        Path path = PathBytes.toPath(change.path());
        List<Role> roles = roles(path, history.eventsOf(path, since, EVENTS_LOOKED_AT), change.kind());
        Set<EventType> responsible = responsible(change.kind());
        Map<Key, Process> processes = new LinkedHashMap<>();
        for (Role r : roles) {
            if (r.event.attributed() && r.event.pid() > 0) {
                processes.computeIfAbsent(new Key(r.event.pid(), r.event.exe()), k -> new Process()).add(r, responsible);
            }
        }
        List<Process> ordered = new ArrayList<>(processes.values());
        ordered.sort(Comparator.comparing((Process p) -> p.blamedAt == null)
                .thenComparing(p -> p.blamedAt == null ? p.lastAt : p.blamedAt, Comparator.reverseOrder()));
        Map<String, Object> d = new LinkedHashMap<>(f.details());
        Process writer = ordered.isEmpty() || ordered.get(0).blamedAt == null ? null : ordered.get(0);
        if (writer != null) {
            d.put("events", writer.events());
            putProcess(d, writer.identity);
        }
        d.put("attributed", writer != null);
        if (!ordered.isEmpty()) {
            d.put("processes", ordered.stream().limit(PROCESSES_LISTED).map(Process::summary).toList());
            if (ordered.size() > PROCESSES_LISTED) {
                d.put("processesNotListed", ordered.size() - PROCESSES_LISTED);
            }
        }
        if (foundBy != null) {
            d.put("foundBy", foundBy);
        }
        return new Finding(f.source(), f.kind(), f.subject(), f.host(), f.time(), f.severity(), d);
    }

    /** The kinds of one event as a finding's {@code events} detail: "CLOSE_WRITE,CREATE". */
    static String eventTypes(FileEvent e) {
        return String.join(",", e.types().stream().map(EventType::name).sorted().toList());
    }

    /** The finding with the process behind one event (attributed or not), or with what found it instead. */
    public static Finding byEvent(Finding f, FileEvent e, String foundBy) {
        Map<String, Object> d = new LinkedHashMap<>(f.details());
        if (e != null) {
            d.put("events", eventTypes(e));
            putProcess(d, e);
            d.put("attributed", e.attributed());
        } else {
            d.put("attributed", false);
        }
        if (foundBy != null) {
            d.put("foundBy", foundBy);
        }
        return new Finding(f.source(), f.kind(), f.subject(), f.host(), f.time(), f.severity(), d);
    }

    private static void putProcess(Map<String, Object> d, FileEvent e) {
        if (e.pid() >= 0) {
            d.put("pid", e.pid());
        }
        if (e.ppid() >= 0) {
            d.put("ppid", e.ppid());
        }
        putKnown(d, "comm", e.comm());
        putKnown(d, "exe", e.exe());
        if (e.uid() >= 0) {
            d.put("uid", e.uid());
        }
        putKnown(d, "user", e.user());
    }

    private static void putKnown(Map<String, Object> d, String key, String value) {
        if (value != null) {
            d.put(key, value);
        }
    }

    /** What may have made a change of this kind. */
    private static Set<EventType> responsible(ChangeKind kind) {
        return switch (kind) {
            case MODIFIED, ADDED -> EnumSet.of(EventType.MODIFY, EventType.CREATE, EventType.MOVED, EventType.MOVED_TO);
            case ATTRIBUTES, UNTRUSTED_IGNORE -> EnumSet.of(EventType.ATTRIB, EventType.MODIFY, EventType.CREATE, EventType.MOVED,
                    EventType.MOVED_TO);
            case DELETED -> REMOVED;
        };
    }

    /** One event as it concerns the path: a rename away from it is its MOVED_FROM. */
    private record Role(FileEvent event, Set<EventType> types) {
    }

    /**
     * The events as they concern {@code path}, oldest first; but for a deletion, only those after its last
     * removal, which were of the file there now.
     */
    private static List<Role> roles(Path path, List<FileEvent> events, ChangeKind kind) {
        List<Role> roles = new ArrayList<>();
        for (FileEvent e : events) {
            Set<EventType> types = path.equals(e.path()) ? e.types() : Set.of(EventType.MOVED_FROM);
            if (kind != ChangeKind.DELETED && types.stream().anyMatch(REMOVED::contains)
                    && types.stream().noneMatch(PLACED::contains)) {
                roles.clear();
            } else {
                roles.add(new Role(e, types));
            }
        }
        return roles;
    }

    private static Instant ctime(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    private record Key(int pid, String exe) {
    }

    /** One process's events of the path. */
    private static final class Process {
        private FileEvent identity;
        private final EnumSet<EventType> did = EnumSet.noneOf(EventType.class);
        private Instant lastAt;
        private Instant blamedAt;

        void add(Role r, Set<EventType> responsible) {
            FileEvent e = r.event;
            // the latest event that knew the command name: a later one may have come after /proc lost it
            if (identity == null || e.comm() != null || identity.comm() == null) {
                identity = e;
            }
            did.addAll(r.types);
            lastAt = e.time();
            if (r.types.stream().anyMatch(responsible::contains)) {
                blamedAt = e.time();
            }
        }

        String events() {
            return String.join(",", did.stream().map(EventType::name).sorted().toList());
        }

        Map<String, Object> summary() {
            Map<String, Object> m = new LinkedHashMap<>();
            putProcess(m, identity);
            m.remove("ppid");
            m.put("events", events());
            return m;
        }
    }
}
