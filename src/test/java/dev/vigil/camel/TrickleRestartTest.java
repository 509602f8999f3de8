package dev.vigil.camel;


import dev.vigil.Await;
import dev.vigil.fim.Integrity;
import dev.vigil.fim.PathPolicy;
import dev.vigil.fim.ScanOptions;
import dev.vigil.store.Database;
import dev.vigil.store.EventLog;
import dev.vigil.store.HistoryRetention;
import dev.vigil.store.SqliteBaseline;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A trickle route in a running daemon: a trickle whose start fails is started again after a backoff, over the areas
 * that exist by then (here its only area is missing when the daemon starts, and appears later); and the history's
 * pruning keeps the order of the trickle the route runs, under the name the trickle keeps it.
 */
class TrickleRestartTest {

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    @Test
    void aTrickleThatCouldNotStartStartsAgainOnceItsAreaExists() throws Exception {
        Path watched = daemon.dir.resolve("watched");
        Main main = startTrickleOver(watched);
        Integrity integrity = new Integrity(new SqliteBaseline(Beans.database(main.getCamelContext())),
                ScanOptions.defaults(), PathPolicy.none());

        Path motd = Files.createDirectories(watched).resolve("motd");
        Files.writeString(motd, "hello\n");
        Await.until("the restarted trickle's first baseline", () -> integrity.hasBaseline(watched));
        // renamed over it, so the trickle never sees the file half-written
        Path staged = Files.writeString(Files.createDirectory(daemon.dir.resolve("staging")).resolve("motd"), "owned\n");
        Files.move(staged, motd, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        EventLog events = new EventLog(Beans.database(main.getCamelContext()));
        Await.until("the change found by the trickle", () -> TestDaemon.subjects(events).contains(motd.toString()));
        // a check that stat'ed the old file and read the new one is reported too, as MODIFIED all the same
        assertEquals(List.of("MODIFIED"), events.query(new EventLog.Query(null, null, null, null, null)).stream()
                .filter(f -> f.subject().equals(motd.toString())).map(dev.vigil.alert.Finding::kind).distinct().toList());
    }

    @Test
    void pruningTheHistoryKeepsTheOrderOfTheTrickleRunAndDeletesTheOrderOfARouteRemoved() throws Exception {
        Path watched = Files.createDirectories(daemon.dir.resolve("watched"));
        for (int i = 0; i < 20; i++) {
            Files.writeString(watched.resolve("f" + i), "file " + i + "\n");
        }
        Main main = startTrickleOver(watched);
        Database db = Beans.database(main.getCamelContext());
        try (var removed = new SqliteBaseline(db).verifications("fscan:removed")) {
            removed.record("/srv/old".getBytes(StandardCharsets.UTF_8), 1);
        }
        Await.until("the trickle's order in the store", () -> orderRows(db, "fscan:trickle") > 0);

        main.getCamelContext().getRegistry().lookupByNameAndType("history", HistoryRetention.class).prune();

        assertEquals(0, orderRows(db, "fscan:removed"));
        assertTrue(orderRows(db, "fscan:trickle") > 0, "the running trickle's order is kept");
    }

    /** The daemon with the shipped routes, but for files.yaml: one trickle over {@code watched}, named trickle. */
    private Main startTrickleOver(Path watched) throws Exception {
        Path routes = Files.createDirectory(daemon.dir.resolve("routes"));
        try (Stream<Path> shipped = Files.list(Path.of("routes"))) {
            for (Path file : shipped.filter(f -> !f.getFileName().toString().equals("files.yaml")).toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        // The trickle alone looks at the area: no scheduled check or watch could take its baseline instead.
        Files.writeString(routes.resolve("files.yaml"), """
                - route:
                    id: files-trickle
                    from:
                      uri: fscan:trickle
                      parameters:
                        mode: trickle
                        interval: 200ms
                        areas: "%s"
                        byteRate: 10000000
                        fileRate: 1000
                      steps:
                        - to: direct:report
                """.formatted(watched));
        daemon.routes(routes);
        return daemon.start(Map.of());
    }

    private static long orderRows(Database db, String trickle) {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM trickle_verified WHERE trickle = ?")) {
            ps.setString(1, trickle);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
