package dev.vigil.logcheck;

import dev.vigil.alert.Source;
import dev.vigil.alert.Details;
import dev.vigil.alert.Finding;
import dev.vigil.alert.Truncated;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Classified log lines and rotations as log findings, with the rule file and log file in their details. */
public final class LogFindings {

    /** The source of log findings. */
    public static final Source SOURCE = Source.LOGS;

    private LogFindings() {
    }

    /**
     * The findings of one line: none when ignored, one per subsection for alerts and events. The subject is the
     * line as UTF-8 text; a line cut at {@code maxLine} ends with a marker and carries its whole length.
     */
    public static List<Finding> of(Verdict v, LogTail.Line line, String host, Instant now) {
        if (v.section() == Section.IGNORED) { // most lines: not made into text at all
            return List.of();
        }
        String subject = LogLines.shown(v.line()) + (line.truncated() ? Truncated.marker(line.length()) : "");
        return switch (v.section()) {
            case IGNORED -> List.of();
            case SYSTEM -> List.of(finding(LogKind.SYSTEM_EVENT, subject, host, now, details(line, Details.SYSTEM_EVENTS, null)));
            case ALERT -> v.subsections().stream().map(s -> finding(LogKind.SECURITY_ALERT, subject, host, now,
                    details(line, Details.SECURITY_ALERTS, s))).toList();
            case EVENT -> v.subsections().stream().map(s -> finding(LogKind.SECURITY_EVENT, subject, host, now,
                    details(line, Details.SECURITY_EVENTS, s))).toList();
        };
    }

    /** A log file rotated ({@code how}: renamed, truncated, ...), for integrityd's rotation alert. */
    public static Finding rotated(Path file, String how, String host, Instant now) {
        return finding(LogKind.ROTATED, file.toString(), host, now, Map.of(Details.LOGFILE, file.toString(), "rotation", how));
    }

    private static Finding finding(LogKind kind, String subject, String host, Instant now, Map<String, Object> details) {
        return new Finding(SOURCE, kind.name(), subject, host, now, kind.severity(), details);
    }

    private static Map<String, Object> details(LogTail.Line line, String section, String rulefile) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put(Details.SECTION, section);
        if (rulefile != null) {
            d.put(Details.RULEFILE, rulefile);
        }
        d.put(Details.LOGFILE, line.file().toString());
        if (line.truncated()) {
            d.put(Details.TRUNCATED, line.length());
        }
        return d;
    }
}
