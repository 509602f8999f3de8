package dev.vigil.cli;

import dev.vigil.alert.Details;
import dev.vigil.alert.Finding;
import dev.vigil.store.BaselineSeal;
import dev.vigil.store.Database;
import dev.vigil.store.EventLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.vigil.cli.CommandRun.vigil;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every command that changes a baseline with rows announces it as an ACCEPTED finding with the seal after it,
 * waiting in the event history for the daemon; a first baseline announces nothing.
 */
class AcceptAnnouncementTest {

    @TempDir
    Path dir;

    private List<Finding> accepted(Path db) {
        return new EventLog(Database.open(db)).query(new EventLog.Query(null, null, null, List.of("ACCEPTED"), null));
    }

    private String seal(Path db) {
        return new BaselineSeal(Database.open(db)).current().value();
    }

    @Test
    void baselineAgainAcceptAndForgetEachAnnounceTheirSealButAFirstBaselineDoesNot() throws Exception {
        Path etc = Files.createDirectory(dir.resolve("etc"));
        Path hosts = Files.writeString(etc.resolve("hosts"), "127.0.0.1 localhost\n");
        Path opt = Files.createDirectory(dir.resolve("opt"));
        Files.writeString(opt.resolve("tool"), "#!/bin/sh\n");
        Path db = dir.resolve("v.db");

        assertEquals(0, vigil("baseline", "--db", db.toString(), etc.toString()).status());
        assertEquals(List.of(), accepted(db), "a first baseline");

        assertEquals(0, vigil("baseline", "--db", db.toString(), opt.toString()).status());
        Files.writeString(hosts, "127.0.0.1 localhost\n10.0.0.9 evil\n");
        assertEquals(0, vigil("accept", "--db", db.toString(), hosts.toString()).status());
        assertEquals(0, vigil("baseline", "--db", db.toString(), "--forget", opt.toString()).status());

        List<Finding> announced = accepted(db);
        assertEquals(List.of("baseline", "accept", "forget"), announced.stream().map(f -> f.details().get(Details.OPERATION)).toList());
        assertEquals(List.of(hosts.toString()), announced.get(1).details().get(Details.PATHS));
        assertEquals(seal(db), announced.get(2).details().get(Details.SEAL), "the last announces the seal there is now");
        assertEquals(List.of(), new EventLog(Database.open(db)).pooled(), "they wait for the daemon, handed over");
    }
}
