package dev.vigil.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** One {@code vigil} command run in this JVM as a script sees it: exit status, standard output and error. */
public record CommandRun(int status, String out, String err) {

    public static CommandRun vigil(String... args) {
        return vigil(StandardCharsets.UTF_8, args);
    }

    /** With the output read in {@code charset} (ISO-8859-1 gives back a log's bytes as they were). */
    static CommandRun vigil(Charset charset, String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, charset));
            System.setErr(new PrintStream(err, true, charset));
            var cl = VigilCommand.commandLine(args);
            cl.setErr(new PrintWriter(System.err, true));
            int status = cl.execute(args);
            return new CommandRun(status, out.toString(charset), err.toString(charset));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    /** For assertion messages. */
    @Override
    public String toString() {
        return "exit " + status + "\n--- out:\n" + out + "--- err:\n" + err;
    }
}
