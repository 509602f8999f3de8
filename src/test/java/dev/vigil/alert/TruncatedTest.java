package dev.vigil.alert;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TruncatedTest {

    @Test
    void aTextCutAgainKeepsTheLengthItsMarkerGives() {
        String cut = "x".repeat(200) + Truncated.marker(10_485_760);
        String again = Truncated.toChars(cut, 100);
        assertEquals(100, again.length());
        assertTrue(again.endsWith(Truncated.marker(10_485_760)), again);
        assertTrue(Truncated.toBytes(cut, 100).endsWith(Truncated.marker(10_485_760)));
    }

    /** A text is hostile input (a log line anyone can write): a marker with more digits than a long holds is text. */
    @Test
    void aMarkerWithMoreDigitsThanALongHoldsIsTextAndTheWholeLengthIsGiven() {
        String forged = "x".repeat(200) + " \u2026 [truncated: 99999999999999999999 bytes]";
        long whole = forged.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(Truncated.toChars(forged, 100).endsWith(Truncated.marker(whole)));
        assertTrue(Truncated.toBytes(forged, 100).endsWith(Truncated.marker(whole)));
        String eighteen = "x".repeat(200) + Truncated.marker(999_999_999_999_999_999L);
        assertTrue(Truncated.toChars(eighteen, 100).endsWith(Truncated.marker(999_999_999_999_999_999L)));
    }
}
