package dev.vigil.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The alert file rotated by size: real files, every line accounted for. */
class AlertFileTest {

    @TempDir
    Path dir;

    /** A report of 100 bytes with its newline, numbered. */
    private static List<String> report(int n) {
        String head = "{\"report\":" + n + ",\"pad\":\"";
        return List.of(head + "x".repeat(99 - head.length() - 2) + "\"}");
    }

    private static void appendReports(AlertFile alerts, int count) throws IOException {
        for (int n = 1; n <= count; n++) {
            alerts.append(report(n));
        }
    }

    @Test
    void pastTheSizeLimitTheFileRotatesKeepingKeepFilesAndTheNewestLinesInOrder() throws Exception {
        Path file = dir.resolve("data/alerts.ndjson");
        AlertFile alerts = new AlertFile(file, 1000, 3);

        appendReports(alerts, 55);

        List<Path> files = List.of(dir.resolve("data/alerts.ndjson.3"), dir.resolve("data/alerts.ndjson.2"),
                dir.resolve("data/alerts.ndjson.1"), file);
        assertFalse(Files.exists(dir.resolve("data/alerts.ndjson.4")), "no more than keep rotated files");
        List<String> lines = new ArrayList<>();
        for (Path f : files) {
            assertTrue(Files.size(f) <= 1000, f + " within the limit");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS)));
            lines.addAll(Files.readAllLines(f));
        }
        assertEquals(10, Files.readAllLines(files.get(0)).size(), "a rotated file is full: ten reports of 100 bytes");
        assertEquals(IntStream.rangeClosed(21, 55).mapToObj(n -> report(n).get(0)).toList(), lines,
                "the newest 35 reports (.3 to .1 full, 5 in the file), each once, in order, none split");
    }

    @Test
    void withEnoughFilesKeptNoLineIsLostAcrossRotations() throws Exception {
        Path file = dir.resolve("alerts.ndjson");
        AlertFile alerts = new AlertFile(file, 250, 20);

        for (int n = 1; n <= 30; n++) {
            alerts.append(n % 3 == 0 ? List.of(report(n).get(0), report(-n).get(0)) : report(n));
        }

        List<String> lines = new ArrayList<>();
        for (int i = 20; i >= 1; i--) {
            Path rotated = dir.resolve("alerts.ndjson." + i);
            if (Files.exists(rotated)) {
                lines.addAll(Files.readAllLines(rotated));
            }
        }
        lines.addAll(Files.readAllLines(file));
        List<String> written = new ArrayList<>();
        for (int n = 1; n <= 30; n++) {
            written.add(report(n).get(0));
            if (n % 3 == 0) {
                written.add(report(-n).get(0));
            }
        }
        assertEquals(written, lines);
        assertTrue(Files.exists(dir.resolve("alerts.ndjson.15")), "it did rotate");
    }

    @Test
    void aLinkPlantedAtARotatedNameIsMovedNotWrittenThroughAndTheFileItPointsToIsUntouched() throws Exception {
        Path file = dir.resolve("alerts.ndjson");
        Path precious = Files.writeString(dir.resolve("shadow"), "precious\n");
        Files.createSymbolicLink(dir.resolve("alerts.ndjson.1"), precious);
        AlertFile alerts = new AlertFile(file, 150, 2);

        appendReports(alerts, 2);

        assertEquals("precious\n", Files.readString(precious));
        assertTrue(Files.isSymbolicLink(dir.resolve("alerts.ndjson.2")), "the link itself was renamed");
        assertEquals(report(1), Files.readAllLines(dir.resolve("alerts.ndjson.1")));
        assertEquals(report(2), Files.readAllLines(file));
    }

    @Test
    void aSizeOfZeroNeverRotates() throws Exception {
        Path file = dir.resolve("alerts.ndjson");
        AlertFile alerts = new AlertFile(file, 0, 1);

        appendReports(alerts, 20);

        assertEquals(20, Files.readAllLines(file).size());
        assertFalse(Files.exists(dir.resolve("alerts.ndjson.1")));
    }

    @Test
    void aDirectoryRemovedWhileRunningIsMadeAgainPrivateAtTheNextAppend() throws Exception {
        Path file = dir.resolve("data/alerts.ndjson");
        AlertFile alerts = new AlertFile(file, 0, 1);
        alerts.append(report(1));
        Files.delete(file);
        Files.delete(file.getParent());

        alerts.append(report(2));

        assertEquals(report(2), Files.readAllLines(file));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)));
    }
}
