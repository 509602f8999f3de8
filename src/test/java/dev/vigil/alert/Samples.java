package dev.vigil.alert;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Findings as the sources produce them, for renderer and gate tests. */
final class Samples {

    static final String HOST = "web1.example.org";
    static final Instant T0 = Instant.parse("2026-11-22T01:00:00Z");

    private Samples() {
    }

    static Finding modified(String path) {
        Map<String, Object> before = new LinkedHashMap<>();
        before.put("size", 1024L);
        before.put("mode", "0644");
        before.put("sha256", "aaaa");
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("size", 1088L);
        after.put("mode", "0644");
        after.put("sha256", "bbbb");
        return new Finding(Source.FILES, "MODIFIED", path, HOST, T0, Severity.WARNING,
                Map.of(Details.BEFORE, before, Details.AFTER, after));
    }

    static Finding added(String path) {
        return new Finding(Source.FILES, "ADDED", path, HOST, T0, Severity.WARNING,
                Map.of(Details.AFTER, Map.of("mode", "4755", "uid", 0L)));
    }

    static Finding file(String kind, String path, Severity severity) {
        return new Finding(Source.FILES, kind, path, HOST, T0, severity, Map.of());
    }

    static Finding log(String kind, String rulefile, String line) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(Details.LOGFILE, "/var/log/auth.log");
        if (rulefile != null) {
            details.put(Details.RULEFILE, rulefile);
        }
        return new Finding(Source.LOGS, kind, line, HOST, T0, Severity.NOTICE, details);
    }

    static Finding died(String pidfile) {
        return new Finding(Source.PIDS, "DIED", pidfile, HOST, T0, Severity.WARNING,
                Map.of("pid", 4242L, "command", "sshd"));
    }

    static Report report(Finding... findings) {
        return Report.of(findings[0].source(), List.of(findings), T0.plusSeconds(15));
    }
}
