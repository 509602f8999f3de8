package dev.vigil.fim;

import dev.vigil.os.PathBytes;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * What a scan leaves out: configured glob patterns, and the rules of every {@code .vigilignore} file
 * found on the way (gitignore syntax, as Argus reads {@code .gitignore}).
 *
 * <p>Configured globs are {@link PathGlobs}. Excluded directories are not descended.
 * The same object filters the baseline side of a comparison, so an entry excluded since it was accepted is
 * not reported as deleted.
 *
 * <p>The gitignore matcher is hand-written: the one well-kept Java implementation (JGit's) would bring
 * all of JGit for forty lines of glob rules.
 *
 * <p>Ignore files are remembered by their directory as a Latin-1 string ({@link Glob#bytesAsString}), not as
 * an {@link dev.vigil.os.ByteKey} like other path keys: every entry of a walk is matched as that string against
 * the rules' regular expressions, and its parent directories, the keys looked up, are its prefixes, which a
 * byte key would copy again from the bytes for each one.
 */
public final class Excludes {

    /** The per-directory ignore file honoured where found. */
    public static final String IGNORE_FILE = ".vigilignore";

    /** {@link #IGNORE_FILE} as the raw bytes of a name. */
    static final byte[] IGNORE_FILE_NAME = IGNORE_FILE.getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final PathGlobs globs;
    private final Map<String, List<IgnoreRule>> ignoreFiles = new ConcurrentHashMap<>();
    /** Directory to why its ignore file is not applied. */
    private final Map<String, String> refused = new ConcurrentHashMap<>();

    public Excludes(List<String> globs) {
        this.globs = new PathGlobs(globs);
    }

    public static Excludes none() {
        return new Excludes(List.of());
    }

    /** These globs, and these exact paths (their glob characters escaped), each left out with all below it. */
    public static Excludes of(List<String> globs, java.util.Collection<Path> paths) {
        List<String> all = new ArrayList<>(globs);
        for (Path path : paths) {
            all.add(path.toString().replaceAll("([*?\\[\\]{}\\\\])", "\\\\$1"));
        }
        return new Excludes(all);
    }

    /**
     * Takes in the rules of {@code dir}'s ignore file as it is now, replacing what was known of it: a removed or
     * emptied file stops excluding anything, and so does one Vigil does not trust ({@link IgnoreFile}), which is
     * remembered as refused instead. Called by every walk of a directory and by the live watch when the file
     * itself changes, so an ignore file never outlives its content.
     *
     * @throws IOException when the file exists but cannot be read; its earlier rules are then forgotten too
     */
    public void loadIgnoreFile(byte[] dir) throws IOException {
        String key = Glob.bytesAsString(dir);
        List<IgnoreRule> rules = new ArrayList<>();
        String refusal = null;
        try {
            IgnoreFile file = IgnoreFile.read(dir);
            if (file != null) {
                refusal = file.refusal();
                for (String line : file.lines()) {
                    IgnoreRule rule = IgnoreRule.parse(line);
                    if (rule != null) {
                        rules.add(rule);
                    }
                }
            }
        } finally {
            if (rules.isEmpty()) {
                ignoreFiles.remove(key);
            } else {
                ignoreFiles.put(key, rules);
            }
            if (refusal == null) {
                refused.remove(key);
            } else {
                refused.put(key, refusal);
            }
        }
    }

    /** Forgets the rules of {@code dir}'s ignore file: the directory has none (any more). */
    public void forgetIgnoreFile(byte[] dir) {
        String key = Glob.bytesAsString(dir);
        ignoreFiles.remove(key);
        refused.remove(key);
    }

    /**
     * Why the entry at {@code path}, an ignore file as last read by a walk or the watch, is not applied (not
     * trusted, or too large); null if it is applied or is not an ignore file.
     */
    public String refusal(byte[] path) {
        return refused.isEmpty() || !isIgnoreFile(path) ? null
                : refused.get(Glob.bytesAsString(Arrays.copyOf(path, Math.max(1, PathBytes.lastSlash(path)))));
    }

    static boolean isIgnoreFile(byte[] path) {
        int start = path.length - IGNORE_FILE_NAME.length;
        return start > 0 && path[start - 1] == '/'
                && Arrays.equals(path, start, path.length, IGNORE_FILE_NAME, 0, IGNORE_FILE_NAME.length);
    }

    /** Whether an entry anywhere is excluded, by its own name or by any directory above it. */
    public boolean excluded(byte[] path, boolean directory) {
        return matches(path, directory, true);
    }

    /**
     * Whether an entry met during a walk is excluded. Its parent directories were already found not to be
     * (the walk does not descend into excluded ones), so only its own name is matched against name globs.
     */
    public boolean excludedInWalk(byte[] path, boolean directory) {
        return matches(path, directory, false);
    }

    /** {@link #excludedInWalk} for the entries of one directory, {@code directory}, the globs picked once for all of them. */
    InDirectory inDirectory(byte[] directory) {
        return new InDirectory(globs.in(directory));
    }

    /** See {@link #inDirectory}. */
    final class InDirectory {
        private final PathGlobs here;

        private InDirectory(PathGlobs here) {
            this.here = here;
        }

        /** Whether an entry of the directory, met during a walk, is excluded (see {@link #excludedInWalk}). */
        boolean excluded(byte[] path, boolean directory) {
            return here.matches(path, false) || ignored(path, directory);
        }
    }

    /** An ignore file is never excluded by ignore files, its own rules included: its changes are always seen. */
    private boolean matches(byte[] path, boolean directory, boolean everySegment) {
        return globs.matches(path, everySegment) || ignored(path, directory);
    }

    /** Whether an ignore file excludes the entry (never one itself). */
    private boolean ignored(byte[] path, boolean directory) {
        return !ignoreFiles.isEmpty() && !isIgnoreFile(path) && ignoredByFiles(Glob.bytesAsString(path), directory);
    }

    /** gitignore precedence: files nearer the entry decide later, and within a file the last match wins. */
    private boolean ignoredByFiles(String path, boolean directory) {
        boolean ignored = false;
        int slash = 0;
        while (slash >= 0) {
            String dir = slash == 0 ? "/" : path.substring(0, slash);
            List<IgnoreRule> rules = ignoreFiles.get(dir);
            if (rules != null) {
                String relative = path.substring(slash + 1);
                for (IgnoreRule rule : rules) {
                    if (rule.matches(relative, directory)) {
                        ignored = !rule.negated();
                    }
                }
            }
            slash = path.indexOf('/', slash + 1);
        }
        return ignored;
    }

    private record IgnoreRule(Pattern pattern, Pattern below, boolean negated, boolean directoryOnly) {

        static IgnoreRule parse(String line) {
            String l = line;
            while (l.endsWith(" ") && !l.endsWith("\\ ")) {
                l = l.substring(0, l.length() - 1);
            }
            if (l.isEmpty() || l.startsWith("#")) {
                return null;
            }
            boolean negated = l.startsWith("!");
            if (negated || l.startsWith("\\!") || l.startsWith("\\#")) {
                l = l.substring(1);
            }
            boolean directoryOnly = l.endsWith("/");
            if (directoryOnly) {
                l = l.substring(0, l.length() - 1);
            }
            boolean anchored = l.indexOf('/') >= 0;
            if (l.startsWith("/")) {
                l = l.substring(1);
            }
            String re = (anchored ? "" : "(?:.*/)?") + Glob.toRegex(l);
            return new IgnoreRule(Pattern.compile(re, Pattern.DOTALL), Pattern.compile(re + "/.*", Pattern.DOTALL),
                    negated, directoryOnly);
        }

        boolean matches(String relative, boolean directory) {
            return (pattern.matcher(relative).matches() && (directory || !directoryOnly))
                    || below.matcher(relative).matches();
        }
    }
}
