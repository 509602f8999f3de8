package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil logcheck} end to end on a rule tree and a log file in a temp directory. */
class LogcheckCommandTest {

    @TempDir
    Path dir;

    private String run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.ISO_8859_1));
            int exit = new CommandLine(new VigilCommand()).execute(args);
            assertEquals(0, exit);
        } finally {
            System.setOut(saved);
        }
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    private Path tree() throws IOException {
        Path root = dir.resolve("rules");
        Files.createDirectories(root.resolve("cracking.d"));
        Files.createDirectories(root.resolve("violations.d"));
        Files.createDirectories(root.resolve("ignore.d.server"));
        Files.writeString(root.resolve("cracking.d/attack"), "attack\n");
        Files.writeString(root.resolve("violations.d/sudo"), "sudo\n");
        Files.writeString(root.resolve("ignore.d.server/noise"), "noise$\n");
        return root;
    }

    @Test
    void tsvHasOneRowPerInputLineInInputOrderWithBytesUnchanged() throws IOException {
        Path rules = tree();
        Path log = dir.resolve("log");
        Files.write(log, "b sudo x\na noise  \nc attack\nd caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("event\tsudo\tb sudo x\nignored\t-\ta noise\nalert\tattack\tc attack\nsystem\t-\td caf\u00e9\n",
                run("logcheck", "--rules", rules.toString(), "--format", "tsv", log.toString()));
    }

    @Test
    void reportSortsAndGroupsUnderLogchecksHeadings() throws IOException {
        Path rules = tree();
        Files.writeString(rules.resolve("header.txt"), "Header.\n\n");
        Path log = dir.resolve("log");
        Files.writeString(log, "b sudo x\na noise\nc attack\nd other\n");
        assertEquals("Header.\n\nSecurity Alerts for attack\n=-=-=-=-=-=-=-=-=-=-=-=-=-\nc attack\n\n"
                        + "Security Events for sudo\n=-=-=-=-=-=-=-=-=-=-=-=-\nb sudo x\n\n"
                        + "System Events\n=-=-=-=-=-=-=\nd other\n\n",
                run("logcheck", "--rules", rules.toString(), "--format", "report", log.toString()));
    }

    @Test
    void explainNamesEveryMatchingRuleFileAndLine() throws IOException {
        Path rules = tree();
        String out = run("logcheck", "--rules", rules.toString(), "--explain", "sudo attack");
        assertTrue(out.contains("cracking.d/attack\t" + rules.resolve("cracking.d/attack") + ":1\tattack\n"), out);
        assertTrue(out.contains("violations.d/sudo\t" + rules.resolve("violations.d/sudo") + ":1\tsudo\n"), out);
        assertTrue(out.endsWith("verdict\talert\tattack\n"), out);
    }
}
