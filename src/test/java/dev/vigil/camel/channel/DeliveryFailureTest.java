package dev.vigil.camel.channel;

import jakarta.mail.MessagingException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.UnknownHostException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How a failed delivery is worded in the log and in `vigil outbox --failed`. */
class DeliveryFailureTest {

    @Test
    void aHostNameThatDoesNotResolveIsCalledAnUnknownHostNotAFailureToConnect() {
        Exception mail = new MessagingException("Couldn't connect to host, port: no-such-host.invalid, 25; timeout -1",
                new UnknownHostException("no-such-host.invalid"));
        assertEquals("unknown host no-such-host.invalid (the name does not resolve)", OutboxDispatcher.failure(mail));
    }

    @Test
    void anyOtherFailureKeepsItsOwnMessage() {
        Exception refused = new MessagingException("Couldn't connect to host, port: 127.0.0.1, 25; timeout -1",
                new ConnectException("Connection refused"));
        assertEquals("Couldn't connect to host, port: 127.0.0.1, 25; timeout -1", OutboxDispatcher.failure(refused));
    }
}
