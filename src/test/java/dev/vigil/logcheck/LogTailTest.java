package dev.vigil.logcheck;

import dev.vigil.store.Database;
import dev.vigil.store.LogOffsetStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rotation cases with real files, offsets in a real SQLite file, and restarts as new tails on the same database. */
class LogTailTest {

    @TempDir
    Path dir;

    private final List<String> events = new ArrayList<>();
    private final List<LogTail> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(LogTail::close);
    }

    private LogTail tail(Path log) {
        return tail(log, 1 << 20);
    }

    private LogTail tail(Path log, long maxBytes) {
        return tail(log, maxBytes, LogTail.DEFAULT_MAX_LINE);
    }

    private LogTail tail(Path log, long maxBytes, int maxLine) {
        return tail(List.of(log), maxBytes, maxLine);
    }

    private LogTail tail(List<Path> logs, long maxBytes, int maxLine) {
        LogTail t = new LogTail(logs, new LogOffsetStore(Database.open(dir.resolve("vigil.db")), "test",
                Clock.systemUTC()), new LogTail.Listener() {
            @Override
            public void rotated(Path file, String how) {
                events.add(how + " " + file.getFileName());
            }

            @Override
            public void warn(Path file, String message) {
                events.add("warn " + file.getFileName());
            }
        }, true, maxBytes, maxLine);
        open.add(t);
        return t;
    }

    /** A read followed by a commit, as the consumer does once the lines are handled. */
    private static List<String> poll(LogTail t) {
        List<String> lines = t.read().stream().map(LogTail.Line::text).toList();
        t.commit();
        return lines;
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static void truncate(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
    }

    @Test
    void linesAlreadyInAFileAtTheFirstStartAreHistoryAndEachNewLineIsReadOnce() throws IOException {
        Path log = dir.resolve("syslog");
        append(log, "old line\n");
        LogTail t = tail(log);
        assertEquals(List.of(), poll(t));
        append(log, "one\ntwo\n");
        assertEquals(List.of("one", "two"), poll(t));
        assertEquals(List.of(), poll(t));
    }

    /**
     * A rewind goes back to the last commit, so lines read and not handled (their findings refused by the route) are
     * read again; a file never saved goes back to where it was first opened, so lines written after the first read
     * are not taken for history; the rest of a file rotated away is read again from its saved position.
     */
    @Test
    void aRewindHandsOutAgainTheLinesReadSinceTheLastCommitAndNoOthers() throws IOException {
        Path log = dir.resolve("syslog");
        append(log, "old line\n");
        LogTail t = tail(log);
        assertEquals(List.of(), t.read().stream().map(LogTail.Line::text).toList(), "history; nothing saved yet");
        append(log, "one\n");
        assertEquals(List.of("one"), t.read().stream().map(LogTail.Line::text).toList());
        t.rewind();
        assertEquals(List.of("one"), poll(t), "not saved: from where the file was first opened, not its end now");

        append(log, "two\nthree\n");
        assertEquals(List.of("two", "three"), t.read().stream().map(LogTail.Line::text).toList());
        Files.move(log, dir.resolve("syslog.1"));
        append(log, "four\n");
        t.rewind();
        assertEquals(List.of("two", "three", "four"), poll(t), "the rotated file's rest from the saved offset, then the new one");
        t.rewind();
        assertEquals(List.of(), poll(t), "saved: nothing again");

        append(dir.resolve("syslog.1"), "late\n");
        append(log, "five\n");
        assertEquals(List.of("late", "five"), t.read().stream().map(LogTail.Line::text).toList());
        t.rewind();
        assertEquals(List.of("late", "five"), poll(t), "the file rotated away, still open, read again too");
        for (int i = 0; i < LogTail.QUIET_POLLS; i++) {
            append(log, "quiet " + i + "\n");
            t.read();
        }
        t.rewind();
        append(dir.resolve("syslog.1"), "later\n");
        assertEquals(List.of("later", "quiet 0", "quiet 1", "quiet 2"), poll(t),
                "a rotated file gone quiet in the reads rewound is not closed before a commit");
    }

    /**
     * Each file of a tail takes its share of a read: a flooded syslog (any user can write to it) holds auth.log's new
     * lines back by one read, not by its whole backlog, and its backlog is read on, in order.
     */
    @Test
    void aFloodedFileHoldsAnotherFilesLinesBackByOneReadOnly() throws IOException {
        Path syslog = dir.resolve("syslog");
        Path auth = dir.resolve("auth.log");
        append(syslog, "");
        append(auth, "");
        LogTail t = tail(List.of(syslog, auth), 1000, LogTail.DEFAULT_MAX_LINE);
        assertEquals(List.of(), poll(t));
        List<String> flood = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            flood.add("flood line " + String.format("%04d", i) + " " + "x".repeat(80));
        }
        append(syslog, String.join("\n", flood) + "\n");
        append(auth, "sshd[1]: Failed password for root\n");

        List<String> first = poll(t);
        assertTrue(first.contains("sshd[1]: Failed password for root"), "auth.log's line in the first read: " + first.size());
        assertTrue(t.behind());
        List<String> syslogLines = new ArrayList<>(first.subList(0, first.size() - 1));
        while (t.behind()) {
            syslogLines.addAll(poll(t));
        }
        assertEquals(flood, syslogLines, "the flood read on, each line once, in order");
    }

    /**
     * A log replaced by a symlink (its directory writable by a service's account: /var/log/postgresql) is not read
     * through it: its target (/etc/shadow, say) would go line by line to every channel. Warned about, looked for again.
     */
    @Test
    void aLogReplacedByASymlinkIsNotReadThroughIt() throws IOException {
        Path log = dir.resolve("app.log");
        append(log, "");
        LogTail t = tail(log);
        assertEquals(List.of(), poll(t));
        append(log, "before\n");
        assertEquals(List.of("before"), poll(t));
        Path secret = dir.resolve("shadow");
        append(secret, "root:$6$hash:19000::::::\n");
        Files.delete(log);
        Files.createSymbolicLink(log, secret);

        assertEquals(List.of(), poll(t));
        assertEquals(List.of(), poll(t));
        assertTrue(events.stream().anyMatch(e -> e.equals("warn app.log")), events.toString());
    }

    @Test
    void aLastLineWithoutNewlineWaitsForIt() throws IOException {
        Path log = dir.resolve("syslog");
        append(log, "");
        LogTail t = tail(log);
        poll(t);
        append(log, "complete\nhalf a li");
        assertEquals(List.of("complete"), poll(t));
        assertEquals(List.of(), poll(t));
        append(log, "ne\n");
        assertEquals(List.of("half a line"), poll(t));
    }

    @Test
    void aRenamedLogIsFinishedBeforeTheNewOneIsStartedAndStillReadWhileItsWriterWritesToIt() throws IOException {
        Path log = dir.resolve("auth.log");
        append(log, "");
        LogTail t = tail(log);
        poll(t);
        append(log, "a\n");
        assertEquals(List.of("a"), poll(t));
        append(log, "b before rotation\n");
        Files.move(log, dir.resolve("auth.log.1"));
        append(log, "c in the new file\n");

        assertEquals(List.of("b before rotation", "c in the new file"), poll(t));
        assertEquals(List.of("renamed auth.log"), events);

        append(dir.resolve("auth.log.1"), "d, written before the writer reopened its log\n");
        append(log, "e\n");
        assertEquals(List.of("d, written before the writer reopened its log", "e"), poll(t));
    }

    @Test
    void aRotatedFileEndingWithoutNewlineGivesItsLastLineWhenItIsClosed() throws IOException {
        Path log = dir.resolve("syslog");
        append(log, "");
        LogTail t = tail(log);
        poll(t);
        append(log, "cut off");
        Files.move(log, dir.resolve("syslog.1"));
        append(log, "new\n");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i <= LogTail.QUIET_POLLS; i++) {
            lines.addAll(poll(t));
        }
        assertEquals(List.of("new", "cut off"), lines);
    }

    @Test
    void aCopytruncatedLogIsReadAgainFromItsStart() throws IOException {
        Path log = dir.resolve("syslog");
        append(log, "");
        LogTail t = tail(log);
        poll(t);
        append(log, "first line, a long one\nsecond line, a long one\n");
        assertEquals(2, poll(t).size());
        Files.copy(log, dir.resolve("syslog.1"));
        truncate(log);
        append(log, "after\n");

        assertEquals(List.of("after"), poll(t));
        assertEquals(List.of("truncated syslog"), events);
    }

    @Test
    void aTruncatedLogRewrittenPastTheOldOffsetIsKnownByItsFirstBytes() throws IOException {
        Path log = dir.resolve("syslog");
        append(log, "");
        LogTail t = tail(log);
        poll(t);
        append(log, "Nov 22 01:00:00 h a: x\n");
        poll(t);
        truncate(log);
        append(log, "Nov 22 02:00:00 h b: longer than everything read before\n");

        assertEquals(List.of("Nov 22 02:00:00 h b: longer than everything read before"), poll(t));
        assertEquals(List.of("truncated syslog"), events);
    }

    @Test
    void aFileMissingAtStartIsReadFromItsStartWhenItAppearsAndIsWarnedAboutOnce() throws IOException {
        Path log = dir.resolve("later.log");
        LogTail t = tail(log);
        assertEquals(List.of(), poll(t));
        assertEquals(List.of(), poll(t));
        assertEquals(List.of("warn later.log"), events);

        append(log, "first\nsecond\n");
        assertEquals(List.of("first", "second"), poll(t));
    }

    @Test
    void aLogRemovedForAWhileIsFollowedAgainFromTheStartOfItsNewFile() throws IOException {
        Path log = dir.resolve("syslog");
        append(log, "");
        LogTail t = tail(log);
        poll(t);
        append(log, "before\n");
        Files.delete(log);
        assertEquals(List.of("before"), poll(t));
        assertEquals(List.of(), poll(t));
        assertEquals(List.of("warn syslog"), events);

        append(log, "back\n");
        assertEquals(List.of("back"), poll(t));
    }

    @Test
    void aRestartTakesUpWhereTheLastCommitStoppedWithNoLineLostOrRepeated() throws IOException {
        Path log = dir.resolve("syslog");
        append(log, "history\n");
        LogTail first = tail(log);
        poll(first);
        append(log, "one\n");
        assertEquals(List.of("one"), poll(first));
        append(log, "two\nthr");
        assertEquals(List.of("two"), poll(first));
        first.close();

        append(log, "ee\nwhile stopped\n");
        LogTail second = tail(log);
        assertEquals(List.of("three", "while stopped"), poll(second));
    }

    @Test
    void linesReadButNotCommittedAreReadAgainAfterARestart() throws IOException {
        Path log = dir.resolve("syslog");
        append(log, "");
        LogTail first = tail(log);
        poll(first);
        append(log, "handled\n");
        poll(first);
        append(log, "in flight at the crash\n");
        assertEquals(1, first.read().size());
        first.close();

        assertEquals(List.of("in flight at the crash"), poll(tail(log)));
    }

    @Test
    void aRestartAfterARotationFinishesTheRotatedFileFirst() throws IOException {
        Path log = dir.resolve("auth.log");
        append(log, "");
        LogTail first = tail(log);
        poll(first);
        append(log, "read\n");
        poll(first);
        first.close();

        append(log, "written before rotation\n");
        Files.move(log, dir.resolve("auth.log.1"));
        append(log, "written after\n");
        assertEquals(List.of("written before rotation", "written after"), poll(tail(log)));
        assertEquals(List.of("renamed auth.log"), events);
    }

    @Test
    void aRestartSoonAfterARotationReadsWhatTheWriterStillWroteToTheRenamedFile() throws IOException {
        Path log = dir.resolve("syslog");
        append(log, "");
        LogTail first = tail(log);
        poll(first);
        append(log, "before\n");
        Files.move(log, dir.resolve("syslog.1"));
        append(log, "new file\n");
        assertEquals(List.of("before", "new file"), poll(first));
        first.close();

        append(dir.resolve("syslog.1"), "late, to the renamed file\n");
        append(log, "after the restart\n");
        LogTail second = tail(log);
        assertEquals(List.of("late, to the renamed file", "after the restart"), poll(second));
        append(dir.resolve("syslog.1"), "later still\n");
        assertEquals(List.of("later still"), poll(second));
        for (int i = 0; i < LogTail.QUIET_POLLS; i++) {
            assertEquals(List.of(), poll(second));
        }
        second.close();

        append(dir.resolve("syslog.1"), "after it went quiet\n");
        assertEquals(List.of(), poll(tail(log)), "closed once quiet, and no longer kept");
        assertEquals(List.of("renamed syslog"), events);
    }

    @Test
    void aRestartAfterASecondRotationWhileStoppedReadsEachFileInTheOrderWritten() throws IOException {
        Path log = dir.resolve("syslog");
        append(log, "");
        LogTail first = tail(log);
        poll(first);
        append(log, "x1\n");
        Files.move(log, dir.resolve("syslog.1"));
        append(log, "y1\n");
        assertEquals(List.of("x1", "y1"), poll(first));
        first.close();

        append(dir.resolve("syslog.1"), "x2\n");
        append(log, "y2\n");
        Files.move(dir.resolve("syslog.1"), dir.resolve("syslog.2"));
        Files.move(log, dir.resolve("syslog.1"));
        append(log, "z1\n");
        assertEquals(List.of("x2", "y2", "z1"), poll(tail(log)));
    }

    @Test
    void aRestartWhileARotatedFileIsBehindReadsItsRestBeforeTheNewFile() throws IOException {
        Path log = dir.resolve("syslog");
        Path rotated = dir.resolve("syslog.1");
        append(log, "");
        LogTail first = tail(log, 100);
        poll(first);
        append(log, "old 0\n");
        Files.move(log, rotated);
        append(log, "new 0\n");
        assertEquals(List.of("old 0", "new 0"), poll(first));
        List<String> old = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            old.add("old " + i);
        }
        append(rotated, String.join("\n", old) + "\n");
        List<String> lines = new ArrayList<>(poll(first));
        assertTrue(first.behind() && lines.size() < old.size(), lines.toString());
        first.close();

        append(rotated, "old late\n");
        append(log, "new 1\n");
        LogTail second = tail(log, 100);
        do {
            lines.addAll(poll(second));
        } while (second.behind());
        lines.addAll(poll(second));
        List<String> expected = new ArrayList<>(old);
        expected.addAll(List.of("old late", "new 1"));
        assertEquals(expected, lines);
    }

    @Test
    void aRestartAfterACopytruncateStartsTheFileOver() throws IOException {
        Path log = dir.resolve("syslog");
        append(log, "");
        LogTail first = tail(log);
        poll(first);
        append(log, "a line read before the stop\n");
        poll(first);
        first.close();

        truncate(log);
        append(log, "new\n");
        assertEquals(List.of("new"), poll(tail(log)));
        assertTrue(events.contains("truncated syslog"), events.toString());
    }

    @Test
    void aRestartAfterTheRotatedFileWasCompressedReadsTheNewFileFromItsStart() throws IOException {
        Path log = dir.resolve("syslog");
        append(log, "");
        LogTail first = tail(log);
        poll(first);
        append(log, "read\n");
        poll(first);
        first.close();

        append(log, "lost\n");
        Files.writeString(dir.resolve("syslog.1.gz"), "compressed bytes, not lines\n");
        Files.delete(log);
        append(log, "new\n");
        assertEquals(List.of("new"), poll(tail(log)));
        // The new file may have the old one's inode; it is told apart by its first bytes then.
        assertTrue(events.equals(List.of("warn syslog", "renamed syslog")) || events.equals(List.of("truncated syslog")),
                events.toString());
    }

    @Test
    void aRotatedFileLongerThanABatchIsReadToItsEndAfterARestartBeforeTheNewFile() throws IOException {
        Path log = dir.resolve("syslog");
        append(log, "");
        LogTail first = tail(log, 100);
        poll(first);
        append(log, "read\n");
        poll(first);
        first.close();

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            expected.add("old " + i);
        }
        append(log, String.join("\n", expected) + "\n");
        Files.move(log, dir.resolve("syslog.1"));
        append(log, "new 0\nnew 1\n");
        expected.addAll(List.of("new 0", "new 1"));

        LogTail second = tail(log, 100);
        List<String> lines = new ArrayList<>(poll(second));
        while (second.behind()) {
            lines.addAll(poll(second));
        }
        lines.addAll(poll(second));
        assertEquals(expected, lines);
    }

    @Test
    void aLineLongerThanMaxLineIsHandedOutOnceAsItsStartNeverInPieces() throws IOException {
        Path log = dir.resolve("syslog");
        append(log, "");
        LogTail t = tail(log, 64, 100);
        poll(t);
        String longLine = "x".repeat(100) + "Nov 22 01:00:05 web sshd[1]: forged after the cut";
        append(log, longLine + "\nafter\n");
        List<LogTail.Line> lines = new ArrayList<>();
        do {
            lines.addAll(t.read());
            t.commit();
        } while (t.behind());
        assertEquals(List.of("x".repeat(100), "after"), lines.stream().map(LogTail.Line::text).toList());
        assertTrue(lines.get(0).truncated());
        assertEquals(longLine.length(), lines.get(0).length());
        assertFalse(lines.get(1).truncated());
    }

    @Test
    void aLongLineCutInsideAUtf8CharacterEndsBeforeIt() throws IOException {
        Path log = dir.resolve("syslog");
        append(log, "");
        LogTail t = tail(log, 1 << 20, 100);
        poll(t);
        append(log, "x".repeat(99) + "\u00e9\u00e9\n");
        LogTail.Line line = t.read().get(0);
        assertEquals("x".repeat(99), line.text());
        assertEquals(103, line.length());
    }

    @Test
    void aLineReadInPartIsReadAgainFromItsStartAfterARestart() throws IOException {
        Path log = dir.resolve("syslog");
        append(log, "");
        poll(tail(log, 64, 100));
        append(log, "y".repeat(300));
        LogTail first = tail(log, 64, 100);
        poll(first);
        poll(first);
        first.close();
        append(log, "\n");

        LogTail second = tail(log, 1 << 20, 100);
        List<LogTail.Line> lines = second.read();
        assertEquals(1, lines.size());
        assertEquals("y".repeat(100), lines.get(0).text());
        assertEquals(300, lines.get(0).length());
    }

    @Test
    void aBacklogIsReadInBatchesOfTheByteBudget() throws IOException {
        Path log = dir.resolve("syslog");
        append(log, "");
        LogTail t = tail(log, 100);
        poll(t);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            text.append("line ").append(i).append('\n');
        }
        append(log, text.toString());
        List<String> lines = new ArrayList<>(poll(t));
        assertTrue(t.behind());
        assertTrue(lines.size() < 50);
        while (t.behind()) {
            lines.addAll(poll(t));
        }
        assertEquals(text.toString().lines().toList(), lines);
        assertFalse(t.behind());
    }
}
