package dev.vigil.logcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.store.Database;
import dev.vigil.store.LogOffsets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real files in a temp directory, offsets in a real SQLite file. */
class LogTailTest {

    @TempDir
    Path dir;
    Path log;
    LogOffsets offsets;

    @BeforeEach
    void setUp() {
        log = dir.resolve("syslog");
        offsets = new LogOffsets(Database.open(dir.resolve("vigil.db")));
    }

    private static void append(Path file, String text) throws IOException {
        Files.write(file, text.getBytes(StandardCharsets.ISO_8859_1), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    @Test
    void newLinesAreReadOnceAndAPartialLineWaitsForItsNewline() throws IOException {
        append(log, "one\ntwo\nthr");
        try (LogTail tail = new LogTail(log, offsets)) {
            assertEquals(List.of("one", "two"), tail.poll().lines());
            assertEquals(List.of(), tail.poll().lines());
            append(log, "ee\nfour\n");
            assertEquals(List.of("three", "four"), tail.poll().lines());
        }
    }

    @Test
    void renamedFileIsFinishedBeforeTheNewOneIsStarted() throws IOException {
        append(log, "a1\n");
        try (LogTail tail = new LogTail(log, offsets)) {
            assertEquals(List.of("a1"), tail.poll().lines());
            Files.move(log, dir.resolve("syslog.1"));
            append(dir.resolve("syslog.1"), "a2\nlast-without-newline");
            append(log, "b1\n");
            LogTail.Chunk chunk = tail.poll();
            assertEquals(List.of("a2", "last-without-newline", "b1"), chunk.lines());
            assertTrue(chunk.rotated());
            append(log, "b2\n");
            LogTail.Chunk next = tail.poll();
            assertEquals(List.of("b2"), next.lines());
            assertFalse(next.rotated());
        }
    }

    @Test
    void copytruncateStartsAgainFromTheTop() throws IOException {
        append(log, "old line one\nold line two\n");
        try (LogTail tail = new LogTail(log, offsets)) {
            tail.poll();
            Files.write(log, new byte[0]);
            append(log, "new\n");
            LogTail.Chunk chunk = tail.poll();
            assertEquals(List.of("new"), chunk.lines());
            assertTrue(chunk.rotated());
        }
    }

    @Test
    void missingFileYieldsNothingUntilItAppears() throws IOException {
        try (LogTail tail = new LogTail(log, offsets)) {
            assertEquals(List.of(), tail.poll().lines());
            append(log, "hello\n");
            assertEquals(List.of("hello"), tail.poll().lines());
        }
    }

    @Test
    void restartResumesAtTheSavedOffsetWithoutLosingOrRepeatingALine() throws IOException {
        append(log, "one\ntwo\n");
        try (LogTail tail = new LogTail(log, offsets)) {
            assertEquals(List.of("one", "two"), tail.poll().lines());
        }
        append(log, "three\n");
        LogOffsets reopened = new LogOffsets(Database.open(dir.resolve("vigil.db")));
        try (LogTail tail = new LogTail(log, reopened)) {
            assertEquals(List.of("three"), tail.poll().lines());
        }
    }

    @Test
    void restartAfterARotationReadsTheRestOfTheRotatedFileFirst() throws IOException {
        append(log, "one\n");
        try (LogTail tail = new LogTail(log, offsets)) {
            tail.poll();
        }
        append(log, "two\n");
        Files.move(log, dir.resolve("syslog.1"));
        append(log, "three\n");
        try (LogTail tail = new LogTail(log, offsets)) {
            LogTail.Chunk chunk = tail.poll();
            assertEquals(List.of("two", "three"), chunk.lines());
            assertTrue(chunk.rotated());
        }
    }
}
