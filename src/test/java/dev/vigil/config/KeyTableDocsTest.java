package dev.vigil.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * config/vigil.properties and the README's configuration table against the table of keys: every key a user may
 * set is in both, with the table's default, and neither names a key the table does not have.
 */
class KeyTableDocsTest {

    /** A key line of the properties file, commented out (an example, or a key without default) or not. */
    private static final Pattern PROPERTY = Pattern.compile("^(#?)(vigil\\.[^=\\s]+)=(.*)$");
    /** A row of the README's configuration table: the key in the first cell, the default in the second. */
    private static final Pattern README_ROW = Pattern.compile("^\\| `(vigil\\.[^`]+)` \\| ([^|]*) \\|.*$");

    @Test
    void thePropertiesFileHasEveryKeyWithItsDefaultAndNoOther() throws Exception {
        Map<String, String> set = new LinkedHashMap<>();
        List<String> mentioned = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("config/vigil.properties"))) {
            Matcher m = PROPERTY.matcher(line);
            if (m.matches()) {
                mentioned.add(m.group(2));
                if (m.group(1).isEmpty()) {
                    set.put(m.group(2), m.group(3).strip());
                }
            }
        }
        for (String key : mentioned) {
            if (Key.of(key).map(Key::internal).orElse(true)) {
                problems.add("not a key: " + key);
            }
        }
        for (Key k : Key.settable()) {
            if (mentioned.stream().noneMatch(k::matches)) {
                problems.add("missing: " + k.key());
            }
        }
        set.forEach((key, value) -> Key.of(key).filter(k -> !k.defaultFor(key).equals(value))
                .ifPresent(k -> problems.add(key + "=" + value + ", but its default is '" + k.defaultFor(key) + "'")));
        assertEquals(List.of(), problems);
    }

    @Test
    void theReadmeTableHasEveryKeyWithItsDefaultAndNoOther() throws Exception {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            Matcher m = README_ROW.matcher(line);
            if (m.matches()) {
                rows.put(m.group(1), m.group(2).strip());
            }
        }
        List<String> problems = new ArrayList<>();
        for (Key k : Key.settable()) {
            List<String> keys = k.namedDefaults().isEmpty() ? List.of(k.key()) : List.copyOf(k.namedDefaults().keySet());
            for (String key : keys) {
                String cell = rows.remove(key);
                String defaultValue = k.defaultFor(key);
                if (cell == null) {
                    problems.add("missing: " + key);
                } else if (defaultValue.isEmpty() ? !(cell.startsWith("empty") || cell.startsWith("none"))
                        : !cell.startsWith("`" + defaultValue + "`")) {
                    problems.add(key + ": default '" + cell + "', but the table's is '" + defaultValue + "'");
                }
            }
        }
        rows.keySet().forEach(key -> problems.add("not a key: " + key));
        assertEquals(List.of(), problems);
    }
}
