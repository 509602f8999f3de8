package dev.vigil.logcheck;

import java.util.List;
import java.util.Locale;

/** A logcheck report level; each level also reads the ignore rules of the levels below it. */
public enum Level {
    PARANOID, SERVER, WORKSTATION;

    /** The {@code ignore.d.*} directories this level reads, in logcheck's order. */
    public List<String> ignoreDirectories() {
        return switch (this) {
            case PARANOID -> List.of("ignore.d.paranoid");
            case SERVER -> List.of("ignore.d.server", "ignore.d.paranoid");
            case WORKSTATION -> List.of("ignore.d.workstation", "ignore.d.server", "ignore.d.paranoid");
        };
    }

    public static Level parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
