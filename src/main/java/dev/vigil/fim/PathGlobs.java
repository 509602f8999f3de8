package dev.vigil.fim;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A list of path globs, as configuration keys take them (excludes, critical paths). A glob with a {@code /}
 * matches the whole absolute path and everything below it ({@code /var/cache/**}, {@code /etc/shadow}); one
 * without matches an entry's name, or the name of any directory above it ({@code *.pyc}).
 */
public final class PathGlobs {

    private final List<Pattern> pathGlobs = new ArrayList<>();
    private final List<Pattern> nameGlobs = new ArrayList<>();

    public PathGlobs(List<String> globs) {
        for (String glob : globs) {
            String g = glob.strip();
            if (g.isEmpty()) {
                continue;
            }
            if (g.indexOf('/') >= 0) {
                pathGlobs.add(Pattern.compile(Glob.toRegex(g) + "(?:/.*)?", Pattern.DOTALL));
            } else {
                nameGlobs.add(Pattern.compile(Glob.toRegex(g), Pattern.DOTALL));
            }
        }
    }

    public boolean matches(byte[] path) {
        return matches(path, true);
    }

    /** With {@code everySegment} false only the last name is tried against name globs (a walk checked the rest). */
    boolean matches(byte[] path, boolean everySegment) {
        String p = Glob.bytesAsString(path);
        for (Pattern glob : pathGlobs) {
            if (glob.matcher(p).matches()) {
                return true;
            }
        }
        if (!nameGlobs.isEmpty()) {
            int start = everySegment ? 1 : p.lastIndexOf('/') + 1;
            while (start < p.length()) {
                int end = p.indexOf('/', start);
                String segment = p.substring(start, end < 0 ? p.length() : end);
                for (Pattern glob : nameGlobs) {
                    if (glob.matcher(segment).matches()) {
                        return true;
                    }
                }
                start = end < 0 ? p.length() : end + 1;
            }
        }
        return false;
    }
}
