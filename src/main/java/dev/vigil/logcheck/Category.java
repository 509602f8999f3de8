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

    /** The directories of a tree this category is read from at {@code level}. */
    public java.util.List<String> directories(Level level) {
        return this == IGNORE ? level.ignoreDirectories() : java.util.List.of(directory);
    }
}
