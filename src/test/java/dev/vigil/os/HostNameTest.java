package dev.vigil.os;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HostNameTest {

    @Test
    void theConfiguredNameWins() {
        assertEquals("web-1", HostName.of(" web-1 "));
        assertEquals("web-1", HostName.of("web-1", "kernel-name"));
    }

    @Test
    void withoutAConfiguredNameItIsTheKernelsAsHostnamePrintsIt() throws Exception {
        String kernel = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();

        assertEquals(kernel, HostName.of(null));
        assertEquals(kernel, HostName.of("  "));
    }

    @Test
    void withNeitherItIsLocalhost() {
        assertEquals("localhost", HostName.of(null, null));
        assertEquals("localhost", HostName.of("", " \n"));
    }
}
