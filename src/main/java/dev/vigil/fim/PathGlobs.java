package dev.vigil.fim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A list of path globs, as configuration keys take them (excludes, critical paths). A glob with a {@code /}
 * matches the whole absolute path and everything below it ({@code /var/cache/**}, {@code /etc/shadow}); one
 * without matches an entry's name, or the name of any directory above it ({@code *.pyc}).
 */
public final class PathGlobs {

    private final List<Predicate<String>> pathGlobs = new ArrayList<>();
    private final List<Predicate<String>> nameGlobs = new ArrayList<>();

    public PathGlobs(List<String> globs) {
        for (String glob : globs) {
            String g = glob.strip();
            if (g.isEmpty()) {
                continue;
            }
            String latin1 = Glob.bytesAsString(g.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (g.indexOf('/') >= 0) {
                pathGlobs.add(isLiteral(latin1)
                        ? p -> p.startsWith(latin1) && (p.length() == latin1.length() || p.charAt(latin1.length()) == '/')
                        : Pattern.compile(Glob.toRegex(g) + "(?:/.*)?", Pattern.DOTALL).asMatchPredicate());
            } else if (g.startsWith("*") && isLiteral(latin1.substring(1))) {
                String suffix = latin1.substring(1);
                nameGlobs.add(name -> name.endsWith(suffix));
            } else {
                nameGlobs.add(isLiteral(latin1) ? latin1::equals : Pattern.compile(Glob.toRegex(g), Pattern.DOTALL).asMatchPredicate());
            }
        }
    }

    /** Most configured globs are a literal path or {@code *.ext}; those are matched without a regex, as scans call this per entry. */
    private static boolean isLiteral(String glob) {
        return glob.chars().noneMatch(c -> c == '*' || c == '?' || c == '[' || c == '\\');
    }

    public boolean matches(byte[] path) {
        return matches(path, true);
    }

    /** With {@code everySegment} false only the last name is tried against name globs (a walk checked the rest). */
    boolean matches(byte[] path, boolean everySegment) {
        String p = Glob.bytesAsString(path);
        for (Predicate<String> glob : pathGlobs) {
            if (glob.test(p)) {
                return true;
            }
        }
        if (!nameGlobs.isEmpty()) {
            int start = everySegment ? 1 : p.lastIndexOf('/') + 1;
            while (start < p.length()) {
                int end = p.indexOf('/', start);
                String segment = p.substring(start, end < 0 ? p.length() : end);
                for (Predicate<String> glob : nameGlobs) {
                    if (glob.test(segment)) {
                        return true;
                    }
                }
                start = end < 0 ? p.length() : end + 1;
            }
        }
        return false;
    }
}
