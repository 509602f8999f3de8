package dev.vigil.logcheck;

import java.nio.file.Path;

/**
 * One pattern line of a rule file.
 *
 * @param category the kind of directory the file is in
 * @param name     the file name, which names the report subsection
 * @param path     the file it was read from
 * @param line     its 1-based line number there
 * @param pattern  the GNU extended regular expression, untrimmed
 */
public record Rule(Category category, String name, Path path, int line, String pattern) {

    /** {@code path:line}, the way a warning or {@code --explain} names the rule. */
    public String location() {
        return path + ":" + line;
    }
}
