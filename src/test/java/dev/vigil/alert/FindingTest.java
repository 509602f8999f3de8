package dev.vigil.alert;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a finding stands for when counted: a fleet host's UNLISTED finding arrives as JSON and its count is the
 * host's to write, so renderers and {@code vigil hosts} take it only as a number from 1 to 2^31-1.
 */
class FindingTest {

    @Test
    void anUnlistedFindingStandsForItsCountBoundedAndAnyOtherForOne() {
        assertEquals(1, read("MODIFIED", "7").standsFor());
        assertEquals(7, read("UNLISTED", "7").standsFor());
        assertEquals(Integer.MAX_VALUE, read("UNLISTED", "9223372036854775807").standsFor());
        assertEquals(1, read("UNLISTED", "-5").standsFor());
        assertEquals(1, read("UNLISTED", "\"lots\"").standsFor());
    }

    /** A files finding of {@code kind} as a host's JSON has it, with details {@code {"count": count}}. */
    private static Finding read(String kind, String count) {
        return Json.read("{\"source\":\"files\",\"kind\":\"" + kind + "\",\"subject\":\"s\",\"host\":\"web1\","
                + "\"time\":\"2026-12-05T10:00:00Z\",\"severity\":\"WARNING\",\"details\":{\"count\":" + count + "}}",
                Finding.class);
    }
}
