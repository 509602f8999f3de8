package dev.vigil.camel;

import dev.vigil.alert.Source;
import dev.vigil.Await;
import dev.vigil.alert.Finding;
import dev.vigil.alert.Severity;
import dev.vigil.store.Outbox;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the daemon writes is its owner's alone, and never written through a symbolic link planted in its place. */
class PrivateWritesTest {

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    @AfterEach
    void stop() {
        if (daemon != null) {
        }
    }

    private Main startAndReport() throws Exception {
        Main main = daemon.start(Map.of());
        main.getCamelContext().createProducerTemplate().sendBody("direct:report",
                new Finding(Source.FILES, "MODIFIED", "/etc/shadow", "test-host", daemon.now(), Severity.CRITICAL, Map.of()));
        return main;
    }

    @Test
    void aSymlinkAtTheAlertFilePathIsRefusedNamingItAndItsTargetIsNotWritten() throws Exception {
        Path target = Files.writeString(daemon.dir.resolve("shadow"), "root:x:0:0\n");
        Path link = Files.createSymbolicLink(Files.createDirectory(daemon.dir.resolve("alerts")).resolve("alerts.ndjson"), target);

        Main main = startAndReport();

        Await.until("a failed delivery to the file channel", () -> fileDelivery(main).filter(d -> d.attempts() > 0).isPresent());
        String error = fileDelivery(main).orElseThrow().lastError();
        assertTrue(error.contains(link + ": is a symbolic link"), error);
        assertEquals("root:x:0:0\n", Files.readString(target));
        assertTrue(Files.isSymbolicLink(link));
    }

    @Test
    void theAlertFileIsMadeOwnerOnlyInADirectoryMadeOwnerOnly() throws Exception {
        Path file = daemon.dir.resolve("alerts/alerts.ndjson");

        startAndReport();

        Await.until("the report in the alert file", () -> Files.exists(file));
        assertEquals("rw-------", mode(file));
        assertEquals("rwx------", mode(file.getParent()));
    }

    private static Optional<Outbox.Delivery> fileDelivery(Main main) {
        return TestDaemon.outbox(main).list(false, 10).stream().filter(d -> d.channel().equals("file")).findFirst();
    }

    private static String mode(Path p) throws java.io.IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }
}
