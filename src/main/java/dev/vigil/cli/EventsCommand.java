package dev.vigil.cli;

import dev.vigil.alert.Source;
import dev.vigil.alert.Finding;
import dev.vigil.alert.Json;
import dev.vigil.os.PathBytes;
import dev.vigil.text.Printable;
import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.fim.ChangeKind;
import dev.vigil.pid.PidKind;
import dev.vigil.store.EventLog;
import dev.vigil.store.FleetStore;
import dev.vigil.store.FileEventHistory;
import dev.vigil.watch.EventType;
import dev.vigil.watch.FileEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code vigil events}: the event history: findings, or with {@code --raw} (implied by the process, user, PID
 * and event-type filters) the raw events the file watch saw, which say which process and user touched a path.
 */
@Command(name = "events", description = "Query the event history: every finding, as recorded before it was reported;"
        + " with --raw, --process, --user, --pid or --type the raw file events of the real-time watch instead.")
public final class EventsCommand implements Callable<Integer> {

    enum Format { text, json, csv }

    @Option(names = "--since", paramLabel = "T", converter = TimeArgument.class,
            description = "From this time: " + TimeArgument.FORMS + ".")
    Instant since;

    @Option(names = "--until", paramLabel = "T", converter = TimeArgument.class, description = "Before this time, same forms as --since.")
    Instant until;

    @Option(names = "--source", paramLabel = "S", converter = SourceArgument.class, description = "files, logs, pids or fleet.")
    Source source;

    @Option(names = "--kind", paramLabel = "K", split = "\\s*,\\s*", splitSynopsisLabel = ",", converter = KindArgument.class,
            description = "Kinds, comma-separated: ${COMPLETION-CANDIDATES}.",
            completionCandidates = KindArgument.class)
    List<String> kinds;

    @Option(names = "--path", paramLabel = "GLOB", description = "Subject (path, log line, PID file) matching this glob; for raw events the path or old path.")
    String path;

    @Option(names = "--host", paramLabel = "H", description = "Findings of host H from the fleet store the collector keeps"
            + " (vigil.collect.jdbc.url); * for every host.")
    String host;

    @Option(names = "--raw", description = "The raw file events of the real-time watch instead of findings.")
    boolean raw;

    @Option(names = "--process", paramLabel = "NAME", description = "Raw events by this command name or executable (sh, /usr/bin/touch),"
            + " or by the program that name runs here (sh: often /usr/bin/dash; python3: /usr/bin/python3.11).")
    String process;

    @Option(names = "--user", paramLabel = "NAME", description = "Raw events by this user name or uid.")
    String user;

    @Option(names = "--pid", paramLabel = "N", description = "Raw events by this process id.")
    Integer pid;

    @Option(names = "--type", paramLabel = "T", split = "\\s*,\\s*", splitSynopsisLabel = ",",
            description = "Raw events of these types, comma-separated: ${COMPLETION-CANDIDATES}.")
    List<EventType> types;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (default), json (one object per line) or csv.")
    Format format = Format.text;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() {
        if (raw || process != null || user != null || pid != null || types != null) {
            return rawEvents();
        }
        EventLog.Query query = new EventLog.Query(since, until, source, kinds, path);
        List<Finding> found;
        if (host != null) {
            try (HikariDataSource fleet = HostsCommand.fleetStore(store.home())) {
                found = new FleetStore(fleet).findings(host.equals("*") ? null : host, query);
            }
        } else {
            found = new EventLog(store.open()).query(query);
        }
        PrintStream out = System.out;
        if (format == Format.csv) {
            out.println("time,source,kind,severity,host,subject");
        }
        for (Finding f : found) {
            switch (format) {
                // A subject is a file name or a log line, and a fleet host's finding whatever it sent: shown to a
                // terminal, its control characters are escapes (JSON escapes them itself).
                case text -> out.printf("%s  %s%-5s %-14s %-8s %s%n", f.time(), host == null ? "" : Printable.of(f.host()) + "  ",
                        f.source(), Printable.of(f.kind()), f.severity(), Printable.of(f.subject()));
                case json -> out.println(Json.write(f));
                case csv -> out.println(String.join(",", csv(f.time().toString()), csv(f.source().text()),
                        csv(Printable.of(f.kind())), csv(f.severity().name()), csv(Printable.of(f.host())),
                        csv(Printable.of(f.subject()))));
            }
        }
        out.flush();
        return 0;
    }

    private int rawEvents() {
        if (host != null) {
            throw new IllegalArgumentException("--host reads findings of the fleet store; raw file events stay on their host");
        }
        if (source != null || kinds != null) {
            throw new IllegalArgumentException("--source and --kind select findings; raw file events are selected by "
                    + "--process, --user, --pid and --type");
        }
        Set<EventType> wanted = types == null ? EnumSet.noneOf(EventType.class) : EnumSet.copyOf(types);
        List<FileEvent> found = new FileEventHistory(store.open()).query(
                new FileEventHistory.Query(since, until, path, process, programs(process), user, pid, wanted));
        PrintStream out = System.out;
        if (format == Format.csv) {
            out.println("time,types,path,old_path,pid,ppid,comm,exe,uid,user,attributed");
        }
        for (FileEvent e : found) {
            String types = String.join(",", e.types().stream().map(EventType::name).toList());
            switch (format) {
                case text -> out.printf("%s  %-22s %7s %-15s %-10s %s%s%n", e.time(), types, known(e.pid()), or(e.comm()),
                        or(e.user()), e.path() == null ? "(all areas)" : escaped(e.path()),
                        e.oldPath() == null ? "" : " (from " + escaped(e.oldPath()) + ")");
                case json -> out.println(Json.write(json(e, types)));
                case csv -> out.println(String.join(",", csv(e.time().toString()), csv(types), csv(escapedOrEmpty(e.path())),
                        csv(escapedOrEmpty(e.oldPath())), e.pid() < 0 ? "" : String.valueOf(e.pid()),
                        e.ppid() < 0 ? "" : String.valueOf(e.ppid()), csv(e.comm() == null ? "" : e.comm()),
                        csv(e.exe() == null ? "" : e.exe()), e.uid() < 0 ? "" : String.valueOf(e.uid()),
                        csv(e.user() == null ? "" : e.user()), String.valueOf(e.attributed())));
            }
        }
        out.flush();
        return 0;
    }

    private static Map<String, Object> json(FileEvent e, String types) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", e.time().toString());
        m.put("types", List.of(types.split(",")));
        m.put("path", e.path() == null ? null : escaped(e.path()));
        if (e.oldPath() != null) {
            m.put("oldPath", escaped(e.oldPath()));
        }
        m.put("directory", e.directory());
        m.put("attributed", e.attributed());
        if (e.pid() >= 0) {
            m.put("pid", e.pid());
        }
        if (e.ppid() >= 0) {
            m.put("ppid", e.ppid());
        }
        if (e.comm() != null) {
            m.put("comm", e.comm());
        }
        if (e.exe() != null) {
            m.put("exe", e.exe());
        }
        if (e.uid() >= 0) {
            m.put("uid", e.uid());
        }
        if (e.user() != null) {
            m.put("user", e.user());
        }
        if (e.detail() != null) {
            m.put("detail", e.detail());
        }
        return m;
    }

    private static String escaped(java.nio.file.Path p) {
        return PathBytes.escape(PathBytes.of(p));
    }

    private static String escapedOrEmpty(java.nio.file.Path p) {
        return p == null ? "" : escaped(p);
    }

    private static String known(int id) {
        return id < 0 ? "-" : String.valueOf(id);
    }

    private static String or(String s) {
        return s == null ? "-" : s;
    }

    /** RFC 4180: quote a field holding a comma, quote or line break, doubling quotes. */
    private static String csv(String field) {
        return field.matches("[^,\"\\r\\n]*") ? field : '"' + field.replace("\"", "\"\"") + '"';
    }

    /**
     * The executables {@code name} runs on this machine, links resolved: the kernel names a process after the
     * name it was started by, which was not always read in time, while its executable always is known.
     */
    private static List<String> programs(String name) {
        if (name == null || name.isEmpty()) {
            return List.of();
        }
        String dirs = name.contains("/") ? "" : System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        List<java.nio.file.Path> candidates = name.contains("/") ? List.of(java.nio.file.Path.of(name))
                : Arrays.stream(dirs.split(":")).filter(d -> !d.isEmpty()).map(d -> java.nio.file.Path.of(d, name)).toList();
        Set<String> programs = new java.util.LinkedHashSet<>();
        for (java.nio.file.Path candidate : candidates) {
            try {
                if (java.nio.file.Files.isRegularFile(candidate)) {
                    programs.add(candidate.toRealPath().toString());
                }
            } catch (java.io.IOException e) {
                // not there or not readable: it names no program here
            }
        }
        return List.copyOf(programs);
    }

    /** A source of findings, as recorded (lower case). */
    static final class SourceArgument implements ITypeConverter<Source> {
        @Override
        public Source convert(String value) {
            String text = value.strip().toLowerCase(Locale.ROOT);
            return EventLog.KINDS.keySet().stream().filter(s -> s.text().equals(text)).findFirst().orElseThrow(
                    () -> new TypeConversionException("unknown source '" + value + "': files, logs, pids or fleet"));
        }
    }

    /** A kind of finding of any source, as recorded (upper case); also the list the help shows. */
    static final class KindArgument extends TreeSet<String> implements ITypeConverter<String> {
        KindArgument() {
            EventLog.KINDS.values().forEach(this::addAll);
        }

        @Override
        public String convert(String value) {
            String kind = value.strip().toUpperCase(Locale.ROOT);
            if (!contains(kind)) {
                throw new TypeConversionException("unknown kind '" + value + "': one of " + String.join(", ", this));
            }
            return kind;
        }
    }
}
