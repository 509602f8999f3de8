package dev.vigil.pid;

import java.time.Instant;

/**
 * One process as the PID checks see it and remember it: enough to tell it apart from a later process with
 * the same PID (start time in clock ticks since boot) and to tell the owner what ran (command, executable,
 * user). The momentary state letter is not part of it: it flips between R and S all the time, and
 * remembering it would rewrite every state at every check.
 *
 * @param pid        the host PID
 * @param command    the kernel's short command name ({@code comm}, at most 15 bytes)
 * @param startTicks start time in clock ticks since boot (field 22 of {@code stat}); with the boot id it
 *                   identifies the process even when its PID is reused
 * @param started    the start time as an instant, for people
 * @param exe        the target of {@code /proc/PID/exe}, or null when it cannot be read (zombie, kernel
 *                   thread, or not permitted)
 * @param uid        the effective uid, or -1 when unknown
 * @param user       the user name of {@code uid}, or the number as text when the name is unknown
 */
public record ProcessInfo(int pid, String command, long startTicks, Instant started,
                          String exe, int uid, String user) {

    /** Suffix the kernel appends to {@code /proc/PID/exe} when the file was deleted or replaced on disk. */
    static final String DELETED = " (deleted)";

    /** Same process: same PID and same start time (a reused PID starts later). */
    public boolean sameProcessAs(ProcessInfo other) {
        return other != null && pid == other.pid && startTicks == other.startTicks;
    }

    /**
     * The executable path without the kernel's " (deleted)" mark: a package upgrade replaces the file under a
     * running daemon, which is the same program still running, not a process that now runs another one.
     */
    public String exePath() {
        if (exe == null) {
            return null;
        }
        return exe.endsWith(DELETED) ? exe.substring(0, exe.length() - DELETED.length()) : exe;
    }
}
