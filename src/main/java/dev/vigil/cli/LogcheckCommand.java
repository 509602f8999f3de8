package dev.vigil.cli;

import dev.vigil.logcheck.Category;
import dev.vigil.logcheck.Classifier;
import dev.vigil.logcheck.GnuEre;
import dev.vigil.logcheck.GrepLocale;
import dev.vigil.logcheck.Level;
import dev.vigil.logcheck.LogLines;
import dev.vigil.logcheck.LogcheckReport;
import dev.vigil.logcheck.Rule;
import dev.vigil.logcheck.RuleMatcher;
import dev.vigil.logcheck.RuleTree;
import dev.vigil.logcheck.Verdict;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil logcheck}: classifies log files offline with a logcheck rule tree, line by line (TSV) or
 * as the report {@code logcheck -o -t} would print; also tests one pattern or explains one line.
 */
@Command(name = "logcheck",
        description = "Classify log lines with logcheck rules, exactly as logcheck would.")
public final class LogcheckCommand implements Callable<Integer> {

    enum Format { tsv, report }

    @Option(names = "--rules", paramLabel = "DIR",
            description = "Rule tree; repeat to layer local trees over the base (default: /etc/logcheck).")
    List<Path> rules = new ArrayList<>();

    @Option(names = "--level", paramLabel = "LEVEL", defaultValue = "server",
            description = "paranoid, server or workstation (default: server).")
    Level level;

    @Option(names = "--cracking-ignore", description = "Let cracking.ignore.d filter alerts (SUPPORT_CRACKING_IGNORE).")
    boolean crackingIgnore;

    @Option(names = "--sort-unique", description = "Drop duplicate lines (SORTUNIQ).")
    boolean sortUnique;

    @Option(names = "--format", defaultValue = "tsv",
            description = "tsv: SECTION<TAB>SUBSECTIONS<TAB>LINE per input line; report: logcheck's report.")
    Format format;

    @Option(names = "--test", paramLabel = "PATTERN",
            description = "Show how PATTERN translates to Java, a line it matches, and which lines of FILE... it matches.")
    String test;

    @Option(names = "--explain", paramLabel = "LINE", description = "Show every rule matching LINE and its verdict.")
    String explain;

    @Option(names = "--unused", paramLabel = "DAYS", description = "List the rules of local trees (vigil.logs.local)"
            + " that the daemon has counted no match of in DAYS days.")
    Integer unused;

    @picocli.CommandLine.Mixin
    StoreOptions store;

    @Parameters(paramLabel = "FILE", description = "Log files, read in order ('-' for standard input).")
    List<Path> files = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        // lines are bytes read as ISO-8859-1; writing them back the same way prints them unchanged
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out,
                StandardCharsets.ISO_8859_1), 1 << 16));
        try {
            if (unused != null) {
                return UnusedRules.print(store.open(), unused, java.time.Instant.now(), out);
            }
            requireReadable();
            if (test != null) {
                return test(out);
            }
            RuleTree tree = RuleTree.load(sources());
            requireRuleFiles(tree);
            tree.problems().forEach(p -> System.err.println("vigil logcheck: warning: " + p));
            RuleMatcher matcher = new RuleMatcher(tree, GrepLocale.current());
            int loadProblems = matcher.problems().size();
            matcher.problems().forEach(p -> System.err.println("vigil logcheck: warning: " + p));
            Classifier classifier = new Classifier(tree, matcher, crackingIgnore);
            if (explain != null) {
                return explain(out, matcher, classifier);
            }
            List<String> lines = readInput();
            if (format == Format.report) {
                List<Verdict> verdicts = classifier.classify(LogcheckReport.sortLikeLogcheck(lines, sortUnique));
                Path root = sources().get(0).root();
                out.print(LogcheckReport.render(verdicts, optional(root.resolve("header.txt")),
                        optional(root.resolve("footer.txt"))));
            } else {
                tsv(out, classifier.classify(sortUnique ? LogcheckReport.uniqueInInputOrder(lines) : lines));
            }
            // rules too slow on some line
            matcher.problems().stream().skip(loadProblems)
                    .forEach(p -> System.err.println("vigil logcheck: warning: " + p));
            return 0;
        } finally {
            out.flush();
        }
    }

    private List<RuleTree.Source> sources() {
        List<Path> roots = rules.isEmpty() ? List.of(Path.of("/etc/logcheck")) : rules;
        return roots.stream().map(r -> new RuleTree.Source(r, level)).toList();
    }

    /** A rule tree that is missing or holds no rule file is an error: it would leave every line unclassified. */
    private void requireRuleFiles(RuleTree tree) {
        List<String> looked = new ArrayList<>();
        for (Category c : Category.values()) {
            looked.addAll(c.directories(level));
        }
        for (RuleTree.Source empty : tree.withoutRuleFiles()) {
            Path root = empty.root();
            String which = "--rules " + root + (rules.isEmpty() ? " (the default)" : "");
            throw new ParameterException(spec.commandLine(), Files.isDirectory(root)
                    ? which + ": no rule file for level " + level.name().toLowerCase(Locale.ROOT) + " in " + String.join(", ", looked)
                    : which + ": no such directory");
        }
    }

    /** Each log file must be one that can be read, checked before anything is printed. */
    private void requireReadable() {
        for (Path f : files) {
            String problem = f.toString().equals("-") ? null : !Files.exists(f) ? "no such file or directory"
                    : Files.isDirectory(f) ? "is a directory" : !Files.isReadable(f) ? "permission denied" : null;
            if (problem != null) {
                throw new ParameterException(spec.commandLine(), f + ": " + problem);
            }
        }
    }

    private List<String> readInput() throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path f : files) {
            lines.addAll(f.toString().equals("-") ? LogLines.read(System.in) : LogLines.read(f));
        }
        return lines;
    }

    /**
     * A command-line argument as the log lines and rule files are held: one char per byte. The JVM decoded the
     * argument as text, so its UTF-8 bytes are the ones typed in a UTF-8 locale (in the C locale the JVM has already
     * replaced a non-ASCII byte).
     */
    private static String asLogBytes(String argument) {
        return new String(argument.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static String optional(Path file) throws IOException {
        return Files.isReadable(file) ? new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1) : null;
    }

    private static void tsv(Writer out, List<Verdict> verdicts) throws IOException {
        for (Verdict v : verdicts) {
            out.write(v.section().label());
            out.write('\t');
            out.write(v.subsections().isEmpty() ? "-" : String.join(",", v.subsections()));
            out.write('\t');
            out.write(v.line());
            out.write('\n');
        }
    }

    private int test(PrintWriter out) throws IOException {
        GrepLocale locale = GrepLocale.current();
        GnuEre ere;
        try {
            ere = GnuEre.parse(locale.text(asLogBytes(test)), locale);
        } catch (GnuEre.InvalidPatternException e) {
            System.err.println("vigil logcheck: invalid pattern: " + e.getMessage());
            return 2;
        }
        String java = ere.toJava();
        out.println("java\t" + java);
        Pattern p = Pattern.compile(java, GnuEre.FLAGS);
        String example = ere.example();
        if (p.matcher(example).find()) {
            out.println("example\t" + example);
        }
        for (String line : readInput()) {
            String stripped = Classifier.strip(line, locale);
            if (p.matcher(locale.text(stripped)).find()) {
                out.println("match\t" + stripped);
            }
        }
        return 0;
    }

    private int explain(PrintWriter out, RuleMatcher matcher, Classifier classifier) {
        Verdict v = classifier.classify(List.of(asLogBytes(explain))).get(0);
        for (Rule r : matcher.explain(v.line())) {
            out.println(r.category().directory() + "/" + r.name() + "\t" + r.location() + "\t" + r.pattern());
        }
        out.println("verdict\t" + v.section().label() + "\t"
                + (v.subsections().isEmpty() ? "-" : String.join(",", v.subsections())));
        return 0;
    }
}
