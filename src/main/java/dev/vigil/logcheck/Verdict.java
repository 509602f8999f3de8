package dev.vigil.logcheck;

import java.util.List;

/**
 * How one line was classified.
 *
 * @param line        the line as matched and reported (trailing white space stripped)
 * @param section     its section
 * @param subsections for alerts and events, the rule-file names whose subsection shows the line, in glob
 *                    order ({@code logcheck} is the generic subsection); empty for system and ignored lines
 */
public record Verdict(String line, Section section, List<String> subsections) {

    public Verdict {
        subsections = List.copyOf(subsections);
    }
}
