package dev.vigil.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.vigil.cli.CommandRun.vigil;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code vigil baseline --forget AREA}: an area leaves the baseline, and checks no longer cover it. */
class BaselineForgetTest {

    @TempDir
    Path dir;

    private Path tree(String name, String... files) throws Exception {
        Path tree = Files.createDirectory(dir.resolve(name));
        for (String f : files) {
            Files.writeString(tree.resolve(f), f + "\n");
        }
        return tree;
    }

    @Test
    void forgetDropsAnAreaAndEverythingBelowItAndSaysHowManyEntriesWent() throws Exception {
        Path etc = tree("etc", "hosts", "passwd");
        Path opt = tree("opt", "tool");
        String db = dir.resolve("v.db").toString();
        assertEquals(0, vigil("baseline", "--db", db, etc.toString()).status());
        assertEquals(0, vigil("baseline", "--db", db, opt.toString()).status());
        Files.writeString(etc.resolve("hosts"), "changed\n");

        CommandRun forget = vigil("baseline", "--db", db, "--forget", etc.toString());
        assertEquals(0, forget.status(), forget.toString());
        assertEquals("Forgot " + etc + ": 3 entries removed from the baseline.\n", forget.out());

        CommandRun check = vigil("check", "--db", db);
        assertEquals(0, check.status(), "only " + opt + " is checked now: " + check);
        assertEquals("No differences from the baseline.\n", check.out());
        assertEquals(2, vigil("check", "--db", db, etc.toString()).status(), "no longer in the baseline");

        assertEquals("Forgot " + dir + ": 2 entries removed from the baseline.\n",
                vigil("baseline", "--db", db, "--forget", dir.toString()).out(), "an area inside the path goes too");
    }

    @Test
    void forgetOfAPathNotInTheBaselineOrInsideAnAreaIsRefused() throws Exception {
        Path etc = tree("etc", "hosts");
        String db = dir.resolve("v.db").toString();
        assertEquals(0, vigil("baseline", "--db", db, etc.toString()).status());

        CommandRun outside = vigil("baseline", "--db", db, "--forget", dir.resolve("var").toString());
        assertEquals(2, outside.status(), outside.toString());
        assertEquals("vigil: " + dir.resolve("var") + " is not in the baseline; baselined areas: " + etc + "\n", outside.err());

        CommandRun inside = vigil("baseline", "--db", db, "--forget", etc.resolve("hosts").toString());
        assertEquals(2, inside.status(), inside.toString());
        assertEquals("vigil: " + etc.resolve("hosts") + " lies inside the baselined area " + etc + ": forget " + etc
                + ", or leave " + etc.resolve("hosts") + " out with --exclude or vigil.files.excludes\n", inside.err());
        assertEquals(0, vigil("check", "--db", db).status(), "nothing was forgotten");
    }
}
