package dev.vigil.watch;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * One change the kernel reported under a watched area, with the process behind it when it could be known.
 *
 * @param types      what happened (the kernel may merge several into one event)
 * @param path       the path changed (the new path for a move); raw bytes survive, null for an overflow of all areas
 * @param oldPath    the old path of a move, else null
 * @param directory  whether the object is a directory
 * @param time       when the event was read from the kernel
 * @param pid        the process that made the change, -1 when the mode cannot tell (inotify, overflow)
 * @param ppid       its parent, -1 when unknown
 * @param comm       its command name, null when unknown
 * @param exe        its executable, null when unknown (exited processes lose it unless seen at exec)
 * @param uid        its real uid, -1 when unknown
 * @param user       the user name of {@code uid}, null when unknown
 * @param attributed whether process identity was found; false says explicitly that it is unknown
 * @param detail     a human note for OVERFLOW events (why and how many were lost) and MOUNT and UNMOUNT events (what
 *                   is mounted: type, source, root), else null
 */
public record FileEvent(Set<EventType> types, Path path, Path oldPath, boolean directory, Instant time,
                        int pid, int ppid, String comm, String exe, int uid, String user, boolean attributed,
                        String detail) {

    public FileEvent {
        // an EnumSet keeps the kinds in declaration order, so text and JSON renderings are stable
        types = types.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(types));
    }

    /** An event with no process identity (inotify mode or an unknown process). */
    static FileEvent unattributed(Set<EventType> types, Path path, Path oldPath, boolean directory, Instant time,
                                  int pid) {
        return new FileEvent(types, path, oldPath, directory, time, pid, -1, null, null, -1, null, false, null);
    }

    static FileEvent attributed(Set<EventType> types, Path path, Path oldPath, boolean directory, Instant time,
                                ProcessInfo process) {
        if (process == null || !process.known()) {
            return unattributed(types, path, oldPath, directory, time, process == null ? -1 : process.pid());
        }
        return new FileEvent(types, path, oldPath, directory, time, process.pid(), process.ppid(),
                process.comm(), process.exe(), process.uid(), process.user(), true, null);
    }

    /** Events were lost under {@code area} (null: anywhere); the detail says why. */
    public static FileEvent overflow(Path area, Instant time, String detail) {
        return new FileEvent(Set.of(EventType.OVERFLOW), area, null, true, time, -1, -1, null, null, -1, null,
                false, detail);
    }

    /** A MOUNT or UNMOUNT at {@code mountPoint}; the detail says what is mounted (type, source, root). */
    static FileEvent mountChange(EventType type, Path mountPoint, Instant time, String detail) {
        return new FileEvent(Set.of(type), mountPoint, null, true, time, -1, -1, null, null, -1, null, false, detail);
    }

    /** Whether this tells a change of the mount table rather than of a file. */
    public boolean mountChange() {
        return types.contains(EventType.MOUNT) || types.contains(EventType.UNMOUNT);
    }

    public boolean is(EventType type) {
        return types.contains(type);
    }

    public boolean overflow() {
        return types.contains(EventType.OVERFLOW);
    }
}
