package dev.vigil.pid;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PidFileSpecTest {

    @TempDir
    Path dir;

    private Set<Path> collect(String spec) {
        Set<Path> found = new TreeSet<>();
        PidFileSpec.parse(spec).collect(found);
        return found;
    }

    private void touch(String... names) throws Exception {
        for (String name : names) {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "1\n");
        }
    }

    @Test
    void directoryMeansPidFilesInsideAndOneLevelDown() throws Exception {
        touch("sshd.pid", "nginx/nginx.pid", "a/b/too-deep.pid", "notes.txt", "cron.pid.old");

        assertEquals(Set.of(dir.resolve("sshd.pid"), dir.resolve("nginx/nginx.pid")), collect(dir.toString()));
    }

    @Test
    void globMatchesOnlyItsPattern() throws Exception {
        touch("sshd.pid", "nginx/nginx.pid", "php/fpm.pid", "php/fpm.sock", "a/b/deep.pid");

        assertEquals(Set.of(dir.resolve("nginx/nginx.pid"), dir.resolve("php/fpm.pid")), collect(dir + "/*/*.pid"));
        assertEquals(Set.of(dir.resolve("sshd.pid"), dir.resolve("nginx/nginx.pid"), dir.resolve("php/fpm.pid"),
                dir.resolve("a/b/deep.pid")), collect(dir + "/**.pid"));
    }

    @Test
    void namedFileIsListedEvenWhenAbsentAndIsExplicit() {
        PidFileSpec spec = PidFileSpec.parse(dir.resolve("gone.pid").toString());

        assertEquals(Set.of(dir.resolve("gone.pid")), collect(dir.resolve("gone.pid").toString()));
        assertTrue(spec.explicit());
        assertFalse(PidFileSpec.parse(dir.toString()).explicit());
        assertFalse(PidFileSpec.parse(dir + "/*.pid").explicit());
    }

    @Test
    void directoryReachedThroughASymbolicLinkIsSearchedUnderTheLinksName() throws Exception {
        // Like /var/run, a link to /run.
        touch("real/sshd.pid", "real/nginx/nginx.pid");
        Path link = Files.createSymbolicLink(dir.resolve("varrun"), dir.resolve("real"));

        assertEquals(Set.of(link.resolve("sshd.pid"), link.resolve("nginx/nginx.pid")), collect(link.toString()));
        assertEquals(Set.of(link.resolve("nginx/nginx.pid")), collect(link + "/*/*.pid"));
    }

    @Test
    void directoryOrGlobThatDoesNotExistNamesNothing() {
        assertEquals(Set.of(), collect(dir.resolve("nope") + "/*.pid"));
    }

    @Test
    void coversTellsWhichRememberedFilesStillBelongToTheEntry() {
        PidFileSpec directory = PidFileSpec.parse(dir.toString());
        PidFileSpec glob = PidFileSpec.parse(dir + "/*/*.pid");

        for (Path p : List.of(dir.resolve("a.pid"), dir.resolve("x/b.pid"))) {
            assertTrue(directory.covers(p), p.toString());
        }
        assertFalse(directory.covers(dir.resolve("x/y/c.pid")));
        assertFalse(directory.covers(dir.resolveSibling("elsewhere.pid")));
        assertTrue(glob.covers(dir.resolve("x/b.pid")));
        assertFalse(glob.covers(dir.resolve("a.pid")));
    }
}
