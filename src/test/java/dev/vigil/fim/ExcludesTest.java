package dev.vigil.fim;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExcludesTest {

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
    void ignoreFileFollowsGitignoreRules() {
        Excludes e = Excludes.none();
        e.addIgnoreFile(p("/srv/app"), List.of("# comment", "*.log", "!keep.log", "/build/", "tmp/", "docs/**/*.html"));
        assertTrue(e.excluded(p("/srv/app/x/debug.log"), false));
        assertFalse(e.excluded(p("/srv/app/x/keep.log"), false), "a later negation re-includes");
        assertTrue(e.excluded(p("/srv/app/build"), true));
        assertFalse(e.excluded(p("/srv/app/sub/build"), true), "a leading slash anchors to the ignore file's directory");
        assertTrue(e.excluded(p("/srv/app/sub/tmp"), true));
        assertFalse(e.excluded(p("/srv/app/sub/tmp"), false), "a trailing slash matches directories only");
        assertTrue(e.excluded(p("/srv/app/docs/a/b/index.html"), false));
        assertFalse(e.excluded(p("/srv/other/debug.log"), false), "rules apply below their own directory only");
    }

    @Test
    void nearerIgnoreFileOverridesOuterOne() {
        Excludes e = Excludes.none();
        e.addIgnoreFile(p("/srv"), List.of("*.tmp"));
        e.addIgnoreFile(p("/srv/app"), List.of("!important.tmp"));
        assertTrue(e.excluded(p("/srv/app/other.tmp"), false));
        assertFalse(e.excluded(p("/srv/app/important.tmp"), false));
    }
}
