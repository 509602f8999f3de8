package dev.vigil.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigil.fim.Attribute;
import dev.vigil.fim.Change;
import dev.vigil.fim.ChangeKind;
import dev.vigil.fim.RecordJson;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Prints changes as text, a JSON array, or NDJSON. Text is AIDE's order: a summary first, then each change on
 * a line naming the attributes that differ, and under it each of them {@code before -> after}. Nothing reaches the
 * output before the first change or {@link #finish}: a check whose database turns out damaged prints nothing.
 */
final class ChangePrinter implements Consumer<Change>, AutoCloseable {

    enum Format { text, json, ndjson }

    private final Format format;
    private final PrintStream out;
    private final Map<ChangeKind, Integer> counts = new EnumMap<>(ChangeKind.class);
    /** Text waits in this file until the summary that comes before it is known: a check may list a million entries. */
    private final Path pending;
    private final BufferedWriter pendingText;
    private boolean first = true;

    ChangePrinter(Format format, PrintStream out) {
        this.format = format;
        this.out = out;
        try {
            pending = format == Format.text ? Files.createTempFile("vigil-check", ".txt") : null;
            pendingText = pending != null ? Files.newBufferedWriter(pending, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file for the report: " + e.getMessage(), e);
        }
    }

    @Override
    public void accept(Change c) {
        counts.merge(c.kind(), 1, Integer::sum);
        switch (format) {
            case text -> {
                try {
                    pendingText.write(text(c));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write the report to " + pending + ": " + e.getMessage(), e);
                }
            }
            case json -> {
                out.print(first ? "[\n" : ",\n");
                out.print(write(c));
            }
            case ndjson -> out.println(write(c));
        }
        first = false;
    }

    /** The differences counted by kind. */
    Map<ChangeKind, Integer> counts() {
        return counts;
    }

    void finish() {
        switch (format) {
            case text -> {
                out.println(summary(counts, "No differences from the baseline."));
                if (!first) {
                    out.println();
                    copyPending();
                }
            }
            case json -> out.println(first ? "[]" : "\n]");
            case ndjson -> { }
        }
        out.flush();
    }

    private void copyPending() {
        try {
            pendingText.close();
            try (BufferedReader text = Files.newBufferedReader(pending, StandardCharsets.UTF_8)) {
                text.lines().forEach(out::println);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the report back from " + pending + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        if (pending != null) {
            pendingText.close();
            Files.deleteIfExists(pending);
        }
    }

    /** The kind, the path and the attributes that differ, then each of them before and after. */
    private static String text(Change c) {
        StringBuilder s = new StringBuilder(String.format("%-10s %s%s%n", c.kind(), c.displayPath(), attributeNames(c)));
        if (c.reason() != null) {
            s.append(String.format("    not applied: %s%n", c.reason()));
        }
        for (Attribute a : c.attributes()) {
            s.append(String.format("    %-12s %s -> %s%n", a.key(), a.show(c.before()), a.show(c.after())));
        }
        return s.toString();
    }

    /** " (size, mtime, hash)": the names of the attributes that differ, or nothing for an entry added or deleted. */
    static String attributeNames(Change c) {
        return c.attributes().isEmpty() ? ""
                : c.attributes().stream().map(Attribute::key).collect(Collectors.joining(", ", " (", ")"));
    }

    /** "3 differences: 1 added, 1 deleted, 1 modified, 0 attributes only.", or {@code none} when there are none. */
    static String summary(Map<ChangeKind, Integer> counts, String none) {
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        int untrusted = counts.getOrDefault(ChangeKind.UNTRUSTED_IGNORE, 0);
        return total == 0 ? none : String.format(
                "%d difference%s: %d added, %d deleted, %d modified, %d attributes only%s.", total, total == 1 ? "" : "s",
                counts.getOrDefault(ChangeKind.ADDED, 0), counts.getOrDefault(ChangeKind.DELETED, 0),
                counts.getOrDefault(ChangeKind.MODIFIED, 0), counts.getOrDefault(ChangeKind.ATTRIBUTES, 0),
                untrusted == 0 ? "" : String.format(", %d ignore file%s not applied", untrusted, untrusted == 1 ? "" : "s"));
    }

    private static String write(Change c) {
        try {
            return RecordJson.mapper().writeValueAsString(RecordJson.change(c));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
