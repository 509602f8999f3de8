package dev.vigil.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class MailRenderersTest {

    private static Report mixed() {
        return Samples.report(
                Samples.modified("/etc/passwd"),
                Samples.added("/usr/local/bin/backdoor"),
                Samples.modified("/etc/group"),
                Samples.log("SYSTEM_EVENT", null, "Nov 22 01:00:01 web1 cron[12]: job done"),
                Samples.log("SECURITY_ALERT", "sshd", "Nov 22 01:00:02 web1 sshd[9]: Invalid user admin"),
                Samples.log("SECURITY_EVENT", "sudo", "Nov 22 01:00:03 web1 sudo: bob : 3 incorrect password attempts"),
                Samples.log("SECURITY_ALERT", "kernel", "Nov 22 01:00:04 web1 kernel: segfault"),
                Samples.died("/run/sshd.pid"));
    }

    @Test
    void subjectCountsEachSourceAndLeavesOutZeroParts() {
        assertEquals("[vigil] web1.example.org: 3 file changes, 4 log events, 1 process event",
                new SubjectLine().render(mixed()));
        assertEquals("[vigil] web1.example.org: 1 process event",
                new SubjectLine().render(Samples.report(Samples.died("/run/a.pid"))));
        assertEquals("[vigil] web1.example.org: 2 log events", new SubjectLine().render(Samples.report(
                Samples.log("SYSTEM_EVENT", null, "a"), Samples.log("SYSTEM_EVENT", null, "b"))));
    }

    @Test
    void textBodyGroupsBySourceAndKindWithLogLinesUnderLogcheckHeadings() {
        Report report = mixed();

        String text = new TextRenderer().render(report);

        assertEquals("""
                Vigil report from web1.example.org: 3 file changes, 4 log events, 1 process event
                Closed 2026-11-22 01:00:15 UTC, report %s

                FILES (3 file changes)
                ======================

                Added (1)
                ---------
                /usr/local/bin/backdoor
                    mode  4755
                    uid   0

                Modified (2)
                ------------
                /etc/group
                    size    1024 -> 1088
                    sha256  aaaa -> bbbb
                /etc/passwd
                    size    1024 -> 1088
                    sha256  aaaa -> bbbb

                LOGS (4 log events)
                ===================

                Security Alerts for kernel
                =-=-=-=-=-=-=-=-=-=-=-=-=-
                Nov 22 01:00:04 web1 kernel: segfault

                Security Alerts for sshd
                =-=-=-=-=-=-=-=-=-=-=-=-
                Nov 22 01:00:02 web1 sshd[9]: Invalid user admin

                Security Events for sudo
                =-=-=-=-=-=-=-=-=-=-=-=-
                Nov 22 01:00:03 web1 sudo: bob : 3 incorrect password attempts

                System Events
                =-=-=-=-=-=-=
                Nov 22 01:00:01 web1 cron[12]: job done

                PROCESSES (1 process event)
                ===========================

                Died (1)
                --------
                /run/sshd.pid
                    command  sshd
                    pid      4242
                """.formatted(report.id()), text);
    }

    @Test
    void logcheckHeadingNamesNoRuleFileForTheLogcheckFileOrAnExplicitSection() {
        Finding logcheckFile = Samples.log("SECURITY_EVENT", "logcheck", "line one");
        Finding explicit = new Finding(Source.LOGS, "CUSTOM", "line two", Samples.HOST, Samples.T0, Severity.NOTICE,
                Map.of(Details.SECTION, Details.SECURITY_ALERTS, Details.RULEFILE, "su"));

        String text = new TextRenderer().render(Samples.report(logcheckFile, explicit));

        assertTrue(text.contains("Security Alerts for su\n=-=-=-=-=-=-=-=-=-=-=-\nline two\n"), text);
        assertTrue(text.contains("\nSecurity Events\n=-=-=-=-=-=-=-=\nline one\n"), text);
    }

    @Test
    void criticalFindingsAreMarked() {
        String text = new TextRenderer().render(Samples.report(
                Samples.file("DELETED", "/etc/shadow", Severity.CRITICAL)));

        assertTrue(text.contains("\n/etc/shadow  [CRITICAL]\n"), text);
    }

    @Test
    void controlCharactersInPathsAndLinesCannotReachTheTerminal() {
        Report report = Samples.report(Samples.file("ADDED", "/tmp/\u001b[2J\nFAKE HEADER\u0007", Severity.WARNING));

        String text = new TextRenderer().render(report);
        String subject = new SubjectLine().render(Samples.report(new Finding(Source.FILES, "ADDED", "/x",
                "evil\r\nBcc: x@example.org", Samples.T0, Severity.INFO, Map.of())));

        assertFalse(text.contains("\u001b") || text.contains("\u0007"), text);
        assertTrue(text.contains("/tmp/\\x1b[2J\\nFAKE HEADER\\x07\n"), text);
        assertEquals("[vigil] evil\\r\\nBcc: x@example.org: 1 file change", subject);
    }

    /** A right-to-left override or a zero-width character cannot make a file name read as another. */
    @Test
    void invisibleFormatCharactersInPathsAreShownAsEscapes() {
        Report report = Samples.report(Samples.file("ADDED", "/tmp/\u202egpj.exe", Severity.WARNING),
                Samples.file("ADDED", "/usr/bin/s\u200bsh", Severity.WARNING),
                Samples.file("ADDED", "/usr/bin/s\udb40\udc01u", Severity.WARNING));

        String text = new TextRenderer().render(report);
        String html = new HtmlRenderer().render(report);

        for (String rendered : List.of(text, html)) {
            assertFalse(rendered.contains("\u202e") || rendered.contains("\u200b"), rendered);
            assertTrue(rendered.contains("/tmp/\\u202egpj.exe"), rendered);
            assertTrue(rendered.contains("/usr/bin/s\\u200bsh"), rendered);
            assertTrue(rendered.contains("/usr/bin/s\\U000e0001u"), "a tag character, beyond the first plane: " + rendered);
            assertFalse(rendered.contains("\udb40"), rendered);
        }
    }

    /** A fleet host's kinds and rule file names are what it sent: in headings too, control characters are escapes. */
    @Test
    void controlCharactersInKindsAndRuleFilesCannotReachTheTerminalEither() {
        String text = new TextRenderer().render(Samples.report(
                Samples.file("ADDED\u001b[2J\nFAKE", "/etc/x", Severity.WARNING),
                Samples.log("SECURITY_ALERT", "sshd\u001b[2J\nFAKE", "a line")));

        assertFalse(text.contains("\u001b"), text);
        assertTrue(text.contains("Added\\x1b[2j\\nfake (1)\n"), text);
        assertTrue(text.contains("sshd\\x1b[2J\\nFAKE"), text);
    }

    @Test
    void htmlAlternativeIsWellFormedAndShowsFindingsEscaped() throws Exception {
        Finding hostile = Samples.file("ADDED", "/tmp/<script>alert('x')</script>&\"", Severity.WARNING);
        Report report = Samples.report(Samples.modified("/etc/passwd"), hostile,
                Samples.log("SECURITY_ALERT", "sshd", "sshd: user <b>root</b>"));

        String html = new HtmlRenderer().render(report);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));

        assertFalse(html.contains("<script>") || html.contains("<b>root"), html);
        assertEquals(List.of("/tmp/<script>alert('x')</script>&\"", "/etc/passwd"),
                texts(doc.getElementsByTagName("code")).subList(1, 3));
        assertEquals(List.of("Files (2 file changes)", "Logs (1 log event)"), texts(doc.getElementsByTagName("h2")));
        assertEquals(List.of("Added (1)", "Modified (1)", "Security Alerts for sshd"),
                texts(doc.getElementsByTagName("h3")));
        assertEquals("sshd: user <b>root</b>\n", texts(doc.getElementsByTagName("pre")).get(0));
        assertTrue(texts(doc.getElementsByTagName("td")).contains("1024 \u2192 1088"), html);
        assertEquals(new SubjectLine().render(report), texts(doc.getElementsByTagName("title")).get(0));
    }

    @Test
    void attributeMissingOnOneSideOfAChangedFileReadsNone() {
        Finding f = new Finding(Source.FILES, "ATTRIBUTES", "/usr/bin/sudo", Samples.HOST, Samples.T0, Severity.WARNING,
                Map.of(Details.BEFORE, Map.of("mode", "4755"),
                        Details.AFTER, Map.of("mode", "4755", "xattrs", "security.capability")));

        String text = new TextRenderer().render(Samples.report(f));

        assertTrue(text.contains("/usr/bin/sudo\n    xattrs  (none) -> security.capability\n"), text);
    }

    private static List<String> texts(NodeList nodes) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }

    /**
     * A finding's details are hostile input (a file's extended attributes are its owner's; a fleet host's report its
     * root's): a mail lists 64 rows of them, each cut, and a name of any length costs its own length (aligned to the
     * longest name, 60,000 rows after a name of half a million characters made 30 billion).
     */
    @Test
    void aFindingsDetailsAreListedSixtyFourRowsEachCutAndALongNameIsNotPaddedForEveryRow() throws Exception {
        Map<String, Object> details = new java.util.TreeMap<>();
        for (int i = 0; i < 60_000; i++) {
            details.put("k" + i, "v");
        }
        details.put("a".repeat(500_000), "x".repeat(100_000));
        Finding hostile = new Finding(Source.FILES, "MODIFIED", "/srv/a", Samples.HOST, Samples.T0, Severity.WARNING, details);
        Report report = Samples.report(hostile);

        String text = new TextRenderer().render(report);
        String html = new HtmlRenderer().render(report);

        for (String body : List.of(text, html)) {
            assertTrue(body.length() < 64 * 64 + 3 * 4096 + 4096, body.length() + " chars");
            assertTrue(body.contains("\u2026and 59937 more details"), "the rows left out counted");
            assertTrue(body.contains("a".repeat(100) + " \u2026 [truncated: 500000 bytes]"), "the long name cut");
        }
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    /** A burst's directories are aligned after at most 32 characters too: one of a megabyte padded every other row. */
    @Test
    void aBurstsLongDirectoryIsNotPaddedForEveryOtherDirectory() {
        String huge = "/" + "d".repeat(1_000_000);
        List<Finding> burst = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String directory = i < 10 ? huge : "/srv/dir" + (i % 19);
            burst.add(Samples.file("ADDED", directory + "/f" + i, Severity.WARNING));
        }
        String text = new TextRenderer().render(Samples.report(burst.toArray(Finding[]::new)));

        assertTrue(text.length() < 100_000, text.length() + " chars");
        assertTrue(text.contains("/srv/dir1  "), "the short directories aligned among themselves");
    }
}
