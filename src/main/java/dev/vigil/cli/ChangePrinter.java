package dev.vigil.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigil.fim.Attribute;
import dev.vigil.fim.Change;
import dev.vigil.fim.ChangeKind;
import dev.vigil.fim.RecordJson;

import java.io.PrintStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;

/** Prints changes as text (attributes before -> after), a JSON array, or NDJSON. */
final class ChangePrinter implements Consumer<Change> {

    enum Format { text, json, ndjson }

    private final Format format;
    private final PrintStream out;
    private final Map<ChangeKind, Integer> counts = new EnumMap<>(ChangeKind.class);
    private boolean first = true;

    ChangePrinter(Format format, PrintStream out) {
        this.format = format;
        this.out = out;
        if (format == Format.json) {
            out.print("[");
        }
    }

    @Override
    public void accept(Change c) {
        counts.merge(c.kind(), 1, Integer::sum);
        switch (format) {
            case text -> {
                out.printf("%-10s %s%n", c.kind(), c.displayPath());
                if (c.reason() != null) {
                    out.printf("    not applied: %s%n", c.reason());
                }
                for (Attribute a : c.attributes()) {
                    out.printf("    %-12s %s -> %s%n", a.key(), a.print(c.before()), a.print(c.after()));
                }
            }
            case json -> {
                out.print(first ? "\n" : ",\n");
                out.print(write(c));
            }
            case ndjson -> out.println(write(c));
        }
        first = false;
    }

    void finish() {
        switch (format) {
            case text -> {
                int total = counts.values().stream().mapToInt(Integer::intValue).sum();
                int untrusted = counts.getOrDefault(ChangeKind.UNTRUSTED_IGNORE, 0);
                out.println(total == 0 ? "No differences from the baseline." : String.format(
                        "%d difference%s: %d added, %d deleted, %d modified, %d attributes only%s.", total, total == 1 ? "" : "s",
                        counts.getOrDefault(ChangeKind.ADDED, 0), counts.getOrDefault(ChangeKind.DELETED, 0),
                        counts.getOrDefault(ChangeKind.MODIFIED, 0), counts.getOrDefault(ChangeKind.ATTRIBUTES, 0),
                        untrusted == 0 ? "" : String.format(", %d ignore file%s not applied", untrusted, untrusted == 1 ? "" : "s")));
            }
            case json -> out.println(first ? "]" : "\n]");
            case ndjson -> { }
        }
        out.flush();
    }

    private static String write(Change c) {
        try {
            return RecordJson.mapper().writeValueAsString(RecordJson.change(c));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
