package dev.vigil.cli;

import dev.vigil.fim.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.vigil.cli.CommandRun.vigil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code --exit-code=aide} against the real {@code aide --check} on the same tree and the same changes: the exit
 * status is AIDE's, 1 for added entries plus 2 for removed plus 4 for changed. Both leave times out (AIDE keeps
 * them to the second, Vigil to the nanosecond, so a change within the second would be seen by Vigil alone).
 */
class AideExitCodeTest {

    @TempDir
    Path dir;

    private Path tree;
    private Path conf;
    private Path config;
    private String db;

    /** The same tree baselined by AIDE and by Vigil, both comparing permissions, inode, links, owner, size and hash. */
    private void baselineBoth() throws Exception {
        assumeTrue(Tools.installed("aide"), "needs Debian's aide (.ci/run installs it)");
        tree = Files.createDirectory(dir.resolve("tree"));
        for (String f : List.of("kept", "changed", "removed")) {
            Files.writeString(tree.resolve(f), f + "\n");
        }
        conf = Files.writeString(dir.resolve("aide.conf"), String.join("\n",
                "database_in=file:" + dir.resolve("aide.db"),
                "database_out=file:" + dir.resolve("aide.db.new"),
                "report_url=stdout",
                tree + " p+i+n+u+g+s+sha256", ""));
        Tools.sh("aide", "--config", conf.toString(), "--init");
        Files.move(dir.resolve("aide.db.new"), dir.resolve("aide.db"));

        config = Files.writeString(dir.resolve("vigil.properties"), "vigil.files.noTime=" + tree + "\n");
        db = dir.resolve("vigil.db").toString();
        CommandRun baseline = vigil("baseline", "--config", config.toString(), "--db", db, tree.toString());
        assertEquals(0, baseline.status(), baseline.toString());
    }

    private int aideCheck() throws Exception {
        Tools.Result aide = Tools.run(dir, List.of("aide", "--config", conf.toString(), "--check"));
        assertTrue(aide.exit() < 14, "aide --check failed: " + aide.err());
        return aide.exit();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"added", "removed", "changed", "added, removed and changed"})
    void checkExitsAsAideCheckOnTheSameChanges(String changes) throws Exception {
        baselineBoth();
        int bit = 0;
        if (changes.contains("added")) {
            Files.writeString(tree.resolve("new"), "new\n");
            bit |= 1;
        }
        if (changes.contains("removed")) {
            Files.delete(tree.resolve("removed"));
            bit |= 2;
        }
        if (changes.contains("changed")) {
            Files.writeString(tree.resolve("changed"), "CHANGED\n");
            bit |= 4;
        }

        int aide = aideCheck();
        CommandRun vigil = vigil("check", "--config", config.toString(), "--db", db, "--exit-code=aide");
        assertEquals(aide, vigil.status(), "aide --check exited " + aide + "; vigil: " + vigil);
        assertEquals(bit, vigil.status() & bit, vigil.toString());
        CommandRun usual = vigil("check", "--config", config.toString(), "--db", db);
        assertEquals(1, usual.status(), "without the option, 1 for any difference: " + usual);
    }

    @Test
    void noDifferenceIsZeroAsForAide() throws Exception {
        baselineBoth();
        assertEquals(aideCheck(), vigil("check", "--config", config.toString(), "--db", db, "--exit-code=aide").status());
        assertEquals(0, aideCheck());
    }

    @Test
    void errorsAreAidesCodesFromFourteenUp() throws Exception {
        baselineBoth();
        Files.delete(dir.resolve("aide.db"));
        Tools.Result aide = Tools.run(dir, List.of("aide", "--config", conf.toString(), "--check"));
        CommandRun noBaseline = vigil("check", "--db", dir.resolve("empty.db").toString(), "--exit-code=aide");
        assertEquals(aide.exit(), noBaseline.status(), "without a database both exit with AIDE's IO error: " + noBaseline);

        assertEquals(15, vigil("check", "--db", db, "--exit-code=aide", dir.resolve("typo").toString()).status(),
                "AIDE's invalid argument");
        assertEquals(2, vigil("check", "--db", db, dir.resolve("typo").toString()).status(), "Vigil's own scheme");
    }
}
