package dev.vigil.os;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The socket addresses {@code $NOTIFY_SOCKET} names, as sd_notify(3) reads them. */
class ServiceManagerTest {

    @Test
    void aPathIsAddressedNulTerminated() {
        byte[] address = ServiceManager.address("/run/systemd/notify");
        assertEquals(2 + "/run/systemd/notify".length() + 1, address.length);
        assertEquals('/', address[2]);
        assertEquals(0, address[address.length - 1]);
    }

    @Test
    void anAbstractNameIsAddressedWithALeadingNulAndNoTrailingOne() {
        byte[] address = ServiceManager.address("@vigil/notify");
        assertEquals(2 + "@vigil/notify".length(), address.length);
        assertEquals(0, address[2]);
        assertEquals('y', address[address.length - 1]);
    }

    @Test
    void aNameLongerThanASocketAddressTakesIsRefusedNamingIt() {
        String name = "/" + "x".repeat(120);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ServiceManager.address(name));
        assertEquals("NOTIFY_SOCKET=" + name + " is longer than a socket address takes", e.getMessage());
    }
}
