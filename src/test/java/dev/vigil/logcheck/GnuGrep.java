package dev.vigil.logcheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Runs the real GNU grep ({@code grep -E}) as the reference the translator is compared with. */
final class GnuGrep {

    private GnuGrep() {
    }

    static boolean available() {
        try {
            Process p = new ProcessBuilder("grep", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return p.waitFor() == 0 && out.contains("GNU grep");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The result of one grep run: exit status 2 means grep refused the pattern. */
    record Result(int exit, TreeSet<Integer> lines, String stderr) {
        boolean error() {
            return exit == 2;
        }
    }

    /**
     * Which lines (0-based) of {@code corpus} match {@code pattern} (bytes, one char each), per grep run with
     * {@code LC_ALL=locale}; files live in {@code dir}.
     */
    static Result matchingLines(Path dir, String pattern, Path corpus, String locale) {
        try {
            Path patternFile = Files.createTempFile(dir, "pattern", ".txt");
            Files.write(patternFile, (pattern + "\n").getBytes(StandardCharsets.ISO_8859_1));
            ProcessBuilder pb = new ProcessBuilder("grep", "-E", "--text", "-n", "-f", patternFile.toString(),
                    corpus.toString());
            pb.environment().put("LC_ALL", locale);
            Path err = Files.createTempFile(dir, "stderr", ".txt");
            pb.redirectError(err.toFile());
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            int exit = p.waitFor();
            TreeSet<Integer> lines = new TreeSet<>();
            for (String row : new String(out, StandardCharsets.ISO_8859_1).split("\n")) {
                int colon = row.indexOf(':');
                if (colon > 0) {
                    lines.add(Integer.parseInt(row.substring(0, colon)) - 1);
                }
            }
            String stderr = Files.readString(err, StandardCharsets.ISO_8859_1);
            Files.delete(patternFile);
            Files.delete(err);
            return new Result(exit, lines, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Writes lines as ISO-8859-1 bytes, one per line, so that each char is one byte for grep. */
    static Path writeLines(Path file, List<String> lines) throws IOException {
        List<String> copy = new ArrayList<>(lines);
        Files.write(file, (String.join("\n", copy) + "\n").getBytes(StandardCharsets.ISO_8859_1));
        return file;
    }
}
