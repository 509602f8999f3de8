package dev.vigil.cli;

import dev.vigil.fim.ScanStats;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {

    @Test
    void onATerminalTheLineCountsEntriesAndIsClearedAtTheEnd() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ScanStats stats = new ScanStats();
        stats.entries.add(1234);
        try (Progress ignored = Progress.start(stats, 2468, err, true)) {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!bytes.toString(StandardCharsets.UTF_8).contains("entries") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
        String shown = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(shown.startsWith("\r1,234 entries, "), shown);
        assertTrue(shown.contains("~50% of last run"), shown);
        assertTrue(shown.endsWith("\r\033[K"), "the line is cleared: " + shown);
    }

    @Test
    void withStderrNotATerminalNothingIsShown() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // Under the build, stderr is a pipe or a file: the real detection must say no.
        try (Progress ignored = Progress.start(new ScanStats(), 0, new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            Thread.sleep(1000); // past the first moment the line would be drawn
        }
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    }
}
