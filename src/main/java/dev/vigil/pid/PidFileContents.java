package dev.vigil.pid;

import dev.vigil.os.RegularFileChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What a PID file holds: a usable PID, or the reason it holds none (empty, garbage, negative, zero, above
 * {@code pid_max}) with an excerpt of the bytes so a finding can show them. Parsing never throws: a PID
 * file is written by another program, possibly a hostile one, and a bad one is a finding, not a crash.
 *
 * @param pid     the PID on the first line, or 0 when {@code problem} is set
 * @param problem why there is no usable PID, or null
 * @param excerpt the start of the file, control bytes escaped
 */
public record PidFileContents(int pid, String problem, String excerpt) {

    /** {@code PID_MAX_LIMIT} on 64-bit Linux: no configuration allows a larger PID. */
    static final int PID_MAX_LIMIT = 4_194_304;

    /** Enough for any PID file; a larger file is read only this far, so a huge file cannot stall a check. */
    private static final int READ_LIMIT = 4096;
    private static final int EXCERPT_LENGTH = 40;

    public boolean valid() {
        return problem == null;
    }

    /**
     * Reads and parses {@code file}, only as a regular file at that path: never through a symlink, and opened without
     * blocking ({@link RegularFileChannel}). PID files live in directories their service's account may write
     * ({@code /run/postgresql}): a PID file replaced by a link to {@code /etc/shadow} had root read it and put its first
     * bytes in an INVALID finding on every channel, and a FIFO swapped in blocked the PID source in its open for good.
     *
     * @throws java.nio.file.NoSuchFileException when the file does not exist (a MISSING, not an INVALID)
     * @throws IOException                      when it exists but cannot be read, or is a symlink or not a regular file
     */
    static PidFileContents read(Path file, int pidMax) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(READ_LIMIT);
        try (FileChannel channel = RegularFileChannel.open(file).channel()) {
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // until READ_LIMIT bytes or the end
            }
        }
        return parse(Arrays.copyOf(buffer.array(), buffer.position()), pidMax);
    }

    /** Parses the bytes of a PID file: one decimal PID on the first line, surrounding blanks allowed. */
    static PidFileContents parse(byte[] bytes, int pidMax) {
        String excerpt = excerpt(bytes);
        int end = 0;
        while (end < bytes.length && bytes[end] != '\n') {
            end++;
        }
        int from = 0;
        while (from < end && blank(bytes[from])) {
            from++;
        }
        int to = end;
        while (to > from && blank(bytes[to - 1])) {
            to--;
        }
        if (from == to) {
            return invalid(bytes.length == 0 ? "empty" : "no PID on the first line", excerpt);
        }
        boolean negative = bytes[from] == '-';
        int digitsFrom = negative ? from + 1 : from;
        if (digitsFrom == to) {
            return invalid("not a number", excerpt);
        }
        for (int i = digitsFrom; i < to; i++) {
            if (bytes[i] < '0' || bytes[i] > '9') {
                return invalid("not a number", excerpt);
            }
        }
        // Eleven or more digits cannot be a PID and would not fit the arithmetic below.
        if (to - digitsFrom > 10) {
            return invalid(negative ? "negative PID" : "PID too large", excerpt);
        }
        long value = Long.parseLong(new String(bytes, digitsFrom, to - digitsFrom, StandardCharsets.US_ASCII));
        if (negative && value != 0) {
            return invalid("negative PID", excerpt);
        }
        if (value == 0) {
            return invalid("PID 0 is not a process", excerpt);
        }
        if (value > pidMax) {
            return invalid("PID " + value + " above pid_max " + pidMax, excerpt);
        }
        return new PidFileContents((int) value, null, excerpt);
    }

    private static PidFileContents invalid(String problem, String excerpt) {
        return new PidFileContents(0, problem, excerpt);
    }

    private static boolean blank(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\f' || b == 0x0b;
    }

    private static String excerpt(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, EXCERPT_LENGTH); i++) {
            int b = bytes[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\\') {
                out.append((char) b);
            } else if (b == '\n') {
                out.append("\\n");
            } else {
                out.append(String.format("\\x%02x", b));
            }
        }
        if (bytes.length > EXCERPT_LENGTH) {
            out.append("...");
        }
        return out.toString();
    }
}
