package dev.vigil.camel;

import dev.vigil.alert.Source;
import dev.vigil.Await;
import dev.vigil.alert.Finding;
import dev.vigil.alert.Rfc5424;
import dev.vigil.alert.Severity;
import dev.vigil.alert.SyslogRenderer;
import dev.vigil.store.Outbox;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.DataInputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The syslog channel of routes/channels.yaml sending to real sockets on the loopback interface: a UDP socket
 * gets one datagram per finding, a TCP socket and a TLS server socket (certificate made by keytool, trusted
 * through vigil.syslog.truststore) one octet-counted frame per finding, each a valid RFC 5424 message read by
 * the strict parser the renderer's tests use; with vigil.syslog.format=3164, one RFC 3164 datagram per finding.
 */
class SyslogChannelTest {

    private static final int LOCAL3 = 19;
    private static final int WARNING = 4;
    private static final int AUTH = 4;
    /** RFC 3164 section 4.1: PRI, TIMESTAMP ("Mmm dd hh:mm:ss", day padded with a space), HOSTNAME, TAG: MSG. */
    private static final Pattern RFC3164 = Pattern.compile(
            "<(?<pri>\\d{1,3})>(?<time>[A-Z][a-z]{2} [ 1-3]\\d \\d{2}:\\d{2}:\\d{2}) (?<host>\\S+) (?<tag>[A-Za-z0-9]{1,32}): (?<msg>.*)",
            Pattern.DOTALL);

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    private Main start(String target, String... more) throws Exception {
        Map<String, String> config = new java.util.HashMap<>(Map.of("vigil.syslog.target", target, "vigil.syslog.facility", "local3"));
        for (int i = 0; i + 1 < more.length; i += 2) {
            config.put(more[i], more[i + 1]);
        }
        return daemon.start(config);
    }

    private void twoFindings(Main main) {
        ProducerTemplate template = main.getCamelContext().createProducerTemplate();
        template.sendBody("direct:report", finding("/etc/hosts"));
        template.sendBody("direct:report", finding("/etc/caf\u00e9 \"menu\""));
        daemon.advance(Duration.ofSeconds(15));
    }

    private Finding finding(String path) {
        return new Finding(Source.FILES, "MODIFIED", path, "test-host", daemon.now(), Severity.WARNING, Map.of());
    }

    private static String reportId(Main main) throws InterruptedException {
        Await.until("the delivery marked", () -> TestDaemon.outbox(main).list(false, 10).stream()
                .anyMatch(d -> d.channel().equals("syslog") && d.status() == Outbox.Status.DELIVERED));
        return TestDaemon.outbox(main).list(false, 10).get(0).reportId();
    }

    @Test
    void overUdpEachFindingIsOneRfc5424Datagram() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(20_000);
            Main main = start("udp://127.0.0.1:" + socket.getLocalPort());
            twoFindings(main);
            List<Rfc5424.Message> got = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                DatagramPacket packet = new DatagramPacket(new byte[8192], 8192);
                socket.receive(packet);
                got.add(Rfc5424.parse(Arrays.copyOf(packet.getData(), packet.getLength())));
            }
            assertMessages(got, reportId(main));
        }
    }

    @Test
    void withFormat3164EachFindingIsOneBsdSyslogDatagram() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(20_000);
            Main main = start("udp://127.0.0.1:" + socket.getLocalPort(), "vigil.syslog.format", "3164");
            // RFC 3164 has local time without a year or zone; the daemon writes the finding's in its own zone.
            String time = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH)
                    .format(daemon.now().atZone(ZoneId.systemDefault()));
            twoFindings(main);
            List<Matcher> got = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                DatagramPacket packet = new DatagramPacket(new byte[8192], 8192);
                socket.receive(packet);
                String line = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                Matcher m = RFC3164.matcher(line);
                assertTrue(m.matches(), "an RFC 3164 line: " + line);
                got.add(m);
            }
            reportId(main);
            for (Matcher m : got) {
                assertEquals(LOCAL3 * 8 + WARNING, Integer.parseInt(m.group("pri")));
                assertEquals(time, m.group("time"));
                assertEquals("test-host", m.group("host"));
                assertEquals("vigil", m.group("tag"));
            }
            assertEquals("files MODIFIED /etc/hosts", got.get(0).group("msg"));
            assertTrue(got.get(1).group("msg").startsWith("files MODIFIED /etc/caf\u00e9"), got.get(1).group("msg"));
        }
    }

    @Test
    void aSecondSyslogReceiverFromTheTemplateWithItsOwnKeysGetsItsOwnFormat() throws Exception {
        daemon.addChannels("""

                - templatedRoute:
                    routeTemplateRef: syslog
                    routeId: channel-syslog-siem
                    parameters:
                      - name: keys
                        value: vigil.syslog.siem
                """);
        try (DatagramSocket first = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             ServerSocket siem = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            first.setSoTimeout(20_000);
            siem.setSoTimeout(20_000);
            Main main = start("udp://127.0.0.1:" + first.getLocalPort(), "vigil.syslog.siem.target",
                    "tcp://127.0.0.1:" + siem.getLocalPort(), "vigil.syslog.siem.format", "3164",
                    "vigil.syslog.siem.facility", "auth");
            twoFindings(main);
            List<Rfc5424.Message> got = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                DatagramPacket packet = new DatagramPacket(new byte[8192], 8192);
                first.receive(packet);
                got.add(Rfc5424.parse(Arrays.copyOf(packet.getData(), packet.getLength())));
            }
            assertMessages(got, reportId(main));
            try (Socket connection = siem.accept()) {
                connection.setSoTimeout(20_000);
                DataInputStream in = new DataInputStream(connection.getInputStream());
                for (String subject : List.of("/etc/hosts", "/etc/caf\u00e9")) {
                    String line = new String(Rfc5424.readFrame(in), StandardCharsets.UTF_8);
                    Matcher m = RFC3164.matcher(line);
                    assertTrue(m.matches(), "an RFC 3164 line: " + line);
                    assertEquals(AUTH * 8 + WARNING, Integer.parseInt(m.group("pri")), line);
                    assertTrue(m.group("msg").startsWith("files MODIFIED " + subject), line);
                }
            }
        }
    }

    @Test
    void overUdpATenMegabyteLogLineIsOneDatagramWithinTheLimitEndingInItsMarkerAndTheNextReportFollows() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(60_000);
            Main main = start("udp://127.0.0.1:" + socket.getLocalPort());
            daemon.longLogLine(main);
            DatagramPacket packet = new DatagramPacket(new byte[65536], 65536);
            socket.receive(packet);
            assertTrue(packet.getLength() <= SyslogRenderer.DATAGRAM_MAX_BYTES, packet.getLength() + " bytes");
            assertLongLine(Rfc5424.parse(Arrays.copyOf(packet.getData(), packet.getLength())));

            daemon.criticalFinding(main, "/etc/after-the-long-line");
            socket.receive(packet);
            assertEquals("/etc/after-the-long-line", Rfc5424.parse(Arrays.copyOf(packet.getData(), packet.getLength()))
                    .structuredData().get(SyslogRenderer.SD_ID).get("subject"));
        }
    }

    @Test
    void overTcpATenMegabyteLogLineIsOneFrameWithinTheLimitEndingInItsMarkerAndTheNextReportFollows() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(60_000);
            Main main = start("tcp://127.0.0.1:" + server.getLocalPort());
            daemon.longLogLine(main);
            try (Socket connection = server.accept()) {
                connection.setSoTimeout(60_000);
                DataInputStream in = new DataInputStream(connection.getInputStream());
                byte[] frame = Rfc5424.readFrame(in);
                assertTrue(frame.length <= SyslogRenderer.STREAM_MAX_BYTES, frame.length + " bytes");
                assertLongLine(Rfc5424.parse(frame));

                daemon.criticalFinding(main, "/etc/after-the-long-line");
                assertEquals("/etc/after-the-long-line", Rfc5424.parse(Rfc5424.readFrame(in))
                        .structuredData().get(SyslogRenderer.SD_ID).get("subject"));
            }
        }
    }

    /** The message of TestDaemon's long log line: its start, cut with the marker, in the text and the subject. */
    private static void assertLongLine(Rfc5424.Message m) {
        assertTrue(m.msg().startsWith("SYSTEM_EVENT System Events: Nov 22 01:00:00 web app[1]: xxx"), m.msg());
        assertTrue(m.msg().endsWith(TestDaemon.LONG_LINE_MARKER), m.msg());
        assertTrue(m.structuredData().get(SyslogRenderer.SD_ID).get("subject").endsWith(TestDaemon.LONG_LINE_MARKER));
    }

    /** Accepts the daemon's connection and checks the two octet-counted RFC 5424 frames of twoFindings. */
    private void assertTwoFramesArrive(ServerSocket server, Main main) throws Exception {
        try (Socket connection = server.accept()) {
            connection.setSoTimeout(20_000);
            DataInputStream in = new DataInputStream(connection.getInputStream());
            List<Rfc5424.Message> got = List.of(Rfc5424.parse(Rfc5424.readFrame(in)), Rfc5424.parse(Rfc5424.readFrame(in)));
            assertMessages(got, reportId(main));
        }
    }

    @Test
    void overTcpEachFindingIsOneOctetCountedFrame() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(20_000);
            Main main = start("tcp://127.0.0.1:" + server.getLocalPort());
            twoFindings(main);
            assertTwoFramesArrive(server, main);
        }
    }

    @Test
    void overTlsTheServerIsCheckedAgainstTheTrustStoreAndGetsOctetCountedFrames() throws Exception {
        SSLContext tls = serverTls("ip:127.0.0.1");
        try (ServerSocket server = tls.getServerSocketFactory().createServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(20_000);
            Main main = start("tls://127.0.0.1:" + server.getLocalPort(), "vigil.syslog.truststore",
                    daemon.dir.resolve("trust.p12").toString(), "vigil.syslog.truststore.password", "trust-pass");
            twoFindings(main);
            assertTwoFramesArrive(server, main);
        }
    }

    @Test
    void overTlsACertificateForAnotherHostIsRefusedAndTheReportKept() throws Exception {
        SSLContext tls = serverTls("dns:other.example.org");
        try (ServerSocket server = tls.getServerSocketFactory().createServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Main main = start("tls://127.0.0.1:" + server.getLocalPort(), "vigil.syslog.truststore",
                    daemon.dir.resolve("trust.p12").toString(), "vigil.syslog.truststore.password", "trust-pass");
            Thread acceptor = new Thread(() -> {
                try (Socket connection = server.accept()) {
                    connection.getInputStream().read();
                } catch (java.io.IOException expected) {
                    // the client gives up the handshake
                }
            });
            acceptor.start();
            twoFindings(main);
            Await.until("the failed attempt", () -> TestDaemon.outbox(main).list(false, 10).stream()
                    .anyMatch(d -> d.channel().equals("syslog") && d.attempts() > 0));
            Outbox.Delivery d = TestDaemon.outbox(main).list(false, 10).stream()
                    .filter(x -> x.channel().equals("syslog")).findFirst().orElseThrow();
            assertEquals(Outbox.Status.PENDING, d.status());
            assertTrue(d.lastError().contains("127.0.0.1"), d.lastError());
            acceptor.join(20_000);
        }
    }

    /**
     * A server key and certificate for {@code san}, and a trust store ({@code trust.p12}, password trust-pass)
     * holding that certificate; returns the server's TLS context.
     */
    private SSLContext serverTls(String san) throws Exception {
        Path serverKeys = daemon.dir.resolve("server.p12");
        TestCertificate.make(san, serverKeys, "server-pass", daemon.dir.resolve("trust.p12"), "trust-pass");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(serverKeys)) {
            keys.load(in, "server-pass".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "server-pass".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        return tls;
    }

    private static void assertMessages(List<Rfc5424.Message> got, String reportId) {
        assertEquals(List.of("/etc/hosts", "/etc/caf\u00e9 \"menu\""),
                got.stream().map(m -> m.structuredData().get(SyslogRenderer.SD_ID).get("subject")).toList());
        for (Rfc5424.Message m : got) {
            assertEquals(LOCAL3, m.facility());
            assertEquals(WARNING, m.severity());
            assertEquals("test-host", m.hostname(), "the host name is Vigil's, not InetAddress.toString()");
            assertEquals("vigil", m.appName());
            assertEquals("MODIFIED", m.msgId());
            Map<String, String> sd = m.structuredData().get(SyslogRenderer.SD_ID);
            assertEquals("files", sd.get("source"));
            assertEquals("MODIFIED", sd.get("kind"));
            assertEquals("test-host", sd.get("host"));
            assertEquals(reportId, sd.get("report"));
        }
        assertTrue(got.get(1).bom() && got.get(1).msg().contains("caf\u00e9"), "UTF-8 with its BOM: " + got.get(1));
    }
}
