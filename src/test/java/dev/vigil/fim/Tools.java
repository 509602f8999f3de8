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

    /**
     * Writes {@code content} to {@code file} and moves its times a minute on, as a rewrite a while later does
     * (two writes in a row may fall in the same tick of the file system's clock).
     */
    public static void rewriteLater(Path file, String content) throws IOException {
        java.nio.file.attribute.FileTime before = java.nio.file.Files.getLastModifiedTime(file);
        java.nio.file.Files.writeString(file, content);
        java.nio.file.Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(before.toMillis() + 60_000));
    }

    /** Runs a command that must succeed. */
    public static String sh(String... command) throws IOException, InterruptedException {
        Result r = run(null, List.of(command));
        if (r.exit() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + r.exit() + "): " + r.err());
        }
        return r.out();
    }

    /**
     * Creates {@code count} files under {@code tree} whose absolute paths are longer than PATH_MAX (4096 bytes):
     * stat(2) refuses them for root too, so they are entries a scan cannot read whoever runs it. Made with the
     * shell, one directory at a time, as Java cannot name such paths; remove them with {@link #removeTree}.
     */
    public static void entriesBeyondPathMax(Path tree, int count) throws IOException, InterruptedException {
        StringBuilder script = new StringBuilder("cd \"$1\"");
        // the deepest directory's path is 3,900 bytes, below PATH_MAX; a 250-byte name inside it goes beyond
        for (int length = tree.toString().length(); length < 3900; ) {
            String component = "d".repeat(Math.min(250, 3900 - length - 1));
            script.append(" && mkdir ").append(component).append(" && cd ").append(component);
            length += 1 + component.length();
        }
        for (int i = 0; i < count; i++) {
            script.append(" && touch ").append(String.valueOf(i).repeat(250));
        }
        sh("sh", "-c", script.toString(), "sh", tree.toString());
    }

    /** Removes a tree JUnit's clean-up cannot (one with paths beyond PATH_MAX). */
    public static void removeTree(Path tree) throws IOException, InterruptedException {
        sh("rm", "-rf", tree.toString());
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
