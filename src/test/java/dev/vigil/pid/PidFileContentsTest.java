package dev.vigil.pid;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class PidFileContentsTest {

    private static PidFileContents parse(String text) {
        return PidFileContents.parse(text.replace("\\n", "\n").getBytes(StandardCharsets.UTF_8), 32768);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1234\\n|1234",
            "  1234  \\n|1234",
            "1234|1234",
            "1234\\nsecond line ignored\\n|1234",
            "32768\\n|32768"})
    void firstLineWithOneDecimalPidIsValid(String text, int pid) {
        PidFileContents c = parse(text);
        assertNull(c.problem());
        assertEquals(pid, c.pid());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|empty",
            "'   \\n'|no PID on the first line",
            "'\\n1234\\n'|no PID on the first line",
            "abc\\n|not a number",
            "12 34\\n|not a number",
            "0x1f\\n|not a number",
            "+12\\n|not a number",
            "-\\n|not a number",
            "-12\\n|negative PID",
            "0\\n|PID 0 is not a process",
            "32769\\n|PID 32769 above pid_max 32768",
            "4294967296\\n|PID 4294967296 above pid_max 32768",
            "123456789012345678901234567890\\n|PID too large"})
    void badContentsSayWhy(String text, String problem) {
        PidFileContents c = parse(text);
        assertEquals(problem, c.problem());
        assertEquals(0, c.pid());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'ab\\ncd'|ab\\ncd",
            "'a\\\\b'|a\\x5cb"})
    void excerptEscapesControlBytes(String text, String excerpt) {
        assertEquals(excerpt, parse(text.replace("\\\\", "\\")).excerpt());
    }

    @org.junit.jupiter.api.Test
    void excerptOfALongFileIsCut() {
        PidFileContents c = parse("x".repeat(100));
        assertEquals("x".repeat(40) + "...", c.excerpt());
    }
}
