package dev.vigil.os;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ByteKeyTest {

    @Test
    void keysAreEqualByTheirBytesAndShowEscaped() {
        Map<ByteKey, String> seen = new HashMap<>();
        seen.put(ByteKey.of(new byte[] {'/', 'a', (byte) 0xFF}), "first");

        assertEquals("first", seen.get(ByteKey.of(new byte[] {'/', 'a', (byte) 0xFF})));
        assertNotEquals(ByteKey.of("/a".getBytes(StandardCharsets.US_ASCII)),
                ByteKey.of("/a/".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("/a%FF", seen.keySet().iterator().next().toString());
    }

    @Test
    void aKeyCopiedFromABufferStaysWhenTheBufferIsReused() {
        byte[] buffer = "..handle..".getBytes(StandardCharsets.US_ASCII);
        ByteKey key = ByteKey.copyOf(buffer, 2, 6);
        buffer[3] = 'X';

        assertEquals(ByteKey.of("handle".getBytes(StandardCharsets.US_ASCII)), key);
    }
}
