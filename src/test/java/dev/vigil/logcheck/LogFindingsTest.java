package dev.vigil.logcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.alert.Finding;
import dev.vigil.alert.Severity;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogFindingsTest {

    @Test
    void alertsAreCriticalEventsWarningsSystemNoticesAndIgnoredLinesVanish() {
        Instant t = Instant.parse("2026-11-22T01:00:00Z");
        List<Finding> f = LogFindings.of(List.of(
                new Verdict("a", Section.ALERT, List.of("kernel")),
                new Verdict("b", Section.IGNORED, List.of()),
                new Verdict("c", Section.EVENT, List.of("su", "sudo")),
                new Verdict("d", Section.SYSTEM, List.of())), "/var/log/syslog", "web1", t);
        assertEquals(List.of("SECURITY_ALERT", "SECURITY_EVENT", "SYSTEM_EVENT"), f.stream().map(Finding::kind).toList());
        assertEquals(List.of(Severity.CRITICAL, Severity.WARNING, Severity.NOTICE),
                f.stream().map(Finding::severity).toList());
        assertEquals(List.of("su", "sudo"), f.get(1).details().get("rules"));
        assertEquals("Security Events", f.get(1).details().get("heading"));
        assertEquals("c", f.get(1).subject());
    }
}
