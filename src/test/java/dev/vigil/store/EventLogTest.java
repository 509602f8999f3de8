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

    /** The ids a poll's findings are recorded under are their rows', each batch after the rows before it. */
    @Test
    void recordAllReturnsEachFindingsOwnRowIdInOrder() {
        try (Database db = Database.open(dir.resolve("vigil.db"))) {
            EventLog events = new EventLog(db);
            long single = events.record(finding("/etc/hosts", "web1"));
            List<Finding> first = List.of(finding("/etc/passwd", "web1"), finding("/etc/group", "web2"),
                    finding("/etc/shadow", "web3"));
            List<Long> firstIds = events.recordAll(first);
            List<Finding> second = List.of(finding("/etc/motd", "web1"), finding("/etc/issue", "web1"));
            List<Long> secondIds = events.recordAll(second);

            assertEquals(List.of(single + 1, single + 2, single + 3), firstIds);
            assertEquals(List.of(single + 4, single + 5), secondIds);
            List<Long> all = new java.util.ArrayList<>(firstIds);
            all.addAll(secondIds);
            List<Finding> expected = new java.util.ArrayList<>(first);
            expected.addAll(second);
            for (int i = 0; i < all.size(); i++) {
                long id = all.get(i);
                assertEquals(List.of(Json.write(expected.get(i))), db.query("row " + id,
                        "SELECT finding FROM event WHERE id = " + id, rs -> rs.getString(1)));
            }
            assertEquals(List.of(), events.recordAll(List.of()));
        }
    }
}
