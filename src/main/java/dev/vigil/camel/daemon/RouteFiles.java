package dev.vigil.camel.daemon;

import dev.vigil.config.Key;
import org.apache.camel.LineNumberAware;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.catalog.EndpointValidationResult;
import org.apache.camel.catalog.impl.DefaultRuntimeCamelCatalog;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.spi.PropertiesComponent;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The route files of a routes directory ({@code *.yaml}) read as the daemon reads them, by Camel's YAML DSL, into
 * a context that is never started: nothing runs, no endpoint is made, and a problem is named by file, line and
 * column ({@code routes/files.yaml:12:9: expected <block end>, but found '-'}), where the daemon's start would
 * stop on the first one with a stack of exceptions. Each route's endpoints are checked against their components'
 * options ({@code routes/logs.yaml:12: route logs-check, endpoint logtail: unknown option 'intervall'}). A {@code {{vigil.KEY}}} placeholder naming no key of
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

    /**
     * Reads the route files of {@code dir}; then, if they all load, checks the endpoint of every route not in
     * {@code disabledRoutes} with its placeholders resolved against {@code properties}, as the daemon would make it.
     */
    public static Checked check(Path dir, Map<String, String> properties, List<String> disabledRoutes) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.yaml")) {
            entries.forEach(files::add);
        } catch (IOException e) {
            return new Checked(List.of(), List.of(dir + ": cannot list the route files: " + e.getMessage()));
        }
        files.sort(null);
        List<String> problems = new ArrayList<>();
        DefaultCamelContext context = new DefaultCamelContext();
        context.setSourceLocationEnabled(true);
        context.getPropertiesComponent().setOverrideProperties(asProperties(properties));
        try {
            Map<Path, List<RoutesBuilder>> builders = new LinkedHashMap<>();
            for (Path file : files) {
                try {
                    Resource resource = PluginHelper.getResourceLoader(context).resolveResource("file:" + file);
                    for (RoutesBuilder builder : PluginHelper.getRoutesLoader(context).findRoutesBuilders(resource)) {
                        context.addRoutes(builder);
                        builders.computeIfAbsent(file, f -> new ArrayList<>()).add(builder);
                    }
                } catch (Exception e) {
                    problems.add(problem(file, e));
                }
                problems.addAll(unknownKeys(file));
            }
            // The routes made from templates, once every file's templates are known, as Camel Main makes them.
            builders.forEach((file, fileBuilders) -> {
                try {
                    for (RoutesBuilder builder : fileBuilders) {
                        builder.addTemplatedRoutesToCamelContext(context);
                    }
                } catch (Exception e) {
                    problems.add(problem(file, e));
                }
            });
            if (problems.isEmpty()) {
                problems.addAll(endpointProblems(context, disabledRoutes));
            }
            return new Checked(List.copyOf(files), List.copyOf(problems));
        } finally {
            context.stop(); // never started: this only frees what loading the routes made
        }
    }

    /**
     * The endpoints of the routes loaded (their {@code from} and every {@code to}), each checked with Camel's
     * catalog against its component's metadata (our components' from camel-component-maven-plugin): an unknown
     * option, with Camel's suggestion, or a value of the wrong type. A route made from a template (a receiver of
     * routes/channels.yaml) is checked with its parameters, under the template's lines.
     */
    private static List<String> endpointProblems(DefaultCamelContext context, List<String> disabledRoutes) {
        DefaultRuntimeCamelCatalog catalog = new DefaultRuntimeCamelCatalog();
        catalog.setCamelContext(context);
        List<String> problems = new ArrayList<>();
        for (RouteDefinition route : context.getRouteDefinitions()) {
            if (disabledRoutes.contains(route.getRouteId())) {
                continue;
            }
            List<Endpoint> endpoints = new ArrayList<>();
            endpoints.add(new Endpoint(route.getInput().getEndpointUri(), route.getInput(), true));
            sends(route.getOutputs(), endpoints);
            for (Endpoint endpoint : endpoints) {
                LineNumberAware at = endpoint.at();
                String where = at.getLocation() != null ? at.getLocation().replaceFirst("^file:", "") + ":"
                        + at.getLineNumber() : route.getRouteId();
                String resolved;
                try {
                    resolved = resolved(context, route, endpoint.uri());
                } catch (RuntimeException e) {
                    problems.add(where + ": route " + route.getRouteId() + ": " + e.getMessage());
                    continue;
                }
                EndpointValidationResult result = catalog.validateEndpointProperties(resolved, true,
                        endpoint.consumer(), !endpoint.consumer());
                String scheme = resolved.contains(":") ? resolved.substring(0, resolved.indexOf(':')) : resolved;
                invalid(result).forEach(p -> problems.add(where + ": route " + route.getRouteId() + ", endpoint "
                        + scheme + ": " + p));
            }
        }
        return problems;
    }

    /** The URI with its placeholders resolved; in a route made from a template, its parameters first, as Camel does. */
    private static String resolved(DefaultCamelContext context, RouteDefinition route, String uri) {
        if (route.getTemplateParameters() == null) {
            return context.resolvePropertyPlaceholders(uri);
        }
        PropertiesComponent properties = context.getPropertiesComponent();
        Properties parameters = new Properties();
        parameters.putAll(route.getTemplateParameters());
        properties.setLocalProperties(parameters);
        try {
            return context.resolvePropertyPlaceholders(uri);
        } finally {
            properties.setLocalProperties(null);
        }
    }

    /** An endpoint of a route: its URI as written, where it is written, and whether the route consumes from it. */
    private record Endpoint(String uri, LineNumberAware at, boolean consumer) {}

    private static void sends(List<ProcessorDefinition<?>> outputs, List<Endpoint> into) {
        for (ProcessorDefinition<?> p : outputs) {
            if (p instanceof SendDefinition<?> send && send.getEndpointUri() != null) {
                into.add(new Endpoint(send.getEndpointUri(), send, false));
            }
            sends(p.getOutputs(), into);
        }
    }

    /** What the catalog found wrong, one phrase each. */
    private static List<String> invalid(EndpointValidationResult r) {
        List<String> out = new ArrayList<>();
        if (r.getSyntaxError() != null) {
            out.add(r.getSyntaxError());
        }
        if (r.getUnknownComponent() != null) {
            out.add("no component named " + r.getUnknownComponent());
        }
        if (r.getIncapable() != null) {
            out.add(r.getIncapable());
        }
        if (r.getUnknown() != null) {
            new TreeSet<>(r.getUnknown()).forEach(o -> out.add("unknown option '" + o + "'"));
        }
        if (r.getRequired() != null) {
            new TreeSet<>(r.getRequired()).forEach(o -> out.add("option '" + o + "' is required"));
        }
        wrongType(out, r.getInvalidBoolean(), "true or false");
        wrongType(out, r.getInvalidInteger(), "an integer");
        wrongType(out, r.getInvalidNumber(), "a number");
        wrongType(out, r.getInvalidDuration(), "a duration (5000, 5s, 1m30s)");
        wrongType(out, r.getInvalidReference(), "a #reference to a bean");
        wrongType(out, r.getInvalidArray(), "a list");
        wrongType(out, r.getInvalidMap(), "a map");
        if (r.getInvalidEnum() != null) {
            new TreeMap<>(r.getInvalidEnum()).forEach((o, v) -> out.add("option '" + o + "': '" + v + "' is not one of "
                    + r.getEnumChoices(String.valueOf(o))));
        }
        return out;
    }

    private static void wrongType(List<String> out, Map<?, ?> invalid, String expected) {
        if (invalid != null) {
            new TreeMap<>(invalid).forEach((o, v) -> out.add("option '" + o + "': '" + v + "' is not " + expected));
        }
    }

    private static Properties asProperties(Map<String, String> values) {
        Properties p = new Properties();
        p.putAll(values);
        return p;
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
