package dev.vigil.pid;

import dev.vigil.alert.Severity;

/** The kinds of finding the PID checks make, with how urgent each is and whether it is a lasting problem. */
public enum PidKind {
    /** A PID file that existed (or is named in the configuration) is gone. */
    MISSING(Severity.WARNING, true),
    /** A PID file holds no usable PID: empty, garbage, negative, zero or above {@code pid_max}. */
    INVALID(Severity.WARNING, true),
    /** No process has the PID in the PID file, or no process runs a required command. */
    DIED(Severity.WARNING, true),
    /** The process has exited and its parent has not reaped it. */
    ZOMBIE(Severity.WARNING, true),
    /** The process runs another executable than its PID file's expectation names; not held back. */
    UNEXPECTED_EXE(Severity.CRITICAL, true),
    /**
     * Another process than before, running the same executable as the same user: a new PID, or the same PID with
     * another start time (reuse).
     */
    RESTARTED(Severity.NOTICE, false),
    /**
     * Another executable or another user than the process seen last: the same process after an exec or a change
     * of user, or another process (a PID file pointed at another program after its service died; a user's own copy
     * of a required command, left the oldest when the service died); not also RESTARTED.
     */
    REPLACED(Severity.WARNING, false),
    /** A problem reported earlier has cleared. */
    RECOVERED(Severity.INFO, false);

    private final Severity severity;
    private final boolean problem;

    PidKind(Severity severity, boolean problem) {
        this.severity = severity;
        this.problem = problem;
    }

    public Severity severity() {
        return severity;
    }

    /** A state that lasts until it clears (and is then RECOVERED), rather than a one-off event. */
    public boolean problem() {
        return problem;
    }
}
