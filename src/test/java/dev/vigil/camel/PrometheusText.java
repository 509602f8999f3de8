package dev.vigil.camel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for the tests of /metrics: every line is a
 * HELP, a TYPE or a sample; names and label names are valid; label values are quoted with only the allowed
 * escapes; every sample belongs to the metric family whose TYPE came before it, with the suffixes its type
 * allows (a histogram's {@code _bucket} with an {@code le} label, {@code _count}, {@code _sum}); values are
 * numbers, {@code NaN} or {@code ±Inf}. Written for the tests because the Prometheus Java client ships writers of
 * the format, not a parser; any violation is an {@link AssertionError} naming the line.
 */
final class PrometheusText {

    record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) (" + NAME.pattern() + ") ?(.*)");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private final Map<String, String> types = new HashMap<>();
    private final List<Sample> samples = new ArrayList<>();

    private PrometheusText() {
    }

    static PrometheusText parse(String text) {
        PrometheusText parsed = new PrometheusText();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            try {
                parsed.line(line);
            } catch (RuntimeException e) {
                throw new AssertionError("line " + n + ": " + e.getMessage() + ": " + line, e);
            }
        }
        if (!text.endsWith("\n")) {
            throw new AssertionError("the exposition does not end with a line feed");
        }
        return parsed;
    }

    private void line(String line) {
        if (line.startsWith("#")) {
            Matcher m = COMMENT.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a HELP or TYPE line");
            }
            if (m.group(1).equals("TYPE")) {
                if (!TYPES.contains(m.group(3))) {
                    throw new IllegalArgumentException("unknown type " + m.group(3));
                }
                if (types.put(m.group(2), m.group(3)) != null) {
                    throw new IllegalArgumentException("a second TYPE for " + m.group(2));
                }
            }
            return;
        }
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid metric name " + name);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i = labels(line, i + 1, labels);
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new IllegalArgumentException("no value");
        }
        String[] rest = line.substring(i + 1).split(" ");
        if (rest.length > 2) {
            throw new IllegalArgumentException("more than a value and a timestamp");
        }
        double value = value(rest[0]);
        if (rest.length == 2) {
            Long.parseLong(rest[1]);
        }
        family(name, labels);
        samples.add(new Sample(name, labels, value));
    }

    private static int labels(String line, int i, Map<String, String> labels) {
        while (line.charAt(i) != '}') {
            int eq = line.indexOf('=', i);
            String label = line.substring(i, eq);
            if (!LABEL_NAME.matcher(label).matches() || line.charAt(eq + 1) != '"') {
                throw new IllegalArgumentException("invalid label " + label);
            }
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            for (char c = line.charAt(j); c != '"'; c = line.charAt(++j)) {
                if (c == '\\') {
                    char escaped = line.charAt(++j);
                    value.append(switch (escaped) {
                        case '\\' -> '\\';
                        case '"' -> '"';
                        case 'n' -> '\n';
                        default -> throw new IllegalArgumentException("invalid escape \\" + escaped);
                    });
                } else {
                    value.append(c);
                }
            }
            if (labels.put(label, value.toString()) != null) {
                throw new IllegalArgumentException("label " + label + " twice");
            }
            i = j + 1;
            if (line.charAt(i) == ',') {
                i++;
            }
        }
        return i + 1;
    }

    private static double value(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    /** Checks that the sample belongs to a family declared before it, as its type allows. */
    private void family(String name, Map<String, String> labels) {
        if (types.containsKey(name) && !types.get(name).equals("histogram") && !types.get(name).equals("summary")) {
            return;
        }
        for (String suffix : List.of("_bucket", "_count", "_sum")) {
            if (name.endsWith(suffix)) {
                String family = name.substring(0, name.length() - suffix.length());
                String type = types.get(family);
                if ("histogram".equals(type) || "summary".equals(type) && !suffix.equals("_bucket")) {
                    if (suffix.equals("_bucket") && !labels.containsKey("le")) {
                        throw new IllegalArgumentException("a bucket without le");
                    }
                    return;
                }
            }
        }
        if ("summary".equals(types.get(name)) && labels.containsKey("quantile")) {
            return;
        }
        throw new IllegalArgumentException("no TYPE declared before the sample " + name);
    }

    String type(String family) {
        return types.get(family);
    }

    /** The sum of the samples named {@code name} whose labels include {@code labels}. */
    double value(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value).sum();
    }

    boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }
}
