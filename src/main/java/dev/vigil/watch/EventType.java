package dev.vigil.watch;

import dev.vigil.os.Libc;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * What happened to a path, as far as the kernel told us; one event may carry several (the kernel merges). One row
 * per kind (as AIDE's attribute table), with the bit fanotify and the bit inotify report it by (0: that API has
 * none); the kinds without a bit are made by the watch itself. Adding a kernel event is adding a row.
 */
public enum EventType {
    CREATE(Libc.FAN_CREATE, Libc.IN_CREATE),
    MODIFY(Libc.FAN_MODIFY, Libc.IN_MODIFY),
    CLOSE_WRITE(Libc.FAN_CLOSE_WRITE, Libc.IN_CLOSE_WRITE),
    ATTRIB(Libc.FAN_ATTRIB, Libc.IN_ATTRIB),
    DELETE(Libc.FAN_DELETE, Libc.IN_DELETE),
    /**
     * A rename inside the watched areas: the event carries both the old and the new path (fanotify's RENAME
     * event, or a MOVED_FROM and MOVED_TO paired by {@link RenamePairing}).
     */
    MOVED(Libc.FAN_RENAME, 0),
    /** Renamed from a watched area to a place outside it (only the old path is known to be watched). */
    MOVED_FROM(Libc.FAN_MOVED_FROM, Libc.IN_MOVED_FROM),
    /** Renamed into a watched area from outside, or a half of a rename whose other half never came. */
    MOVED_TO(Libc.FAN_MOVED_TO, Libc.IN_MOVED_TO),
    DELETE_SELF(Libc.FAN_DELETE_SELF, Libc.IN_DELETE_SELF),
    MOVE_SELF(Libc.FAN_MOVE_SELF, Libc.IN_MOVE_SELF),
    OPEN_EXEC(Libc.FAN_OPEN_EXEC, 0),
    ACCESS(Libc.FAN_ACCESS, Libc.IN_ACCESS),
    /**
     * A filesystem was mounted at or below an area, or over an ancestor of one, at {@link FileEvent#path()}: what
     * it covers is hidden and what happens in it is not seen by the watch; the area should be checked by scanning.
     */
    MOUNT(0, 0),
    /** A mount at or below an area, or over an ancestor of one, is gone: what it covered is visible again. */
    UNMOUNT(0, 0),
    /**
     * Events were lost (kernel queue, our own queue, or a path that could no longer be resolved): the caller
     * should check the area in {@link FileEvent#path()} (or every area when it is null) by scanning.
     */
    OVERFLOW(0, 0);

    private static final EventType[] ROWS = values();

    private final long fanotifyBit;
    private final int inotifyBit;

    EventType(long fanotifyBit, int inotifyBit) {
        this.fanotifyBit = fanotifyBit;
        this.inotifyBit = inotifyBit;
    }

    /** The kinds a fanotify event mask carries. */
    static Set<EventType> ofFanotify(long mask) {
        return of(mask, t -> t.fanotifyBit);
    }

    /** The kinds an inotify event mask carries. */
    static Set<EventType> ofInotify(int mask) {
        return of(mask, t -> t.inotifyBit);
    }

    /** The fanotify mask that asks for {@code types}. */
    static long fanotifyMask(Set<EventType> types) {
        return mask(types, t -> t.fanotifyBit);
    }

    /** The inotify mask that asks for {@code types}. */
    static int inotifyMask(Set<EventType> types) {
        return (int) mask(types, t -> t.inotifyBit);
    }

    private static Set<EventType> of(long mask, ToLongFunction<EventType> bit) {
        EnumSet<EventType> types = EnumSet.noneOf(EventType.class);
        for (EventType t : ROWS) {
            if ((mask & bit.applyAsLong(t)) != 0) {
                types.add(t);
            }
        }
        return types;
    }

    private static long mask(Set<EventType> types, ToLongFunction<EventType> bit) {
        long mask = 0;
        for (EventType t : types) {
            mask |= bit.applyAsLong(t);
        }
        return mask;
    }
}
