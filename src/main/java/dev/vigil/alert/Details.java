package dev.vigil.alert;

import java.util.Map;

/**
 * The {@link Finding#details()} keys the renderers understand; producers use these names so every channel
 * can show their findings properly. Any other key is shown as a plain {@code key: value} line.
 *
 * <ul>
 *   <li>{@value #BEFORE} / {@value #AFTER}: for file findings, a map from attribute name ({@code mode},
 *       {@code uid}, {@code size}, {@code mtime}, {@code sha256}, ...) to its printed value. MODIFIED and
 *       ATTRIBUTES carry both and renderers show the attributes that differ as {@code before -> after};
 *       ADDED carries only {@code after}, DELETED only {@code before}.</li>
 *   <li>{@value #SECTION}: for log findings, logcheck's heading: {@value #SECURITY_ALERTS},
 *       {@value #SECURITY_EVENTS} or {@value #SYSTEM_EVENTS}. If absent it follows from the kind
 *       (SECURITY_ALERT, SECURITY_EVENT, SYSTEM_EVENT).</li>
 *   <li>{@value #RULEFILE}: for log findings, the base name of the rule file that selected the line
 *       ({@code sshd}, not {@code cracking.d/sshd}); logcheck prints it as "Security Alerts for sshd", and
 *       omits it when the rule file is called {@code logcheck}. System events have none.</li>
 *   <li>{@value #LOGFILE}: for log findings, the log file the line was read from.</li>
 *   <li>{@value #TRUNCATED}: for a log line longer than {@code vigil.logs.maxLine}, its whole length in bytes;
 *       the subject is then its start followed by a {@link Truncated#marker} and the rest was not read.</li>
 *   <li>{@value #SEAL} and {@value #SEAL_ROWS}: for ACCEPTED, the seal of the baseline after the accept, which
 *       it announces (a collector takes a seal that changes without an announcement for tampering); for
 *       BASELINE_TAMPERED, the seal of the rows found. {@value #SEAL_KEPT}: for BASELINE_TAMPERED, the seal
 *       Vigil's own writes had kept.</li>
 *   <li>{@value #OPERATION}, {@value #PATHS}, {@value #PATH_COUNT}: for ACCEPTED, what changed the baseline
 *       ({@code accept}, {@code baseline}, {@code forget}), the first paths it covered and how many there were.</li>
 * </ul>
 */
public final class Details {

    public static final String BEFORE = "before";
    public static final String AFTER = "after";
    public static final String SECTION = "section";
    public static final String RULEFILE = "rulefile";
    public static final String LOGFILE = "logfile";
    public static final String TRUNCATED = "truncated";
    public static final String SEAL = "seal";
    public static final String SEAL_ROWS = "sealRows";
    public static final String SEAL_KEPT = "sealKept";
    public static final String OPERATION = "operation";
    public static final String PATHS = "paths";
    public static final String PATH_COUNT = "pathCount";

    public static final String SECURITY_ALERTS = "Security Alerts";
    public static final String SECURITY_EVENTS = "Security Events";
    public static final String SYSTEM_EVENTS = "System Events";

    private Details() {
    }

    /** The logcheck heading a log finding belongs under, from its details or else its kind. */
    public static String section(Finding finding) {
        Object section = finding.details().get(SECTION);
        if (section != null) {
            return section.toString();
        }
        return switch (finding.kind()) {
            case "SECURITY_ALERT" -> SECURITY_ALERTS;
            case "SECURITY_EVENT" -> SECURITY_EVENTS;
            default -> SYSTEM_EVENTS;
        };
    }

    /** logcheck's full heading for a log finding: "Security Alerts for sshd", or just the section name. */
    public static String heading(Finding finding) {
        String section = section(finding);
        Object rulefile = finding.details().get(RULEFILE);
        if (rulefile == null || rulefile.toString().isEmpty() || rulefile.toString().equals("logcheck")
                || section.equals(SYSTEM_EVENTS)) {
            return section;
        }
        return section + " for " + rulefile;
    }

    /** The attribute map under {@code key} ({@value #BEFORE} or {@value #AFTER}), empty if there is none. */
    public static Map<?, ?> attributes(Finding finding, String key) {
        return finding.details().get(key) instanceof Map<?, ?> map ? map : Map.of();
    }
}
