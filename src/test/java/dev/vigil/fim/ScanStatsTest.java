package dev.vigil.fim;

import dev.vigil.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The progress of a long scan as the daemon logs it. */
class ScanStatsTest {

    @TempDir
    Path dir;

    @Test
    void onceTheEntriesAreCountedExcludedOnesLeftOutTheProgressSaysTheShareDoneAndAnEstimateOfTheTimeLeft() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("tree"));
        for (int i = 0; i < 39; i++) {
            Files.writeString(tree.resolve("f" + i), "x");
        }
        for (int i = 0; i < 5; i++) {
            Files.writeString(tree.resolve("left-out-" + i + ".tmp"), "x");
        }
        ScanStats stats = new ScanStats();
        stats.entries.add(10);
        stats.countAhead(List.of(tree), new Excludes(List.of("*.tmp")));
        Await.until("the count", () -> stats.progress().contains("of about 40 "));
        String line = stats.progress();
        assertTrue(line.matches("10 entries of about 40 \\(25%, about \\d+s left\\), 0 MB hashed in \\d+s .*"), line);

        assertTrue(stats.summary().startsWith("10 entries, "), "the summary of a scan has no estimate: " + stats.summary());
        stats.entries.add(30);
        assertTrue(stats.progress().startsWith("40 entries, "), "all counted: no estimate any more: " + stats.progress());
    }
}
