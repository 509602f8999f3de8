package dev.vigil.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static dev.vigil.cli.CommandRun.vigil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `vigil.files.growing` as a user sets it: a log that only grew passes `vigil check`; a rewritten one does not. */
class GrowingPolicyTest {

    @TempDir
    Path dir;

    @Test
    void aLogUnderTheGrowingKeyPassesTheCheckWhenAppendedToAndIsModifiedWhenItsOldPartIsRewritten() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("var-log"));
        Path log = Files.writeString(tree.resolve("syslog"), "Dec  4 10:00:00 host sshd[1]: started\n");
        Path config = Files.writeString(dir.resolve("vigil.properties"), "vigil.files.growing=" + tree + "\n");
        String db = dir.resolve("v.db").toString();
        assertEquals(0, vigil("baseline", "--config", config.toString(), "--db", db, tree.toString()).status());

        Files.writeString(log, "Dec  4 10:00:05 host sshd[1]: Accepted publickey for root\n", StandardOpenOption.APPEND);
        CommandRun appended = vigil("check", "--config", config.toString(), "--db", db, tree.toString());
        assertEquals(0, appended.status(), appended.toString());

        Files.writeString(log, "Dec  4 10:00:00 host sshd[1]: nothing to see\nDec  4 10:00:05 host sshd[1]: Accepted publickey for root\n");
        CommandRun rewritten = vigil("check", "--config", config.toString(), "--db", db, tree.toString());
        assertEquals(1, rewritten.status(), rewritten.toString());
        assertTrue(rewritten.toString().contains("MODIFIED   " + log), rewritten.toString());
    }
}
