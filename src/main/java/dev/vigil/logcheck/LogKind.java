package dev.vigil.logcheck;

import dev.vigil.alert.Severity;

/** The kinds of log finding, with the severity each is reported at. */
public enum LogKind {
    /** A line of logcheck's Security Alerts section. */
    SECURITY_ALERT(Severity.CRITICAL),
    /** A line of logcheck's Security Events section. */
    SECURITY_EVENT(Severity.WARNING),
    /** A line no rule ignores: logcheck's System Events section. */
    SYSTEM_EVENT(Severity.NOTICE),
    /** A log file was rotated (the rotation alert). */
    ROTATED(Severity.INFO);

    private final Severity severity;

    LogKind(Severity severity) {
        this.severity = severity;
    }

    public Severity severity() {
        return severity;
    }
}
