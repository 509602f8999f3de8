package dev.vigil.fim;

import dev.vigil.alert.Source;
import dev.vigil.alert.Details;
import dev.vigil.alert.Finding;
import dev.vigil.alert.Severity;
import dev.vigil.os.PathBytes;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Changes as file findings: every attribute printed before and after, and which ones differ. */
public final class ChangeFindings {

    /** The source of file findings. */
    public static final Source SOURCE = Source.FILES;

    private ChangeFindings() {
    }

    /** The change as a finding of {@code severity}; an ignore file that is not applied is critical whatever it is. */
    public static Finding toFinding(Change c, String host, Instant time, Severity severity) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (c.reason() != null) {
            details.put("message", "not applied: " + c.reason());
        }
        if (c.before() != null) {
            details.put(Details.BEFORE, printed(c.before()));
        }
        if (c.after() != null) {
            details.put(Details.AFTER, printed(c.after()));
        }
        return new Finding(SOURCE, c.kind().name(), c.displayPath(), host, time,
                c.kind() == ChangeKind.UNTRUSTED_IGNORE ? Severity.CRITICAL : severity, details);
    }

    /** A deviation reported earlier that is gone: the entry is back as in the baseline. */
    public static Finding reverted(byte[] path, String host, Instant time) {
        return new Finding(SOURCE, FileKind.REVERTED.name(), PathBytes.escape(path), host, time, Severity.NOTICE,
                Map.of("message", "back as in the baseline"));
    }

    /**
     * A baselined entry renamed: one MOVED finding with both paths ({@code from}, {@code to}), the baseline record
     * of the old path and the current record of the new one.
     */
    public static Finding moved(Change from, Change to, String host, Instant time, Severity severity) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("from", from.displayPath());
        details.put("to", to.displayPath());
        if (from.before() != null) {
            details.put(Details.BEFORE, printed(from.before()));
        }
        if (to.after() != null) {
            details.put(Details.AFTER, printed(to.after()));
        }
        return new Finding(SOURCE, FileKind.MOVED.name(), to.displayPath(), host, time, severity, details);
    }

    private static Map<String, String> printed(FileRecord r) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Attribute a : List.of(Attribute.values())) {
            String v = a.print(r);
            if (!v.equals("-")) {
                out.put(a.key(), v);
            }
        }
        return out;
    }
}
