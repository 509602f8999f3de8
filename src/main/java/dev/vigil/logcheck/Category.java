package dev.vigil.logcheck;

/** The kinds of rule directory in a logcheck tree. */
public enum Category {
    CRACKING("cracking.d"),
    CRACKING_IGNORE("cracking.ignore.d"),
    VIOLATIONS("violations.d"),
    VIOLATIONS_IGNORE("violations.ignore.d"),
    /** The {@code ignore.d.*} directories of the level, pooled as logcheck pools them. */
    IGNORE("ignore.d.*");

    private final String directory;

    Category(String directory) {
        this.directory = directory;
    }

    public String directory() {
        return directory;
    }

    /**
     * Whether its rules raise the lines they match ({@code cracking.d}, {@code violations.d}). A rule that cannot
     * decide a line (too slow, too deep: {@link RuleMatcher}) counts as matching it if it raises, so a line made to
     * defeat it is reported the louder, and as not matching if it ignores.
     */
    public boolean raises() {
        return this == CRACKING || this == VIOLATIONS;
    }

    /** The directories of a tree this category is read from at {@code level}. */
    public java.util.List<String> directories(Level level) {
        return this == IGNORE ? level.ignoreDirectories() : java.util.List.of(directory);
    }
}
