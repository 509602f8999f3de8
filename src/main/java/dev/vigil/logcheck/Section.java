package dev.vigil.logcheck;

import java.util.Locale;

/** Where logcheck puts a line: one of its three report sections, or nowhere. */
public enum Section {
    ALERT("Security Alerts"),
    EVENT("Security Events"),
    SYSTEM("System Events"),
    IGNORED(null);

    private final String heading;

    Section(String heading) {
        this.heading = heading;
    }

    /** logcheck's heading for the section, {@code null} for ignored lines. */
    public String heading() {
        return heading;
    }

    /** The lower-case name used in TSV output. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
