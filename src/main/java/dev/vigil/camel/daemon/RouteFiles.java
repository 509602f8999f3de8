package dev.vigil.camel.daemon;

import dev.vigil.config.Key;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The route files of a routes directory ({@code *.yaml}) read as the daemon reads them, by Camel's YAML DSL, into
 * a context that is never started: nothing runs, no endpoint is made, and a problem is named by file, line and
 * column ({@code routes/files.yaml:12:9: expected <block end>, but found '-'}), where the daemon's start would
 * stop on the first one with a stack of exceptions. A {@code {{vigil.KEY}}} placeholder naming no key of
 * {@link Key} (a typo, or a key renamed since) is a problem too: Camel would refuse it only when the route starts.
 */
public final class RouteFiles {

    /**
     * @param files    the route files read, in name order
     * @param problems one line per file that failed: {@code FILE:LINE:COLUMN: what}, or {@code FILE: what}
     */
    public record Checked(List<Path> files, List<String> problems) {}

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(vigil\\.[^}:]+)(?::[^}]*)?}}");

    private RouteFiles() {
    }

    public static Checked check(Path dir) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.yaml")) {
            entries.forEach(files::add);
        } catch (IOException e) {
            return new Checked(List.of(), List.of(dir + ": cannot list the route files: " + e.getMessage()));
        }
        files.sort(null);
        List<String> problems = new ArrayList<>();
        CamelContext context = new DefaultCamelContext();
        try {
            for (Path file : files) {
                try {
                    Resource resource = PluginHelper.getResourceLoader(context).resolveResource("file:" + file);
                    for (RoutesBuilder builder : PluginHelper.getRoutesLoader(context).findRoutesBuilders(resource)) {
                        context.addRoutes(builder);
                    }
                } catch (Exception e) {
                    problems.add(problem(file, e));
                }
                problems.addAll(unknownKeys(file));
            }
            return new Checked(List.copyOf(files), List.copyOf(problems));
        } finally {
            context.stop(); // never started: this only frees what loading the routes made
        }
    }

    /** The {@code {{vigil.KEY}}} and {@code {{vigil.KEY:default}}} placeholders of the file whose key is no key. */
    private static List<String> unknownKeys(Path file) {
        List<String> problems = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return problems; // loading it has said why it cannot be read
        }
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = PLACEHOLDER.matcher(lines.get(i));
            while (m.find()) {
                String key = m.group(1);
                if (Key.of(key).isEmpty()) {
                    problems.add(file + ":" + (i + 1) + ":" + (m.start() + 1) + ": " + Key.renamedTo(key)
                            .map(now -> key + " was renamed to " + now)
                            .orElse("unknown configuration key '" + key + "' in a placeholder"));
                }
            }
        }
        return problems;
    }

    /** The YAML parser's or the DSL's marked problem where there is one, else the innermost message. */
    private static String problem(Path file, Exception e) {
        Throwable innermost = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYamlEngineException marked) {
                Optional<Mark> mark = marked.getProblemMark().or(marked::getContextMark);
                String where = mark.map(m -> file + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1)).orElse(file.toString());
                String what = marked.getProblem() != null ? marked.getProblem() : marked.getContext();
                String context = marked.getContext() != null && marked.getProblem() != null ? " (" + marked.getContext() + ")" : "";
                return where + ": " + what + context;
            }
            innermost = t;
        }
        return file + ": " + (innermost.getMessage() != null ? innermost.getMessage() : innermost.toString());
    }
}
