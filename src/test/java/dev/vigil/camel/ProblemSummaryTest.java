package dev.vigil.camel;

import dev.vigil.Await;
import dev.vigil.fim.ProblemSummary;


import dev.vigil.fim.ScanOptions;
import dev.vigil.fim.ScanStats;
import dev.vigil.fim.Scanner;
import dev.vigil.fim.Tools;
import org.apache.camel.main.Main;
import org.apache.camel.support.ScheduledPollConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The one-line summary of what a pass could not read, over entries that root cannot read either: files whose
 * absolute path is longer than the kernel takes (PATH_MAX, 4096 bytes), so stat(2) refuses them with
 * ENAMETOOLONG. They are made, and removed, by tools that work relative to a directory (cd, touch, rm -rf).
 */
class ProblemSummaryTest {

    private static final int UNREADABLE = 3;
    private static final String LINE = " entries could not be read completely";

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedErr;
    private Path tree;

    @BeforeEach
    void treeWithEntriesBeyondPathMax() throws Exception {
        tree = Files.createDirectory(daemon.dir.resolve("watched"));
        Files.writeString(tree.resolve("readable"), "r");
        Tools.entriesBeyondPathMax(tree, UNREADABLE);
        savedErr = System.err;
        // slf4j-simple writes to whatever System.err is at the time; lines of other threads pass through too
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                err.write(b);
                savedErr.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                err.write(b, off, len);
                savedErr.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() throws Exception {
        System.setErr(savedErr);
        Tools.removeTree(tree);
    }

    private List<String> summaries(String who) {
        return err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(who + ": ") && l.contains(LINE)).toList();
    }

    @Test
    void eachPassIsOneLineWithTheCountOfItsUnreadableEntries() {
        ProblemSummary problems = new ProblemSummary();
        Scanner scanner = new Scanner(ScanOptions.defaults());
        scanner.scan(List.of(tree), problems, new ScanStats());
        problems.log("first-pass");
        scanner.scan(List.of(tree), problems, new ScanStats());
        problems.log("second-pass");
        problems.log("nothing-scanned");

        List<String> first = summaries("first-pass");
        assertEquals(1, first.size(), err.toString(StandardCharsets.UTF_8));
        assertEquals(true, first.get(0).contains("first-pass: " + UNREADABLE + LINE), first.get(0));
        assertFalse(first.get(0).contains("run as root"), "root is denied nothing; the names are too long: " + first.get(0));
        List<String> second = summaries("second-pass");
        assertEquals(1, second.size(), err.toString(StandardCharsets.UTF_8));
        assertEquals(true, second.get(0).contains("second-pass: " + UNREADABLE + LINE), "counted again from zero: " + second.get(0));
        assertEquals(List.of(), summaries("nothing-scanned"));
    }

    @Test
    void theScheduledCheckSaysItOnceNotOnEveryPass() throws Exception {
        Main main = daemon.start(Map.of("vigil.files.scan.interval", "100ms", "vigil.files.watch.enabled", "false"));
        Await.until("three scheduled checks", () -> main.getCamelContext().getRoute("files-check").getConsumer()
                instanceof ScheduledPollConsumer c && c.getSuccessCounter() >= 3);
        daemon.stop(main);
        List<String> lines = summaries("fscan:areas");
        assertEquals(1, lines.size(), err.toString(StandardCharsets.UTF_8));
        assertEquals(true, lines.get(0).contains("fscan:areas: " + UNREADABLE + LINE), lines.get(0));
    }

    @Test
    void theWatchAndTheScheduledCheckSayItOnceBetweenThem() throws Exception {
        Main main = daemon.start(Map.of("vigil.files.scan.interval", "100ms"));
        Await.until("two scheduled checks", () -> main.getCamelContext().getRoute("files-check").getConsumer()
                instanceof ScheduledPollConsumer c && c.getSuccessCounter() >= 2);
        daemon.stop(main);
        List<String> lines = new java.util.ArrayList<>(summaries("fswatch:areas"));
        lines.addAll(summaries("fscan:areas"));
        assertEquals(1, lines.size(), err.toString(StandardCharsets.UTF_8));
        assertEquals(true, lines.get(0).contains(UNREADABLE + LINE), lines.get(0));
    }
}
