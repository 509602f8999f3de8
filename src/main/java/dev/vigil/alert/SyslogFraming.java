package dev.vigil.alert;

import java.nio.charset.StandardCharsets;

/**
 * Byte forms of a syslog message for the wire: as-is for UDP, and RFC 6587 octet counting
 * ({@code LENGTH SP MESSAGE}) for TCP and TLS (RFC 5425), which unlike newline framing survives a
 * message that contains a newline.
 */
public final class SyslogFraming {

    private SyslogFraming() {
    }

    /** One UDP datagram. */
    public static byte[] datagram(String message) {
        return message.getBytes(StandardCharsets.UTF_8);
    }

    /** One octet-counted frame: the UTF-8 byte length, a space, the message. */
    public static byte[] octetCounted(String message) {
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = (body.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, frame, 0, prefix.length);
        System.arraycopy(body, 0, frame, prefix.length, body.length);
        return frame;
    }
}
