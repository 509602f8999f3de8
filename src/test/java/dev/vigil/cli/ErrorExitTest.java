package dev.vigil.cli;

import dev.vigil.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exit status 1 means "differences found" to a script: no failure may end with it. */
class ErrorExitTest {

    @TempDir
    Path dir;

    @Test
    void checkExitsTwoNotOneWhenAnErrorEndsIt() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("etc"));
        Files.writeString(tree.resolve("motd"), "hello\n");
        Path db = dir.resolve("vigil.db");
        assertEquals(0, VigilCommand.commandLine().execute("baseline", "--db", db.toString(), tree.toString()));
        Files.writeString(tree.resolve("motd"), "changed\n");

        ChildJvm.Ended check = ChildJvm.vigil(ChildJvm.brokenJna(Files.createDirectory(dir.resolve("empty"))),
                dir.resolve("err"), "check", "--db", db.toString());

        assertEquals(2, check.status(), check.err());
        assertTrue(check.err().lines().anyMatch(l -> l.startsWith("vigil: java.lang.") && l.contains("Error")), check.err());
        // JNA is bound on a thread of its own (NativeLibraries): the reason it failed there is still told
        assertTrue(check.err().contains("Could not find JNA native support"), check.err());

        for (String[] aide : new String[][] {{"--exit-code=aide"}, {"--exit-code", "AIDE"}}) {
            String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("check", "--db", db.toString()),
                    java.util.Arrays.stream(aide)).toArray(String[]::new);
            ChildJvm.Ended asAide = ChildJvm.vigil(ChildJvm.brokenJna(dir.resolve("empty")), dir.resolve("err-aide"), args);
            assertEquals(18, asAide.status(), "AIDE's error, not its 2 for removed entries: " + asAide.err());
        }
    }
}
