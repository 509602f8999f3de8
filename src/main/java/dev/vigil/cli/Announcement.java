package dev.vigil.cli;

import dev.vigil.fim.BaselineStore;
import dev.vigil.fim.ChangeFindings;
import dev.vigil.fim.Integrity;
import dev.vigil.store.EventLog;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A change a command made to the baseline, reported as an ACCEPTED finding with the seal after it (unless it was
 * a first baseline, see {@link ChangeFindings#accepted}): handed over
 * to the daemon through the event history, so it reaches the channels whether the daemon runs now or later.
 */
final class Announcement {

    private Announcement() {
    }

    static void accepted(StoreOptions store, String operation, List<Path> roots, long entries, BaselineStore.SealState before,
                         BaselineStore.SealState seal) {
        ChangeFindings.accepted(operation, Integrity.normalise(roots), entries, before, seal, store.home().host(), Instant.now())
                .ifPresent(new EventLog(store.open())::handOver);
    }
}
