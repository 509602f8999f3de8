package dev.vigil.store;

import dev.vigil.alert.Finding;
import dev.vigil.alert.Json;
import dev.vigil.alert.Severity;
import dev.vigil.alert.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the event history says it holds: the collector's test of a finding it may have forwarded before a kill. */
class EventLogTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @TempDir
    Path dir;

    private static Finding finding(String subject, String host) {
        return new Finding(Source.FILES, "MODIFIED", subject, host, NOW, Severity.WARNING, Map.of());
    }

    @Test
    void theFindingsNotHeldAreThoseNeverRecordedWithExactlyTheirJsonInTheirOrder() {
        try (Database db = Database.open(dir.resolve("vigil.db"))) {
            EventLog events = new EventLog(db);
            Finding recorded = finding("/etc/passwd", "web1");
            Finding another = finding("/etc/group", "web1");
            events.recordAll(List.of(recorded, another));

            Finding otherHost = finding("/etc/passwd", "web2");
            Finding never = finding("/etc/shadow", "web1");
            assertEquals(List.of(never, otherHost), events.notHeld(List.of(never, recorded, otherHost, another)));
            assertTrue(events.holds(Json.write(recorded)));
            assertFalse(events.holds(Json.write(never)));
            assertEquals(List.of(), events.notHeld(List.of()));
        }
    }
}
