package dev.vigil.logcheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs Debian's real {@code /usr/sbin/logcheck} as the {@code logcheck} user (it refuses root) on a rule
 * tree and one log file, in test mode ({@code -o -t}) and a given locale, and reads its report back.
 */
final class RealLogcheck {

    static final Path SCRIPT = Path.of("/usr/sbin/logcheck");

    private RealLogcheck() {
    }

    /** Why the real logcheck cannot run here, or null when it can. */
    static String unavailable() {
        if (!Files.isExecutable(SCRIPT)) {
            return "Debian's logcheck is not installed (apt-get install logcheck)";
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "running logcheck as the logcheck user needs root (su)";
        }
        return null;
    }

    /**
     * The report {@code logcheck -o -t} prints when run with {@code LC_ALL=locale}. Everything under {@code work} (a fresh directory) is made
     * readable for the logcheck user; a rule tree elsewhere must be readable already.
     */
    static String report(Path work, Path rules, List<String> log, Level level, boolean crackingIgnore,
                         boolean sortUnique, String locale) {
        try {
            Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path logFile = work.resolve("input.log");
            Files.write(logFile, join(log));
            Path conf = work.resolve("logcheck.conf");
            Files.writeString(conf, "SUPPORT_CRACKING_IGNORE=" + (crackingIgnore ? 1 : 0) + "\nSORTUNIQ="
                    + (sortUnique ? 1 : 0) + "\n");
            Path state = Files.createDirectories(work.resolve("state"));
            openUp(work);
            String flag = switch (level) {
                case PARANOID -> "-p";
                case SERVER -> "-s";
                case WORKSTATION -> "-w";
            };
            String cmd = "LC_ALL=" + locale + " exec " + SCRIPT + " -o -t " + flag + " -c " + q(conf) + " -r " + q(rules)
                    + " -l " + q(logFile) + " -S " + q(state);
            ProcessBuilder pb = new ProcessBuilder("su", "-s", "/bin/bash", "-c", cmd, "logcheck");
            Path err = work.resolve("stderr");
            pb.redirectError(err.toFile());
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            int exit = p.waitFor();
            if (exit != 0) {
                throw new IllegalStateException("logcheck exited " + exit + ": " + new String(out,
                        StandardCharsets.ISO_8859_1) + Files.readString(err));
            }
            return new String(out, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static byte[] join(List<String> lines) {
        StringBuilder b = new StringBuilder();
        lines.forEach(l -> b.append(l).append('\n'));
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Reads a report back into non-empty line to "section<TAB>subsections", as the TSV output writes them
     * (an empty log line cannot be told from the blank line ending a block).
     */
    static Map<String, String> parse(String report) {
        String[] rows = report.split("\n", -1);
        Map<String, List<String>> subsections = new HashMap<>();
        Map<String, String> section = new HashMap<>();
        String current = null;
        String sub = null;
        for (int i = 0; i < rows.length; i++) {
            String row = rows[i];
            if (i + 1 < rows.length && isUnderline(rows[i + 1], row.length()) && row.matches(
                    "(Security Alerts|Security Events)( for [A-Za-z0-9_-]+)?|System Events")) {
                current = row.startsWith("Security Alerts") ? "alert" : row.startsWith("Security Events")
                        ? "event" : "system";
                sub = row.contains(" for ") ? row.substring(row.indexOf(" for ") + 5) : "logcheck";
                i++;
                continue;
            }
            if (current == null || row.isEmpty()) {
                continue;
            }
            section.put(row, current);
            if (!current.equals("system")) {
                List<String> subs = subsections.computeIfAbsent(row, k -> new ArrayList<>());
                if (!subs.contains(sub)) {
                    subs.add(sub);
                }
            }
        }
        Map<String, String> out = new HashMap<>();
        section.forEach((line, s) -> out.put(line, s + "\t"
                + (s.equals("system") ? "-" : String.join(",", subsections.get(line)))));
        return out;
    }

    private static boolean isUnderline(String row, int length) {
        return length > 0 && row.length() == length && row.matches("(=-)*=?");
    }

    /** Makes a test's directory and everything in it readable for the logcheck user. */
    static void openUp(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                        Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    private static String q(Path p) {
        return "'" + p.toString().replace("'", "'\\''") + "'";
    }
}
