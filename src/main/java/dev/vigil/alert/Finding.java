package dev.vigil.alert;

import java.time.Instant;
import java.util.Map;

/**
 * One thing worth telling the owner, from any source. Serialised as one JSON object (Jackson).
 *
 * @param source   where it came from
 * @param kind     what happened: ADDED, MODIFIED, DELETED, SECURITY_ALERT, DIED, ... (per source)
 * @param subject  what it is about: a path, a log line, a PID file
 * @param host     the host name the finding was made on
 * @param time     when it was made
 * @param severity how urgent it is
 * @param details  anything else a reader needs: attributes before/after, process and user, rule file, ...
 */
public record Finding(Source source, String kind, String subject, String host, Instant time,
                      Severity severity, Map<String, Object> details) {

    public Finding {
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    public boolean critical() {
        return severity == Severity.CRITICAL;
    }

    /**
     * How many findings this one stands for: an {@value ReportGate#UNLISTED} finding (the last of a full pool's report)
     * its count, any other 1.
     */
    public long standsFor() {
        return ReportGate.UNLISTED.equals(kind) ? Unlisted.count(this) : 1;
    }
}
