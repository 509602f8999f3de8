package dev.vigil.cli;

import dev.vigil.alert.Finding;
import dev.vigil.alert.Json;
import dev.vigil.store.EventLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code vigil events}: the event history. */
@Command(name = "events", description = "Query the event history (every finding, as recorded before it was reported).")
public final class EventsCommand implements Callable<Integer> {

    enum Format { text, json, csv }

    @Option(names = "--since", paramLabel = "T", description = "From this time: RFC 3339 (2026-11-22T10:00:00Z) or an age (30m, 2h, 7d).")
    String since;

    @Option(names = "--until", paramLabel = "T", description = "Before this time, same forms as --since.")
    String until;

    @Option(names = "--source", paramLabel = "S", description = "files, logs or pids.")
    String source;

    @Option(names = "--kind", paramLabel = "K", split = ",", description = "Kinds, comma-separated (MODIFIED,DELETED,...).")
    List<String> kinds;

    @Option(names = "--path", paramLabel = "GLOB", description = "Subject (path, log line, PID file) matching this glob.")
    String path;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (default), json (one object per line) or csv.")
    Format format = Format.text;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() {
        List<Finding> found = new EventLog(store.open()).query(new EventLog.Query(time(since), time(until), source, kinds, path));
        PrintStream out = System.out;
        if (format == Format.csv) {
            out.println("time,source,kind,severity,host,subject");
        }
        for (Finding f : found) {
            switch (format) {
                case text -> out.printf("%s  %-5s %-14s %-8s %s%n", f.time(), f.source(), f.kind(), f.severity(), f.subject());
                case json -> out.println(Json.write(f));
                case csv -> out.println(String.join(",", csv(f.time().toString()), csv(f.source()), csv(f.kind()),
                        csv(f.severity().name()), csv(f.host()), csv(f.subject())));
            }
        }
        out.flush();
        return 0;
    }

    /** RFC 4180: quote a field holding a comma, quote or line break, doubling quotes. */
    private static String csv(String field) {
        return field.matches("[^,\"\\r\\n]*") ? field : '"' + field.replace("\"", "\"\"") + '"';
    }

    private static Instant time(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            String t = text.strip();
            Duration age = t.endsWith("d") ? Duration.ofDays(Long.parseLong(t.substring(0, t.length() - 1)))
                    : Duration.ofMillis(org.apache.camel.util.TimeUtils.toMilliSeconds(t));
            return Instant.now().minus(age);
        }
    }

}
