package dev.vigil.logcheck;

import dev.vigil.alert.Finding;
import dev.vigil.alert.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns classified log lines into findings: Security Alerts are {@code SECURITY_ALERT} (critical),
 * Security Events {@code SECURITY_EVENT} (warning), System Events {@code SYSTEM_EVENT} (notice); ignored lines
 * give none. The details carry what a report groups by: logcheck's heading and the rule files.
 */
public final class LogFindings {

    private LogFindings() {
    }

    /** Findings for {@code verdicts} of lines read from {@code logFile} on {@code host} at {@code time}. */
    public static List<Finding> of(List<Verdict> verdicts, String logFile, String host, Instant time) {
        List<Finding> out = new ArrayList<>();
        for (Verdict v : verdicts) {
            String kind;
            Severity severity;
            switch (v.section()) {
                case ALERT -> {
                    kind = "SECURITY_ALERT";
                    severity = Severity.CRITICAL;
                }
                case EVENT -> {
                    kind = "SECURITY_EVENT";
                    severity = Severity.WARNING;
                }
                case SYSTEM -> {
                    kind = "SYSTEM_EVENT";
                    severity = Severity.NOTICE;
                }
                default -> {
                    continue;
                }
            }
            out.add(new Finding("logs", kind, v.line(), host, time, severity, Map.of(
                    "heading", v.section().heading(),
                    "rules", v.subsections(),
                    "file", logFile)));
        }
        return out;
    }
}
