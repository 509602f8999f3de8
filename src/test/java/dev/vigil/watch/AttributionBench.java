package dev.vigil.watch;

import dev.vigil.alert.Source;
import dev.vigil.camel.Beans;
import dev.vigil.camel.daemon.DaemonConfiguration;

import dev.vigil.alert.Finding;
import dev.vigil.cli.RunCommand;
import dev.vigil.cli.VigilHome;
import dev.vigil.store.EventLog;
import org.apache.camel.main.Main;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Attribution of short-lived writers through the real daemon with the shipped configuration (watch and trickle
 * on): {@code N} writers each of sh, bash, python3, cp, dd (each appending to or overwriting a baselined file of
 * its own: MODIFIED) and touch (making a new file: ADDED), one after another without waiting; then every
 * finding is looked at. Attributed: it names the writer's pid and executable. Wrong: it names another pid, or
 * an executable or command name that is not the writer's. Run by {@code bench/attribution.sh}; speed and
 * counts are measured here, never asserted.
 *
 * <p>Arguments: a scratch directory, writers per program (default 100).
 */
public final class AttributionBench {

    private record Writer(String program, Path file, long pid) {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args[0]));
        int each = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        Path area = Files.createDirectories(work.resolve("area"));
        Path made = Files.createDirectories(area.resolve("made"));
        Path source = Files.writeString(work.resolve("source"), "copied content\n");
        List<String> programs = List.of("sh", "bash", "python3", "cp", "touch", "dd");
        for (String program : programs) {
            for (int i = 0; i < each && !program.equals("touch"); i++) {
                Files.writeString(area.resolve(program + i), "baselined\n");
            }
        }
        Path config = work.resolve("vigil.properties");
        Files.writeString(config, Files.readString(Path.of("config/vigil.properties"))
                + "\nvigil.database=" + work.resolve("vigil.db")
                + "\nvigil.alerts.file=" + work.resolve("alerts.ndjson")
                + "\nvigil.files.areas=" + area + "\n");
        Main main = RunCommand.daemon(VigilHome.load(config), Path.of("routes").toAbsolutePath(), new DaemonConfiguration());
        main.start();
        try {
            EventLog findings = new EventLog(Beans.database(main.getCamelContext()));
            waitFor(() -> new dev.vigil.fim.Integrity(new dev.vigil.store.SqliteBaseline(Beans.database(main.getCamelContext())),
                    dev.vigil.fim.ScanOptions.defaults(), dev.vigil.fim.PathPolicy.none()).hasBaseline(area), 60);
            Thread.sleep(3000); // the watch's start-up check and the scheduled check's first run, which find nothing
            List<Writer> writers = new ArrayList<>();
            for (int i = 0; i < each; i++) {
                for (String program : programs) {
                    Path file = program.equals("touch") ? made.resolve("touch" + i) : area.resolve(program + i);
                    String run = started(program).toString();
                    List<String> command = switch (program) {
                        case "sh", "bash" -> List.of(run, "-c", "echo $$ >> '" + file + "'");
                        case "python3" -> List.of(run, "-c", "open('" + file + "', 'a').write('python\\n')");
                        case "cp" -> List.of(run, source.toString(), file.toString());
                        case "dd" -> List.of(run, "if=" + source, "of=" + file, "status=none");
                        default -> List.of(run, file.toString());
                    };
                    Process p = new ProcessBuilder(command).inheritIO().start();
                    if (p.waitFor() != 0) {
                        throw new IllegalStateException(command + " failed");
                    }
                    writers.add(new Writer(program, file, p.pid()));
                }
            }
            Set<String> subjects = new java.util.HashSet<>();
            writers.forEach(w -> subjects.add(w.file.toString()));
            waitFor(() -> findings.query(new EventLog.Query(null, null, Source.FILES, List.of("MODIFIED", "ADDED"), null)).stream()
                    .map(Finding::subject).filter(subjects::contains).distinct().count() == writers.size(), 300);
            Map<String, Finding> first = new LinkedHashMap<>();
            for (Finding f : findings.query(new EventLog.Query(null, null, Source.FILES, List.of("MODIFIED", "ADDED"), null))) {
                first.putIfAbsent(f.subject(), f);
            }
            report(writers, first);
        } finally {
            main.stop();
        }
    }

    private static void report(List<Writer> writers, Map<String, Finding> found) throws Exception {
        Map<String, int[]> byProgram = new LinkedHashMap<>();
        Map<String, Integer> byChecker = new TreeMap<>();
        List<String> wrongOnes = new ArrayList<>();
        for (Writer w : writers) {
            int[] counts = byProgram.computeIfAbsent(w.program, p -> new int[4]);
            Finding f = found.get(w.file.toString());
            Map<String, Object> d = f.details();
            String checker = String.valueOf(d.getOrDefault("foundBy", "watch"));
            byChecker.merge(checker, 1, Integer::sum);
            String exe = started(w.program).toRealPath().toString();
            Object pid = d.get("pid");
            Object comm = d.get("comm");
            boolean wrong = pid != null && !String.valueOf(w.pid).equals(String.valueOf(pid))
                    || d.get("exe") != null && !exe.equals(d.get("exe"))
                    || comm != null && !comm.equals(w.program);
            boolean attributed = !wrong && String.valueOf(w.pid).equals(String.valueOf(pid)) && exe.equals(d.get("exe"));
            counts[0]++;
            counts[1] += attributed ? 1 : 0;
            counts[2] += wrong ? 1 : 0;
            counts[3] += comm != null && !wrong ? 1 : 0;
            if (wrong || !attributed) {
                wrongOnes.add(w.program + " " + w.pid + " (" + checker + "): " + d);
            }
        }
        System.out.printf("%-8s %8s %11s %6s %15s%n", "program", "writers", "attributed", "wrong", "with comm");
        int[] total = new int[4];
        byProgram.forEach((program, c) -> {
            System.out.printf("%-8s %8d %11d %6d %15d%n", program, c[0], c[1], c[2], c[3]);
            for (int i = 0; i < 4; i++) {
                total[i] += c[i];
            }
        });
        System.out.printf("%-8s %8d %11d %6d %15d%n", "all", total[0], total[1], total[2], total[3]);
        System.out.println("found first by: " + byChecker);
        wrongOnes.stream().limit(20).forEach(s -> System.out.println("not attributed or wrong: " + s));
    }

    /**
     * The system's program of that name (/bin/sh, /usr/bin/python3: links to dash and python3.x on Debian), not
     * a wrapper earlier on PATH (pyenv's shims are scripts).
     */
    private static Path started(String name) {
        return Path.of(name.equals("sh") ? "/bin" : "/usr/bin", name);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within " + seconds + " s");
            }
            Thread.sleep(200);
        }
    }
}
