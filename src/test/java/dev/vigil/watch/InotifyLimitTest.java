package dev.vigil.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watch-limit exhaustion, for real: a child JVM in its own user namespace (so lowering the limit touches no
 * other process on the machine) with user.max_inotify_watches set to 3.
 */
class InotifyLimitTest {

    @TempDir
    Path dir;

    @Test
    void exhaustedWatchLimitNamesTheSysctlAndListsUncoveredDirectories() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "unshare (util-linux) is needed");
        for (String d : List.of("a/a1", "a/a2", "b/b1", "b/b2", "c")) {
            Files.createDirectories(dir.resolve(d));
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        String script = "echo 3 > /proc/sys/user/max_inotify_watches && exec \"$0\" -cp \"$1\" "
                + InotifyLimitProbe.class.getName() + " \"$2\"";
        Process p = new ProcessBuilder("unshare", "--user", "--map-root-user", "sh", "-c", script, java,
                System.getProperty("java.class.path"), dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        Assumptions.assumeFalse(rc != 0 && out.contains("unshare"), "user namespaces not permitted: " + out);
        assertEquals(0, rc, out);
        Set<String> uncovered = out.lines().filter(l -> l.startsWith("uncovered="))
                .map(l -> l.substring("uncovered=".length())).collect(Collectors.toSet());
        // 8 directories, 3 watches: the other 5 are uncovered themselves or under an uncovered directory
        List<Path> all = List.of(dir, dir.resolve("a"), dir.resolve("a/a1"), dir.resolve("a/a2"), dir.resolve("b"),
                dir.resolve("b/b1"), dir.resolve("b/b2"), dir.resolve("c"));
        long left = all.stream().filter(d -> uncovered.stream().anyMatch(u -> d.startsWith(Path.of(u)))).count();
        assertEquals(5, left, out);
        assertTrue(out.contains("fs.inotify.max_user_watches"), out);
        assertTrue(out.contains("event=" + dir.resolve("still-watched")), out);
    }
}
