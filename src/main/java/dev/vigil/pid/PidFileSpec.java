package dev.vigil.pid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Collection;
import java.util.stream.Stream;

/**
 * One entry of {@code vigil.pids.files}: a PID file, a directory (every {@code *.pid} directly inside it
 * or one directory down, which covers both {@code /run/sshd.pid} and {@code /run/nginx/nginx.pid}) or a
 * glob ({@code /run/*}{@code /*.pid}, {@code **} for any depth).
 *
 * <p>A named file that does not exist is MISSING from the first check; a file found through a directory or
 * glob is MISSING only once it has been seen and is gone.
 */
public record PidFileSpec(String text, Path path, PathMatcher glob, int globDepth) {

    /** How deep a directory entry is searched: the directory itself and one level of subdirectories. */
    private static final int DIRECTORY_DEPTH = 2;
    private static final String PID_SUFFIX = ".pid";

    /** Parses one entry; relative paths are taken from the working directory. */
    public static PidFileSpec parse(String text) {
        String spec = text.strip();
        int globAt = firstGlobChar(spec);
        if (globAt < 0) {
            return new PidFileSpec(spec, Path.of(spec).toAbsolutePath().normalize(), null, 0);
        }
        Path pattern = Path.of(spec).toAbsolutePath().normalize();
        String patternText = pattern.toString();
        int slash = patternText.lastIndexOf('/', firstGlobChar(patternText));
        Path base = Path.of(slash <= 0 ? "/" : patternText.substring(0, slash));
        int depth = patternText.contains("**") ? Integer.MAX_VALUE : pattern.getNameCount() - base.getNameCount();
        return new PidFileSpec(spec, base, FileSystems.getDefault().getPathMatcher("glob:" + patternText), depth);
    }

    /** A named PID file (not a directory or glob): its absence is a finding even if it was never seen. */
    public boolean explicit() {
        return glob == null && !Files.isDirectory(path);
    }

    /** Adds the PID files this entry names now to {@code into}. */
    public void collect(Collection<Path> into) {
        if (glob == null && !Files.isDirectory(path)) {
            into.add(path);
            return;
        }
        int depth = glob == null ? DIRECTORY_DEPTH : globDepth;
        try {
            // Walk the real directory: a walk does not enter a start path that is a symbolic link, and
            // /var/run is one (to /run). Files keep the configured spelling.
            Path real = path.toRealPath();
            try (Stream<Path> found = Files.find(real, depth,
                    (p, attributes) -> attributes.isRegularFile() && covers(path.resolve(real.relativize(p))))) {
                found.forEach(p -> into.add(path.resolve(real.relativize(p))));
            }
        } catch (NoSuchFileException e) {
            // A directory or glob base that does not exist names no PID file yet.
        } catch (IOException | UncheckedIOException e) {
            // An unreadable subdirectory hides its files; those already known are then reported MISSING.
        }
    }

    /** Whether {@code file} is one this entry names: a remembered file outside every entry is forgotten. */
    public boolean covers(Path file) {
        if (glob != null) {
            return file.startsWith(path) && glob.matches(file);
        }
        if (file.equals(path)) {
            return true;
        }
        return file.startsWith(path) && file.getNameCount() - path.getNameCount() <= DIRECTORY_DEPTH
                && file.getFileName().toString().endsWith(PID_SUFFIX);
    }

    private static int firstGlobChar(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{') {
                return i;
            }
        }
        return -1;
    }
}
