package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.fim.Attribute;
import dev.vigil.fim.Change;
import dev.vigil.fim.ChangeKind;
import dev.vigil.fim.BaselineStore;
import dev.vigil.fim.ChangeDetector;
import dev.vigil.fim.EntryType;
import dev.vigil.fim.FileRecord;
import dev.vigil.fim.PathPolicy;
import dev.vigil.fim.RecordJson;
import dev.vigil.fim.ScanStats;
import dev.vigil.fim.Scanner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** {@code vigil scan}: hash trees to NDJSON without a database, and compare with an earlier NDJSON file. */
@Command(name = "scan", description = "Scan paths to NDJSON (one object per entry); optionally compare with an earlier scan.")
public final class ScanCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Files or directories to scan.")
    List<Path> paths;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write NDJSON here (default: standard output unless --compare).")
    Path output;

    @Option(names = "--compare", paramLabel = "FILE", description = "An earlier NDJSON scan: print Modified/Added/Deleted against it, with the attributes that differ;"
            + " exit 1 when anything does (or AIDE's codes, with --exit-code=aide).")
    Path compare;

    @Mixin
    ScanSettings settings;

    @Mixin
    ExitCodes exitCodes;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file for excludes and threads.")
    Path config;

    @Override
    public Integer call() throws IOException {
        VigilHome home = VigilHome.load(config);
        home.requireValid();
        Scanner scanner = new Scanner(settings.options(home));
        ObjectMapper json = RecordJson.mapper();
        Map<byte[], FileRecord> current = compare != null ? new TreeMap<>(Arrays::compareUnsigned) : null;
        Writer out = output != null ? Files.newBufferedWriter(output, StandardCharsets.UTF_8)
                : compare == null ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16) : null;
        Problems problems = new Problems(System.err);
        ScanStats stats = new ScanStats();
        try (Progress ignored = Progress.start(stats, 0, System.err)) {
            scanner.scan(paths, new Scanner.Sink() {
                @Override
                public void entry(FileRecord r) {
                    if (current != null) {
                        synchronized (current) {
                            current.put(r.path(), r);
                        }
                    }
                    if (out != null) {
                        try {
                            String line = json.writeValueAsString(RecordJson.entry(r)) + "\n";
                            synchronized (out) {
                                out.write(line);
                            }
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                }

                @Override
                public void problem(byte[] path, String message) {
                    problems.problem(path, message);
                }
            }, stats);
        } finally {
            if (out != null) {
                out.flush();
                if (output != null) {
                    out.close();
                }
            }
        }
        problems.summarise();
        if (compare == null) {
            return 0;
        }
        return printComparison(readNdjson(compare), current);
    }

    /** An earlier scan: its entries by path, and which of them have Argus's fields only. */
    private record Earlier(Map<byte[], FileRecord> entries, Set<byte[]> argusOnly) {
    }

    private static Earlier readNdjson(Path file) throws IOException {
        Map<byte[], FileRecord> out = new TreeMap<>(Arrays::compareUnsigned);
        Set<byte[]> argusOnly = new TreeSet<>(Arrays::compareUnsigned);
        ObjectMapper json = RecordJson.mapper();
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (!line.isBlank()) {
                    JsonNode node = json.readTree(line);
                    FileRecord r = RecordJson.parseEntry(node);
                    out.put(r.path(), r);
                    if (!node.has("type")) {
                        argusOnly.add(r.path());
                    }
                }
            }
        }
        return new Earlier(out, argusOnly);
    }

    /**
     * Prints the differences Argus-style ("Modified: PATH"), each with the attributes that differ, after a summary
     * line; returns the exit status for them. An entry Argus wrote (path, checksum, size and timestamp only) is
     * compared on those alone, its timestamp at the precision it was written with; and when the whole earlier
     * scan is Argus's, which records regular files only, only regular files are compared.
     */
    private int printComparison(Earlier earlier, Map<byte[], FileRecord> after) {
        boolean allArgus = !earlier.entries().isEmpty() && earlier.argusOnly().size() == earlier.entries().size();
        Iterator<FileRecord> now = after.values().stream()
                .filter(r -> !allArgus || r.type() == EntryType.FILE).iterator();
        Map<ChangeKind, Integer> counts = new EnumMap<>(ChangeKind.class);
        List<String> lines = new ArrayList<>();
        new ChangeDetector(PathPolicy.none()).diff(BaselineStore.Rows.whole(earlier.entries().values().iterator()), now,
                ChangeDetector.CompletionStep.none(), (Change found) -> {
                    Change c = found;
                    if (c.before() != null && c.after() != null && earlier.argusOnly().contains(c.path())) {
                        List<Attribute> argusSaw = differencesArgusSees(c.before(), c.after());
                        if (argusSaw.isEmpty()) {
                            return;
                        }
                        c = new Change(c.path(), c.kind(), c.before(), c.after(), argusSaw, c.reason());
                    }
                    counts.merge(c.kind(), 1, Integer::sum);
                    String label = switch (c.kind()) {
                        case ADDED -> "Added";
                        case DELETED -> "Deleted";
                        case MODIFIED, ATTRIBUTES, UNTRUSTED_IGNORE -> "Modified"; // no ignore file is judged here
                    };
                    lines.add(label + ": " + c.displayPath() + ChangePrinter.attributeNames(c));
                });
        System.out.println(ChangePrinter.summary(counts, "No differences."));
        if (!lines.isEmpty()) {
            System.out.println();
            lines.forEach(System.out::println);
        }
        return exitCodes.differences(counts);
    }

    /** Of the attributes Argus records (size, timestamp, checksum), those that differ as Argus would see them. */
    private static List<Attribute> differencesArgusSees(FileRecord argus, FileRecord now) {
        long second = 1_000_000_000L;
        boolean wholeSeconds = Math.floorMod(argus.mtimeNs(), second) == 0;
        boolean sameTime = wholeSeconds ? Math.floorDiv(argus.mtimeNs(), second) == Math.floorDiv(now.mtimeNs(), second)
                : argus.mtimeNs() == now.mtimeNs();
        List<Attribute> differ = new ArrayList<>();
        if (argus.size() != now.size()) {
            differ.add(Attribute.SIZE);
        }
        if (!sameTime) {
            differ.add(Attribute.MTIME);
        }
        if (!java.util.Objects.equals(argus.hash(), now.hash())) {
            differ.add(Attribute.HASH);
        }
        return differ;
    }
}
