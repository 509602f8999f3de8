package dev.vigil;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What this JVM writes to standard error while a test's action runs (slf4j-simple writes to System.err as it is then). */
public final class Stderr {

    /** An action that may throw what a test throws. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    private Stderr() {
    }

    /** The text written to System.err while {@code action} ran; System.err is put back however it ends. */
    public static String during(Action action) throws Exception {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(saved);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
