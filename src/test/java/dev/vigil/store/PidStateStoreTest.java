package dev.vigil.store;

import dev.vigil.pid.PidKind;
import dev.vigil.pid.PidState;
import dev.vigil.pid.ProcessInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PidStateStoreTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T03:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final PidState healthy = new PidState("/run/sshd.pid", null, null, "boot-1",
            new ProcessInfo(812, "sshd", 3456, Instant.parse("2026-11-20T08:00:34.560Z"), "/usr/sbin/sshd", 0, "root"));
    private final PidState died = new PidState("process:cron", PidKind.DIED, "DIED", "boot-1",
            new ProcessInfo(901, "cron", 4000, Instant.parse("2026-11-20T08:00:40Z"), null, -1, null));
    private final PidState neverSeen = new PidState("/run/app.pid", PidKind.INVALID, "INVALID:empty:", "boot-1", null);

    @Test
    void statesSurviveReopeningTheDatabase() {
        Path file = dir.resolve("vigil.db");
        new PidStateStore(Database.open(file), CLOCK).save("pids",
                Map.of(healthy.subject(), healthy, died.subject(), died, neverSeen.subject(), neverSeen), List.of());

        Map<String, PidState> loaded = new PidStateStore(Database.open(file), CLOCK).load("pids");

        assertEquals(Map.of(healthy.subject(), healthy, died.subject(), died, neverSeen.subject(), neverSeen), loaded);
    }

    @Test
    void changedEntriesAreReplacedAndRemovedOnesDeleted() {
        PidStateStore store = new PidStateStore(Database.open(dir.resolve("vigil.db")), CLOCK);
        store.save("pids", Map.of(healthy.subject(), healthy, died.subject(), died), List.of());
        PidState recovered = new PidState(died.subject(), null, null, "boot-1", died.process());

        store.save("pids", Map.of(recovered.subject(), recovered), Set.of(healthy.subject()));

        assertEquals(Map.of(recovered.subject(), recovered), store.load("pids"));
    }

    @Test
    void scopesKeepTheirOwnEntries() {
        PidStateStore store = new PidStateStore(Database.open(dir.resolve("vigil.db")), CLOCK);
        store.save("pids", Map.of(healthy.subject(), healthy), List.of());
        store.save("containers", Map.of(died.subject(), died), List.of());

        store.save("containers", Map.of(), Set.of(healthy.subject()));

        assertEquals(Map.of(healthy.subject(), healthy), store.load("pids"));
        assertEquals(Map.of(died.subject(), died), store.load("containers"));
    }
}
