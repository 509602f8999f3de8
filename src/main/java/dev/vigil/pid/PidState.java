package dev.vigil.pid;

/**
 * What the checks remember about one PID file or required command between checks (and, through
 * {@code dev.vigil.store.PidStateStore}, across restarts of Vigil).
 *
 * @param subject    the PID file's absolute path, or {@code process:NAME} for a required command
 * @param problem    the problem last reported and not yet cleared, or null
 * @param problemKey tells one occurrence of a problem from the next (DIED for PID 12 vs PID 40), so a
 *                   lasting problem is reported once and a new one again
 * @param bootId     the boot the process was seen in: start ticks count from boot
 * @param process    the last process seen running, or null if none was ever seen
 */
public record PidState(String subject, PidKind problem, String problemKey, String bootId, ProcessInfo process) {
}
