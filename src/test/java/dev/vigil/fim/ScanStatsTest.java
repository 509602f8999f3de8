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
    void onceTheEntriesAreCountedTheProgressSaysTheShareDoneAndAnEstimateOfTheTimeLeft() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("tree"));
        for (int i = 0; i < 39; i++) {
            Files.writeString(tree.resolve("f" + i), "x");
        }
        ScanStats stats = new ScanStats();
        stats.entries.add(10);
        stats.countAhead(List.of(tree));
        Await.until("the count", () -> stats.summary().contains("of about 40 "));
        String line = stats.summary();
        assertTrue(line.matches("10 entries of about 40 \\(25%, about \\d+s left\\), 0 MB hashed in \\d+s .*"), line);

        stats.entries.add(30);
        assertTrue(stats.summary().startsWith("40 entries, "), "done: no estimate any more: " + stats.summary());
    }
}
