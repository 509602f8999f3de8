package dev.vigil.fim;

import dev.vigil.os.PathBytes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A list of path globs, as configuration keys take them (excludes, critical paths). A glob with a {@code /}
 * matches the whole absolute path and everything below it ({@code /var/cache/**}, {@code /etc/shadow}); one
 * without matches an entry's name, or the name of any directory above it ({@code *.pyc}).
 *
 * <p>Most configured globs are a literal path, a literal name or {@code *.ext}: those are compared with the raw
 * bytes of the path as they are, as a walk matches every entry it meets; only a glob with wildcards elsewhere is a
 * regular expression, matched on the path made a string (a walk of a million files made as many strings of their
 * paths for the literal globs alone, about 4 % of a walker's time in a quick check).
 */
public final class PathGlobs {

    /** Literal globs with a {@code /}: each matches that path and all below it. */
    private final List<byte[]> literalPaths;
    private final List<Predicate<String>> pathPatterns;
    /** What follows the {@code *} of the name globs {@code *.ext}. */
    private final List<byte[]> nameSuffixes;
    private final List<byte[]> literalNames;
    private final List<Predicate<String>> namePatterns;

    private PathGlobs(List<byte[]> literalPaths, PathGlobs others) {
        this.literalPaths = literalPaths;
        this.pathPatterns = others.pathPatterns;
        this.nameSuffixes = others.nameSuffixes;
        this.literalNames = others.literalNames;
        this.namePatterns = others.namePatterns;
    }

    public PathGlobs(List<String> globs) {
        literalPaths = new ArrayList<>();
        pathPatterns = new ArrayList<>();
        nameSuffixes = new ArrayList<>();
        literalNames = new ArrayList<>();
        namePatterns = new ArrayList<>();
        for (String glob : globs) {
            String g = glob.strip();
            if (g.isEmpty()) {
                continue;
            }
            byte[] raw = g.getBytes(StandardCharsets.UTF_8);
            if (g.indexOf('/') >= 0) {
                if (isLiteral(g)) {
                    literalPaths.add(raw);
                } else {
                    pathPatterns.add(Pattern.compile(Glob.toRegex(g) + "(?:/.*)?", Pattern.DOTALL).asMatchPredicate());
                }
            } else if (g.startsWith("*") && isLiteral(g.substring(1))) {
                nameSuffixes.add(Arrays.copyOfRange(raw, 1, raw.length));
            } else if (isLiteral(g)) {
                literalNames.add(raw);
            } else {
                namePatterns.add(Pattern.compile(Glob.toRegex(g), Pattern.DOTALL).asMatchPredicate());
            }
        }
    }

    private static boolean isLiteral(String glob) {
        return glob.chars().noneMatch(c -> c == '*' || c == '?' || c == '[' || c == '\\');
    }

    /**
     * These globs as they can match the entries of the directory {@code directory} (absolute, raw), picked once for all
     * of them: of the literal paths only those naming one of its entries, or the directory itself or one above it
     * (which match every entry). A walk matches every entry it meets against every literal path otherwise, some twenty
     * with the defaults and Vigil's own files, and nearly all of them name a file elsewhere.
     */
    PathGlobs in(byte[] directory) {
        List<byte[]> here = new ArrayList<>();
        for (byte[] literal : literalPaths) {
            int slash = PathBytes.lastSlash(literal);
            boolean entry = slash == (directory.length == 1 ? 0 : directory.length)
                    && Arrays.equals(literal, 0, Math.max(slash, 1), directory, 0, directory.length);
            if (entry || PathBytes.isUnder(directory, literal)) {
                here.add(literal);
            }
        }
        return new PathGlobs(here, this);
    }

    public boolean matches(byte[] path) {
        return matches(path, true);
    }

    /** With {@code everySegment} false only the last name is tried against name globs (a walk checked the rest). */
    boolean matches(byte[] path, boolean everySegment) {
        for (byte[] literal : literalPaths) {
            if (path.length >= literal.length && Arrays.equals(path, 0, literal.length, literal, 0, literal.length)
                    && (path.length == literal.length || path[literal.length] == '/')) {
                return true;
            }
        }
        if (!pathPatterns.isEmpty()) {
            String p = Glob.bytesAsString(path);
            for (Predicate<String> glob : pathPatterns) {
                if (glob.test(p)) {
                    return true;
                }
            }
        }
        if (nameSuffixes.isEmpty() && literalNames.isEmpty() && namePatterns.isEmpty()) {
            return false;
        }
        int start = everySegment ? 1 : PathBytes.lastSlash(path) + 1;
        while (start < path.length) {
            int end = start;
            while (end < path.length && path[end] != '/') {
                end++;
            }
            if (nameMatches(path, start, end)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    /** Whether the name {@code path[from, to)} matches a name glob. */
    private boolean nameMatches(byte[] path, int from, int to) {
        for (byte[] suffix : nameSuffixes) {
            if (to - from >= suffix.length && Arrays.equals(path, to - suffix.length, to, suffix, 0, suffix.length)) {
                return true;
            }
        }
        for (byte[] name : literalNames) {
            if (Arrays.equals(path, from, to, name, 0, name.length)) {
                return true;
            }
        }
        if (!namePatterns.isEmpty()) {
            String segment = Glob.bytesAsString(Arrays.copyOfRange(path, from, to));
            for (Predicate<String> glob : namePatterns) {
                if (glob.test(segment)) {
                    return true;
                }
            }
        }
        return false;
    }
}
