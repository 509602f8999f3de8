package dev.vigil.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static dev.vigil.cli.CommandRun.vigil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The text of {@code vigil check} and {@code vigil scan --compare} as AIDE prints a check: the summary first,
 * the attributes that differ named on each entry's line, permissions in {@code ls -l} form beside the octal.
 */
class CheckReportTest {

    @TempDir
    Path dir;

    private static void chmod(String mode, Path p) throws Exception {
        assertEquals(0, new ProcessBuilder("chmod", mode, p.toString()).start().waitFor());
    }

    @Test
    void checkPutsTheSummaryFirstAndNamesTheAttributesThatDifferOnEachEntrysLine() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("etc"));
        Files.writeString(tree.resolve("passwd"), "root:x:0:0\n");
        Files.writeString(tree.resolve("group"), "root:x:0:\n");
        Files.writeString(tree.resolve("shadow"), "root:*:1::::::\n");
        String db = dir.resolve("v.db").toString();
        assertEquals(0, vigil("baseline", "--db", db, tree.toString()).status());
        Files.writeString(tree.resolve("passwd"), "root:x:0:0\nevil:x:0:0\n");
        chmod("0666", tree.resolve("group"));
        Files.delete(tree.resolve("shadow"));
        Files.writeString(tree.resolve("backdoor"), "x\n");

        CommandRun check = vigil("check", "--db", db);
        assertEquals(1, check.status(), check.toString());
        List<String> lines = check.out().lines().toList();
        assertEquals("5 differences: 1 added, 1 deleted, 1 modified, 2 attributes only.", lines.get(0), check.out());
        assertEquals("", lines.get(1));
        assertEntryLine(lines, "ATTRIBUTES " + tree + " (mtime, ctime)");
        assertEntryLine(lines, "ADDED      " + tree.resolve("backdoor"));
        assertEntryLine(lines, "ATTRIBUTES " + tree.resolve("group") + " (permissions, ctime)");
        assertTrue(lines.stream().anyMatch(l -> Pattern.matches(Pattern.quote("MODIFIED   " + tree.resolve("passwd") + " (size, ")
                + "(mtime, ctime, )?hash\\)", l)), check.out());
        assertEntryLine(lines, "DELETED    " + tree.resolve("shadow"));
        assertTrue(lines.contains("    permissions  0644 (-rw-r--r--) -> 0666 (-rw-rw-rw-)"), check.out());
    }

    private static void assertEntryLine(List<String> lines, String line) {
        assertTrue(lines.contains(line), line + " in\n" + String.join("\n", lines));
    }

    @Test
    void permissionsShowSetuidSetgidStickyAndTheTypeLetterAsLsDoes() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("t"));
        Path tool = Files.writeString(tree.resolve("tool"), "#!/bin/sh\n");
        Path shared = Files.createDirectory(tree.resolve("shared"));
        Path data = Files.writeString(tree.resolve("data"), "d\n");
        chmod("0755", tool);
        chmod("0777", shared);
        chmod("0644", data);
        String db = dir.resolve("v.db").toString();
        assertEquals(0, vigil("baseline", "--db", db, tree.toString()).status());
        chmod("4755", tool);
        chmod("1777", shared);
        chmod("2644", data);

        CommandRun check = vigil("check", "--db", db);
        assertEquals(1, check.status(), check.toString());
        List<String> lines = check.out().lines().toList();
        assertEntryLine(lines, "    permissions  0755 (-rwxr-xr-x) -> 4755 (-rwsr-xr-x)");
        assertEntryLine(lines, "    permissions  0777 (drwxrwxrwx) -> 1777 (drwxrwxrwt)");
        assertEntryLine(lines, "    permissions  0644 (-rw-r--r--) -> 2644 (-rw-r-Sr--)");
    }

    @Test
    void scanCompareNamesTheAttributesThatDifferAndSaysNoDifferencesWhenThereAreNone() throws Exception {
        Path tree = Files.createDirectory(dir.resolve("t"));
        Path a = Files.writeString(tree.resolve("a"), "1");
        Path earlier = dir.resolve("earlier.ndjson");
        assertEquals(0, vigil("scan", tree.toString(), "--output", earlier.toString()).status());

        CommandRun same = vigil("scan", tree.toString(), "--compare", earlier.toString());
        assertEquals(0, same.status(), same.toString());
        assertEquals("No differences.\n", same.out());

        chmod("0600", a);
        CommandRun changed = vigil("scan", tree.toString(), "--compare", earlier.toString());
        assertEquals(1, changed.status(), changed.toString());
        assertEquals(List.of("1 difference: 0 added, 0 deleted, 0 modified, 1 attributes only.", "",
                "Modified: " + a + " (permissions, ctime)"), changed.out().lines().toList());
    }
}
