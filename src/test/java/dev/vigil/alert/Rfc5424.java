package dev.vigil.alert;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A strict reader of RFC 5424 messages and RFC 6587 octet-counted frames, written from the RFCs' ABNF, for
 * asserting what a syslog receiver gets. Checked against util-linux {@code logger} in {@link SyslogRendererTest}.
 */
public final class Rfc5424 {

    public record Message(int pri, String timestamp, String hostname, String appName, String procId, String msgId,
                   Map<String, Map<String, String>> structuredData, boolean bom, String msg) {

        public int facility() {
            return pri / 8;
        }

        public int severity() {
            return pri % 8;
        }
    }

    private final byte[] bytes;
    private int pos;

    private Rfc5424(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Message parse(byte[] message) {
        return new Rfc5424(message).message();
    }

    /** Reads one {@code LENGTH SP MESSAGE} frame, or returns null at the end of the stream. */
    public static byte[] readFrame(DataInputStream in) throws IOException {
        ByteArrayOutputStream length = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != ' ') {
            if (b < 0) {
                if (length.size() == 0) {
                    return null;
                }
                throw new EOFException("stream ended inside a frame length");
            }
            if (b < '0' || b > '9' || (length.size() == 0 && b == '0')) {
                throw new IllegalArgumentException("bad frame length byte " + b);
            }
            length.write(b);
        }
        byte[] frame = new byte[Integer.parseInt(length.toString(StandardCharsets.US_ASCII))];
        in.readFully(frame);
        return frame;
    }

    private Message message() {
        expect('<');
        int pri = Integer.parseInt(until('>'));
        expect('>');
        if (pri > 191) {
            throw new IllegalArgumentException("PRI out of range: " + pri);
        }
        expect('1');
        expect(' ');
        String timestamp = field(Integer.MAX_VALUE);
        String hostname = field(255);
        String appName = field(48);
        String procId = field(128);
        String msgId = field(32);
        Map<String, Map<String, String>> sd = structuredData();
        boolean bom = false;
        String msg = "";
        if (pos < bytes.length) {
            expect(' ');
            bom = pos + 3 <= bytes.length && (bytes[pos] & 0xff) == 0xEF && (bytes[pos + 1] & 0xff) == 0xBB
                    && (bytes[pos + 2] & 0xff) == 0xBF;
            int start = bom ? pos + 3 : pos;
            msg = new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
        }
        return new Message(pri, timestamp, hostname, appName, procId, msgId, sd, bom, msg);
    }

    /** A header field: 1..max printable US-ASCII characters, then one space. */
    private String field(int max) {
        int start = pos;
        while (pos < bytes.length && bytes[pos] != ' ') {
            if (bytes[pos] < 33 || bytes[pos] > 126) {
                throw new IllegalArgumentException("non-printable byte in a header field at " + pos);
            }
            pos++;
        }
        if (pos == start || pos - start > max) {
            throw new IllegalArgumentException("header field of length " + (pos - start) + " at " + start);
        }
        String value = new String(bytes, start, pos - start, StandardCharsets.US_ASCII);
        expect(' ');
        return value;
    }

    private Map<String, Map<String, String>> structuredData() {
        Map<String, Map<String, String>> sd = new LinkedHashMap<>();
        if (bytes[pos] == '-') {
            pos++;
            return sd;
        }
        while (pos < bytes.length && bytes[pos] == '[') {
            pos++;
            String id = name();
            Map<String, String> params = new LinkedHashMap<>();
            while (bytes[pos] == ' ') {
                pos++;
                String name = name();
                expect('=');
                expect('"');
                ByteArrayOutputStream value = new ByteArrayOutputStream();
                while (bytes[pos] != '"') {
                    if (bytes[pos] == '\\' && (bytes[pos + 1] == '"' || bytes[pos + 1] == '\\' || bytes[pos + 1] == ']')) {
                        pos++;
                    } else if (bytes[pos] == ']') {
                        throw new IllegalArgumentException("unescaped ] in PARAM-VALUE at " + pos);
                    }
                    value.write(bytes[pos++]);
                }
                expect('"');
                params.put(name, value.toString(StandardCharsets.UTF_8));
            }
            expect(']');
            sd.put(id, params);
        }
        return sd;
    }

    /** SD-NAME: 1..32 printable US-ASCII except {@code = SP ] "}. */
    private String name() {
        int start = pos;
        while (bytes[pos] > 32 && bytes[pos] < 127 && bytes[pos] != '=' && bytes[pos] != ']' && bytes[pos] != '"') {
            pos++;
        }
        if (pos == start || pos - start > 32) {
            throw new IllegalArgumentException("bad SD-NAME at " + start);
        }
        return new String(bytes, start, pos - start, StandardCharsets.US_ASCII);
    }

    private String until(char end) {
        int start = pos;
        while (bytes[pos] != end) {
            pos++;
        }
        return new String(bytes, start, pos - start, StandardCharsets.US_ASCII);
    }

    private void expect(char c) {
        if (pos >= bytes.length || bytes[pos] != c) {
            throw new IllegalArgumentException("expected '" + c + "' at " + pos + " in "
                    + new String(bytes, StandardCharsets.UTF_8));
        }
        pos++;
    }
}
