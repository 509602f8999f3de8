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
import java.util.Optional;

/** Changes as file findings: every attribute printed before and after, and which ones differ. */
public final class ChangeFindings {

    /** The source of file findings. */
    public static final Source SOURCE = Source.FILES;
    /** How many paths an ACCEPTED finding names; the rest are counted. */
    static final int PATHS_NAMED = 20;

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

    /**
     * A change to the baseline made by Vigil: {@code operation} ({@code accept}, {@code baseline}, {@code forget})
     * over {@code roots}, announcing the seal after it; none for a first baseline (no rows {@code before}), which
     * a collector recognises by the seal of no rows it starts from. The subject names the first root and the seal,
     * so two accepts of one path in a report's window are two findings, each announcing its seal.
     */
    public static Optional<Finding> accepted(String operation, List<byte[]> roots, long entries,
                                             BaselineStore.SealState before, BaselineStore.SealState seal,
                                             String host, Instant time) {
        if (before.rows() == 0) {
            return Optional.empty();
        }
        List<String> paths = roots.stream().limit(PATHS_NAMED).map(PathBytes::escape).toList();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("message", operation + " took " + entries + (entries == 1 ? " entry" : " entries")
                + " into the baseline");
        details.put(Details.OPERATION, operation);
        details.put(Details.PATHS, paths);
        details.put(Details.PATH_COUNT, roots.size());
        details.put(Details.SEAL, seal.value());
        details.put(Details.SEAL_ROWS, seal.rows());
        String more = roots.size() > 1 ? " and " + (roots.size() - 1) + " more" : "";
        return Optional.of(new Finding(SOURCE, FileKind.ACCEPTED.name(), operation + " " + (paths.isEmpty() ? "" : paths.get(0)) + more
                + " (seal " + seal.value().substring(0, 12) + ")", host, time, Severity.NOTICE, details));
    }

    /** Baseline rows changed behind Vigil's back, found by a full check: critical. */
    public static Finding tampered(BaselineStore.Tampering t, String host, Instant time) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("message", "the baseline's rows were changed outside Vigil (its seal was "
                + t.kept().value() + " over " + t.kept().rows() + " rows); checks now compare against the changed rows:"
                + " take the baseline again from a state you trust");
        details.put(Details.SEAL, t.found().value());
        details.put(Details.SEAL_ROWS, t.found().rows());
        details.put(Details.SEAL_KEPT, t.kept().value());
        return new Finding(SOURCE, FileKind.BASELINE_TAMPERED.name(), "baseline seal " + t.found().value().substring(0, 12), host, time,
                Severity.CRITICAL, details);
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
