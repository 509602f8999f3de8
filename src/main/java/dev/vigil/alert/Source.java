package dev.vigil.alert;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where a finding comes from, one value per checker. Its text form, the lowercase name ({@code files},
 * {@code logs}, {@code pids}, {@code test}, {@code fleet}), is what JSON, the finding headers, database rows, configuration keys
 * ({@code vigil.report.<source>.*}) and the CLI ({@code --source files}) show.
 */
public enum Source {
    /** File integrity: the scheduled check, the trickle and the watch. */
    FILES,
    /** Log lines classified with logcheck rules. */
    LOGS,
    /** PID files and required processes. */
    PIDS,
    /** {@code vigil test-alert}'s report, to try the channels. */
    TEST,
    /** The collector's own findings about the fleet: REJECTED records, HOST_SILENT, HOST_BACK, BASELINE_TAMPERED. */
    FLEET;

    @JsonValue
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return text();
    }

    /** The source of a text form, as stored or typed; another word is refused naming the ones there are. */
    @JsonCreator
    public static Source of(String text) {
        for (Source s : values()) {
            if (s.text().equals(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a source: "
                + Arrays.stream(values()).map(Source::text).collect(Collectors.joining(", ")));
    }
}
