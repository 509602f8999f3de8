package dev.vigil.camel;

import dev.vigil.cli.CommandRun;
import dev.vigil.cli.VigilCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A database damaged on disk (pages overwritten in the middle of a real baseline) is a clear error naming the
 * fix, for `vigil db verify`, for `vigil check` and for the daemon's start; never a check that finds nothing.
 */
class DamagedDatabaseTest {

    private Path db;
    private Path watched;
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void damagedBaseline() throws Exception {
        db = daemon.dir.resolve("vigil.db");
        watched = Files.createDirectory(daemon.dir.resolve("watched"));
        for (int i = 0; i < 2000; i++) {
            Files.writeString(watched.resolve("file-" + i), "content " + i + "\n");
        }
        assertEquals(0, vigil("baseline", "--db", db.toString(), watched.toString()), err.toString());
        assertEquals(0, vigil("db", "verify", "--db", db.toString()), "intact before: " + err);
        assertFalse(Files.exists(daemon.dir.resolve("vigil.db-wal")), "everything is in the database file, none in a WAL");
        try (FileChannel ch = FileChannel.open(db, StandardOpenOption.WRITE)) {
            long page = 4096;
            byte[] garbage = new byte[(int) (8 * page)];
            Arrays.fill(garbage, (byte) 0xA5);
            ch.write(ByteBuffer.wrap(garbage), ch.size() / 2 / page * page);
        }
    }

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    @AfterEach
    void stop() {
        if (daemon != null) {
        }
    }

    private int vigil(String... args) {
        var cl = VigilCommand.commandLine(args);
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void dbVerifyExitsTwoNamingTheDamageAndTheFix() {
        assertEquals(2, vigil("db", "verify", "--db", db.toString()));
        assertTrue(err.toString().contains("database " + db + " is damaged ("), err.toString());
        assertTrue(err.toString().contains("Restore it from a backup, or move it aside"), err.toString());
        assertTrue(err.toString().contains("run `vigil baseline` again"), err.toString());
    }

    @Test
    void checkIsAnErrorNotACheckWithoutDifferences() {
        assertEquals(2, vigil("check", "--db", db.toString(), watched.toString()));
        assertTrue(err.toString().contains("database " + db + " is damaged ("), err.toString());
    }

    @Test
    void aCheckThatWouldReportAChangePrintsNothingOfItAndTellsTheDamage() throws Exception {
        Files.writeString(watched.resolve("file-7"), "changed\n");

        for (String format : new String[] {"json", "ndjson", "text"}) {
            CommandRun run = CommandRun.vigil("check", "--format", format, "--db", db.toString(), watched.toString());

            assertEquals(2, run.status(), run.toString());
            assertEquals("", run.out(), "the database is verified beside the check, its verdict before any output: " + run);
            assertTrue(run.err().contains("database " + db + " is damaged ("), run.toString());
        }
    }

    @Test
    void theDaemonRefusesToStart() {
        Exception e = assertThrows(Exception.class, () -> daemon.start(Map.of()));
        assertTrue(VigilCommand.message(e).contains("database " + db + " is damaged ("), VigilCommand.message(e));
    }
}
