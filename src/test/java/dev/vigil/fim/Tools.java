package dev.vigil.fim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs real command-line tools for tests and returns their output. */
public final class Tools {

    private Tools() {
    }

    public record Result(int exit, String out, String err) {
    }

    public static Result run(Path dir, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir == null ? null : dir.toFile()).start();
        p.getOutputStream().close();
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    /** Runs a command that must succeed. */
    public static String sh(String... command) throws IOException, InterruptedException {
        Result r = run(null, List.of(command));
        if (r.exit() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + r.exit() + "): " + r.err());
        }
        return r.out();
    }

    public static boolean installed(String tool) {
        try {
            return run(null, List.of("sh", "-c", "command -v " + tool)).exit() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    public static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }
}
