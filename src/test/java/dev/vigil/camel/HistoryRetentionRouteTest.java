package dev.vigil.camel;

import dev.vigil.alert.Source;
import dev.vigil.Await;
import dev.vigil.alert.Finding;
import dev.vigil.alert.Severity;
import dev.vigil.store.Database;
import dev.vigil.store.EventLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The shipped history-retention route: the daemon deletes history older than vigil.history.keep once started. */
class HistoryRetentionRouteTest {

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    @Test
    void historyOlderThanTheRetentionIsDeletedSoonAfterStart() throws Exception {
        EventLog events = new EventLog(Database.open(daemon.dir.resolve("vigil.db")));
        events.record(finding("/etc/last-year", daemon.now().minus(Duration.ofDays(31))));
        events.record(finding("/etc/last-week", daemon.now().minus(Duration.ofDays(7))));

        daemon.start(Map.of("vigil.history.keep", "30d", "vigil.files.watch.enabled", "false"));

        Await.until("the old finding deleted", () -> TestDaemon.subjects(events).size() == 1);
        assertEquals(List.of("/etc/last-week"), TestDaemon.subjects(events));
    }


    private static Finding finding(String path, java.time.Instant time) {
        return new Finding(Source.FILES, "MODIFIED", path, "test-host", time, Severity.WARNING, Map.of());
    }
}
