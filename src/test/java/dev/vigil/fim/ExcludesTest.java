package dev.vigil.fim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExcludesTest {

    @TempDir
    Path root;

    /** Writes {@code lines} as the ignore file of {@code dir} (under the temporary root) and loads it. */
    private byte[] ignoreFile(Excludes e, String dir, String... lines) throws IOException {
        Path d = Files.createDirectories(root.resolve(dir));
        Files.write(d.resolve(Excludes.IGNORE_FILE), List.of(lines));
        e.loadIgnoreFile(p(d.toString()));
        return p(d.toString());
    }

    private byte[] under(String path) {
        return p(root.resolve(path).toString());
    }

    private static byte[] p(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void globWithSlashMatchesWholePathAndEverythingBelow() {
        Excludes e = new Excludes(List.of("/var/cache/**", "/etc/*.bak"));
        assertTrue(e.excluded(p("/var/cache/apt/archives/x.deb"), false));
        assertTrue(e.excluded(p("/etc/passwd.bak"), false));
        assertFalse(e.excluded(p("/etc/ssh/sshd_config.bak"), false), "* does not cross directories");
        assertFalse(e.excluded(p("/var/lib/x"), false));
    }

    @Test
    void globWithoutSlashMatchesANameAtAnyDepth() {
        Excludes e = new Excludes(List.of("*.pyc", "__pycache__"));
        assertTrue(e.excluded(p("/usr/lib/python3/a/b.pyc"), false));
        assertTrue(e.excluded(p("/usr/lib/python3/__pycache__/c.py"), false));
        assertFalse(e.excluded(p("/usr/lib/python3/b.py"), false));
    }

    @Test
    void literalGlobsAreComparedByTheirBytesAsGlobsWithWildcardsMatch() {
        Excludes e = new Excludes(List.of("/etc/mtab", "/srv/café", "*.pyc", "café", "tmp-?"));
        assertTrue(e.excluded(p("/etc/mtab"), false));
        assertTrue(e.excluded(p("/etc/mtab/inside"), false), "a literal path with all below it");
        assertFalse(e.excluded(p("/etc/mtab2"), false), "not a longer name that begins alike");
        assertFalse(e.excluded(p("/etc/mta"), false));
        assertTrue(e.excluded(p("/srv/café/x"), false), "the glob's UTF-8 bytes are the path's");
        assertFalse(e.excluded("/srv/caf\u00e9/x".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), false),
                "a name in Latin-1 is other bytes");
        assertTrue(e.excluded(p("/home/a.pyc/b"), false), "a name glob matches a directory above");
        assertFalse(e.excludedInWalk(p("/home/a.pyc/b"), false), "in a walk, only the entry's own name");
        assertTrue(e.excludedInWalk(p("/home/x/.pyc"), false), "the whole name may be the suffix");
        assertFalse(e.excluded(p("/home/pyc"), false));
        assertTrue(e.excluded(p("/home/café"), true));
        assertFalse(e.excluded(p("/home/cafés"), true));
        assertTrue(e.excludedInWalk(p("/home/tmp-1"), true));
        assertFalse(e.excludedInWalk(p("/home/tmp-12"), true));
    }

    @Test
    void theGlobsPickedForADirectoryExcludeItsEntriesAsTheWholeListDoes() throws IOException {
        Excludes e = new Excludes(List.of("/etc/mtab", "/etc/ssh/x", "/var/cache/", "/", "/srv/a/b", "*.pyc", "tmp-?",
                "/home/*/.cache"));
        Excludes none = new Excludes(List.of("/etc/mtab", "/etc/ssh/x", "/var/cache/", "*.pyc", "/srv/a/b"));
        ignoreFile(e, "srv/app", "*.log");
        List<String> directories = List.of("/", "/etc", "/etc/ssh", "/etc/mtab", "/var", "/var/cache", "/srv", "/srv/a",
                "/srv/a-b", "/home/u", root.resolve("srv/app").toString());
        List<String> names = List.of("mtab", "x", "cache", "b", "b-c", "a.pyc", "tmp-1", ".cache", "y.log", "etc", "mtab2");
        for (Excludes excludes : List.of(e, none)) {
            for (String dir : directories) {
                Excludes.InDirectory in = excludes.inDirectory(p(dir));
                for (String name : names) {
                    byte[] path = p(dir.equals("/") ? "/" + name : dir + "/" + name);
                    for (boolean directory : List.of(false, true)) {
                        assertEquals(excludes.excludedInWalk(path, directory), in.excluded(path, directory),
                                new String(path, java.nio.charset.StandardCharsets.UTF_8) + (directory ? "/" : ""));
                    }
                }
            }
        }
        assertTrue(none.inDirectory(p("/etc")).excluded(p("/etc/mtab"), false));
        assertTrue(none.inDirectory(p("/srv/a/b")).excluded(p("/srv/a/b/c"), false), "every entry below a literal path");
        assertFalse(none.inDirectory(p("/srv/a-b")).excluded(p("/srv/a-b/c"), false));
    }

    @Test
    void ignoreFileFollowsGitignoreRules() throws IOException {
        Excludes e = Excludes.none();
        ignoreFile(e, "srv/app", "# comment", "*.log", "!keep.log", "/build/", "tmp/", "docs/**/*.html");
        assertTrue(e.excluded(under("srv/app/x/debug.log"), false));
        assertFalse(e.excluded(under("srv/app/x/keep.log"), false), "a later negation re-includes");
        assertTrue(e.excluded(under("srv/app/build"), true));
        assertFalse(e.excluded(under("srv/app/sub/build"), true), "a leading slash anchors to the ignore file's directory");
        assertTrue(e.excluded(under("srv/app/sub/tmp"), true));
        assertFalse(e.excluded(under("srv/app/sub/tmp"), false), "a trailing slash matches directories only");
        assertTrue(e.excluded(under("srv/app/docs/a/b/index.html"), false));
        assertFalse(e.excluded(under("srv/other/debug.log"), false), "rules apply below their own directory only");
    }

    @Test
    void nearerIgnoreFileOverridesOuterOne() throws IOException {
        Excludes e = Excludes.none();
        ignoreFile(e, "srv", "*.tmp");
        ignoreFile(e, "srv/app", "!important.tmp");
        assertTrue(e.excluded(under("srv/app/other.tmp"), false));
        assertFalse(e.excluded(under("srv/app/important.tmp"), false));
    }

    @Test
    void aRemovedOrEmptiedIgnoreFileStopsExcluding() throws IOException {
        Excludes e = Excludes.none();
        byte[] app = ignoreFile(e, "srv/app", "*.log");
        assertTrue(e.excluded(under("srv/app/debug.log"), false));

        Files.write(root.resolve("srv/app").resolve(Excludes.IGNORE_FILE), List.of("# nothing ignored now"));
        e.loadIgnoreFile(app);
        assertFalse(e.excluded(under("srv/app/debug.log"), false), "emptied");

        ignoreFile(e, "srv/app", "*.log");
        Files.delete(root.resolve("srv/app").resolve(Excludes.IGNORE_FILE));
        e.loadIgnoreFile(app);
        assertFalse(e.excluded(under("srv/app/debug.log"), false), "removed");
    }

    @Test
    void noIgnoreFileRuleExcludesAnIgnoreFileItsOwnIncluded() throws IOException {
        Excludes e = Excludes.none();
        ignoreFile(e, "srv", "*", ".vigilignore");
        ignoreFile(e, "srv/app", "*");
        assertTrue(e.excluded(under("srv/app/debug.log"), false));
        assertFalse(e.excluded(under("srv/" + Excludes.IGNORE_FILE), false), "its own *");
        assertFalse(e.excludedInWalk(under("srv/app/" + Excludes.IGNORE_FILE), false), "its own and the outer one's");
    }
}
