package dev.vigil.alert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class SyslogRendererTest {

    private static final int AUTH = 4;
    private static final int LOCAL3 = 19;

    private final SyslogRenderer rfc5424 =
            new SyslogRenderer(SyslogRenderer.Format.RFC5424, AUTH, Map.of(), ZoneOffset.UTC);

    @Test
    void strictReaderAgreesWithUtilLinuxLogger() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/logger")), "needs util-linux logger");
        try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            receiver.setSoTimeout(30_000);
            Process logger = new ProcessBuilder("logger", "--rfc5424", "-d", "-n", "127.0.0.1",
                    "-P", Integer.toString(receiver.getLocalPort()), "-p", "auth.warning", "-t", "vigil",
                    "--msgid", "MODIFIED", "--sd-id", "vigil@32473", "--sd-param", "subject=\"a\\\"b\\\\c\\]d\"",
                    "h\u00e9llo world").redirectErrorStream(true).start();
            assertTrue(logger.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, logger.exitValue(), new String(logger.getInputStream().readAllBytes()));

            Rfc5424.Message m = Rfc5424.parse(receive(receiver));

            assertEquals(AUTH, m.facility());
            assertEquals(4, m.severity());
            assertEquals("vigil", m.appName());
            assertEquals("MODIFIED", m.msgId());
            assertEquals("a\"b\\c]d", m.structuredData().get("vigil@32473").get("subject"));
            assertTrue(m.structuredData().containsKey("timeQuality"), m.structuredData().toString());
            assertEquals("h\u00e9llo world", m.msg());
        }
    }

    @Test
    void rfc5424MessageOverUdpCarriesEveryFieldOfTheFinding() throws Exception {
        Finding finding = new Finding(Source.FILES, "MODIFIED", "/srv/a\"quoted\\dir]/\u00fcber", Samples.HOST,
                Instant.parse("2026-11-22T01:02:03.123456789Z"), Severity.WARNING,
                Samples.modified("/x").details());
        Report report = Samples.report(finding);

        Rfc5424.Message m;
        try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket sender = new DatagramSocket()) {
            receiver.setSoTimeout(30_000);
            byte[] datagram = SyslogFraming.datagram(rfc5424.render(report).get(0));
            sender.send(new DatagramPacket(datagram, datagram.length, receiver.getLocalSocketAddress()));
            m = Rfc5424.parse(receive(receiver));
        }

        assertEquals(AUTH, m.facility());
        assertEquals(4, m.severity());
        assertEquals("2026-11-22T01:02:03.123456Z", m.timestamp());
        assertEquals(Samples.HOST, m.hostname());
        assertEquals("vigil", m.appName());
        assertEquals("-", m.procId());
        assertEquals("MODIFIED", m.msgId());
        assertEquals(Map.of(SyslogRenderer.SD_ID, Map.of("report", report.id(), "source", "files",
                "kind", "MODIFIED", "subject", "/srv/a\"quoted\\dir]/\u00fcber", "host", Samples.HOST)),
                m.structuredData());
        assertTrue(m.bom(), "non-ASCII MSG starts with the UTF-8 BOM");
        assertEquals("MODIFIED /srv/a\"quoted\\dir]/\u00fcber: size 1024 -> 1088, sha256 aaaa -> bbbb", m.msg());
    }

    @Test
    void logFindingsNameTheirLogAndRuleFileAndAsciiMessagesHaveNoBom() {
        Finding line = Samples.log("SECURITY_ALERT", "sshd", "Nov 22 01:00:02 web1 sshd[9]: Invalid user admin");

        Rfc5424.Message m = Rfc5424.parse(SyslogFraming.datagram(rfc5424.render(Samples.report(line)).get(0)));

        Map<String, String> params = m.structuredData().get(SyslogRenderer.SD_ID);
        assertEquals("/var/log/auth.log", params.get("logfile"));
        assertEquals("sshd", params.get("rulefile"));
        assertEquals("SECURITY_ALERT", m.msgId());
        assertEquals(5, m.severity(), "NOTICE maps to notice");
        assertFalse(m.bom());
        assertEquals("SECURITY_ALERT Security Alerts for sshd: Nov 22 01:00:02 web1 sshd[9]: Invalid user admin",
                m.msg());
    }

    @Test
    void octetCountedFramesOverTcpParseBackOneByOne() throws Exception {
        Report report = Samples.report(
                Samples.modified("/etc/passwd"),
                Samples.file("ADDED", "/tmp/line\nbreak \u00e9t\u00e9", Severity.INFO),
                Samples.file("DELETED", "/etc/shadow", Severity.CRITICAL));
        List<String> messages = rfc5424.render(report);
        assertEquals(3, messages.size(), "one message per finding");

        List<Rfc5424.Message> received = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                 OutputStream out = client.getOutputStream()) {
                for (String message : messages) {
                    out.write(SyslogFraming.octetCounted(message));
                }
            }
            server.setSoTimeout(30_000);
            try (Socket accepted = server.accept();
                 DataInputStream in = new DataInputStream(new BufferedInputStream(accepted.getInputStream()))) {
                byte[] frame;
                while ((frame = Rfc5424.readFrame(in)) != null) {
                    received.add(Rfc5424.parse(frame));
                }
            }
        }

        assertEquals(3, received.size());
        assertEquals(List.of("MODIFIED", "ADDED", "DELETED"), received.stream().map(Rfc5424.Message::msgId).toList());
        assertEquals("/tmp/line\\nbreak \u00e9t\u00e9",
                received.get(1).structuredData().get(SyslogRenderer.SD_ID).get("subject"));
        assertEquals(6, received.get(1).severity());
        assertEquals(2, received.get(2).severity(), "CRITICAL maps to crit");
    }

    /**
     * A fleet host's finding kind is what the host sent: a line break in it would end the message there, and a
     * receiver that splits on lines would take what follows for a message of its own.
     */
    @Test
    void aKindWithALineBreakCannotForgeASecondMessage() {
        Finding forged = Samples.file("ADDED\n<10>1 2026-11-22T01:00:00Z web9 vigil - FORGED - forged", "/etc/x",
                Severity.INFO);
        SyslogRenderer bsd = new SyslogRenderer(SyslogRenderer.Format.RFC3164, AUTH, Map.of(), ZoneOffset.UTC);

        for (String message : List.of(rfc5424.render(Samples.report(forged)).get(0), bsd.render(Samples.report(forged)).get(0))) {
            assertFalse(message.contains("\n"), message);
            assertTrue(message.contains("ADDED\\n<10>1"), message);
        }
    }

    /** Escapes make a value longer; a value of control characters still leaves the message its room. */
    @Test
    void aSubjectOfControlCharactersKeepsTheDatagramWithinItsSize() {
        Finding f = Samples.file("ADDED", "/tmp/" + "\u0001".repeat(600) + "\"]", Severity.INFO);
        String message = rfc5424.withMaxBytes(SyslogRenderer.DATAGRAM_MAX_BYTES).render(Samples.report(f)).get(0);

        assertTrue(message.getBytes(StandardCharsets.UTF_8).length <= SyslogRenderer.DATAGRAM_MAX_BYTES,
                message.getBytes(StandardCharsets.UTF_8).length + " bytes");
        Rfc5424.Message m = Rfc5424.parse(SyslogFraming.datagram(message));
        assertTrue(m.structuredData().get(SyslogRenderer.SD_ID).get("subject").startsWith("/tmp/\\x01"), message);
        assertTrue(m.msg().startsWith("ADDED "), m.msg());
        assertTrue(m.msg().length() > 100, "the message keeps its room: " + m.msg());
    }

    @Test
    void octetCountIsTheUtf8ByteLength() {
        byte[] frame = SyslogFraming.octetCounted("\u00e9t\u00e9");

        assertArrayEquals("5 \u00e9t\u00e9".getBytes(StandardCharsets.UTF_8), frame);
    }

    @Test
    void rfc3164LineUsesLocalTimeWithAPaddedDayAndTheConfiguredFacility() {
        Finding early = new Finding(Source.FILES, "MODIFIED", "/etc/passwd", Samples.HOST,
                Instant.parse("2026-11-02T07:04:05Z"), Severity.WARNING, Samples.modified("/x").details());
        SyslogRenderer bsd = new SyslogRenderer(SyslogRenderer.Format.RFC3164, LOCAL3, Map.of(),
                ZoneId.of("Europe/Berlin"));

        String line = bsd.render(Samples.report(early)).get(0);

        assertEquals("<156>Nov  2 08:04:05 web1.example.org vigil: files MODIFIED /etc/passwd: "
                + "size 1024 -> 1088, sha256 aaaa -> bbbb", line);
    }

    @Test
    void rfc3164LineIsCutTo1024BytesWithoutSplittingACharacter() {
        Finding longLine = Samples.log("SYSTEM_EVENT", null, "\u00e9".repeat(2000));
        SyslogRenderer bsd = new SyslogRenderer(SyslogRenderer.Format.RFC3164, AUTH, Map.of(), ZoneOffset.UTC);

        String line = bsd.render(Samples.report(longLine)).get(0);

        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        assertTrue(bytes.length <= 1024 && bytes.length >= 1022, "length " + bytes.length);
        assertFalse(line.contains("\uFFFD"));
        assertTrue(line.matches("(?s).*\u00e9 \u2026 \\[truncated: \\d+ bytes]"), line);
    }

    @Test
    void severityMappingAndFacilityAreConfigurableByName() {
        SyslogRenderer custom = new SyslogRenderer(SyslogRenderer.Format.RFC5424, SyslogRenderer.facility("local7"),
                Map.of(Severity.CRITICAL, SyslogRenderer.severity("alert"), Severity.INFO, SyslogRenderer.severity("debug")),
                ZoneOffset.UTC);

        Rfc5424.Message critical = Rfc5424.parse(SyslogFraming.datagram(custom.render(
                Samples.report(Samples.file("DELETED", "/etc/shadow", Severity.CRITICAL))).get(0)));
        Rfc5424.Message warning = Rfc5424.parse(SyslogFraming.datagram(custom.render(
                Samples.report(Samples.added("/x"))).get(0)));

        assertEquals(23, critical.facility());
        assertEquals(1, critical.severity());
        assertEquals(4, warning.severity(), "unmapped severities keep their default");
        assertEquals(3, SyslogRenderer.facility("daemon"));
        assertEquals(10, SyslogRenderer.facility("AUTHPRIV"));
        assertEquals(16, SyslogRenderer.facility("16"));
        assertEquals(2, SyslogRenderer.severity("critical"));
        assertEquals(SyslogRenderer.Format.RFC3164, SyslogRenderer.Format.parse("3164"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> SyslogRenderer.facility("local8"));
        assertTrue(unknown.getMessage().contains("local7"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SyslogRenderer.severity("8"));
        assertThrows(IllegalArgumentException.class, () -> SyslogRenderer.Format.parse("5425"));
        assertThrows(IllegalArgumentException.class,
                () -> new SyslogRenderer(SyslogRenderer.Format.RFC5424, 24));
    }

    @Test
    void hostNameIsOursEvenWhenItIsNotPlainAscii() {
        Finding f = new Finding(Source.PIDS, "DIED", "/run/a.pid", "m\u00fcnchen host", Samples.T0, Severity.WARNING,
                Map.of());

        Rfc5424.Message m = Rfc5424.parse(SyslogFraming.datagram(rfc5424.render(Samples.report(f)).get(0)));

        assertEquals("m_nchen_host", m.hostname());
        assertEquals("m\u00fcnchen host", m.structuredData().get(SyslogRenderer.SD_ID).get("host"));
        assertNull(m.structuredData().get(SyslogRenderer.SD_ID).get("logfile"));
    }

    private static byte[] receive(DatagramSocket socket) throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[65536], 65536);
        socket.receive(packet);
        return Arrays.copyOf(packet.getData(), packet.getLength());
    }
}
