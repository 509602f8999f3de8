package dev.vigil.camel.http;

import dev.vigil.alert.Finding;
import dev.vigil.alert.Json;
import dev.vigil.alert.Source;
import dev.vigil.camel.Beans;
import dev.vigil.camel.Settings;
import dev.vigil.camel.status.StatusModel;
import dev.vigil.config.Durations;
import dev.vigil.config.Key;
import dev.vigil.config.Sizes;
import dev.vigil.store.DaemonStatus;
import dev.vigil.store.Database;
import dev.vigil.store.EventLog;
import dev.vigil.store.FleetStore;
import dev.vigil.store.OpenDeviations;
import dev.vigil.store.StoreException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The bean behind the web view's JSON endpoints (the {@code web-*} routes of routes/web.yaml): each method reads
 * its query parameters, asks the store (or the daemon's status model) and answers one JSON object. A parameter the method cannot take is a 400
 * whose message names it, its value and what is allowed. Subjects, log lines and process names are sent as the
 * store has them; the page inserts them as text, never as markup.
 */
public final class WebView {

    /** The registry name the routes call. */
    public static final String BEAN = "webView";
    /** The routes that serve the web view's data: {@code web-*}, left out when no HTTP server runs. */
    public static final String ROUTES = "web-*";
    /** The most findings (and open deviations of each source) one answer lists. */
    static final int MAX_PAGE = 500;
    /** How many findings an answer lists when the request does not say. */
    static final int DEFAULT_PAGE = 100;
    /** The longest chart window, in days, of hourly counts. */
    static final int MAX_DAYS = 31;
    private static final int MAX_TEXT = 4096;

    private final Database db;
    private final InstantSource clock;

    public WebView(Database db, InstantSource clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Binds the bean the web routes call and serves the page, on the server {@link LocalHttpServer#install} added. */
    public static void install(CamelContext context) throws Exception {
        context.getRegistry().bind(BEAN, new WebView(Beans.database(context), InstantSource.system()));
        WebPage.install(context);
    }

    /** The route filter's share of the web view: its routes while {@code vigil.http.port} is empty, else none. */
    public static List<String> disabledRoutes(UnaryOperator<String> config) {
        String port = config.apply(Key.HTTP_PORT.key());
        return port == null || port.isBlank() ? List.of(ROUTES) : List.of();
    }

    /** {@code GET /api/open}: the open deviations, at most {@value #MAX_PAGE} of each source, and how many in all. */
    public void open(Exchange exchange) {
        answer(exchange, () -> {
            OpenDeviations.Page page = new OpenDeviations(db).list(MAX_PAGE);
            List<Map<String, Object>> open = new ArrayList<>();
            for (OpenDeviations.Open o : page.open()) {
                Map<String, Object> row = o.finding() == null ? new LinkedHashMap<>() : finding(o.finding());
                row.put("source", o.source().text());
                row.put("subject", o.subject());
                row.put("kind", o.kind());
                open.add(row);
            }
            return Map.of("total", page.total(), "open", open);
        });
    }

    /**
     * {@code GET /api/findings/hourly?days=7}: findings per source and hour over the last {@code days} days (1 to
     * {@value #MAX_DAYS}), the current hour last: {@code from} (the first hour's start) and one count per hour
     * for each source, zeros included, so the page draws without filling gaps.
     */
    public void hourly(Exchange exchange) {
        answer(exchange, () -> {
            int days = number(exchange.getMessage(), "days", 7, 1, MAX_DAYS);
            int hours = days * 24;
            Instant from = clock.instant().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(hours - 1L));
            Map<String, long[]> counts = new TreeMap<>();
            for (Source s : EventLog.KINDS.keySet()) {
                counts.put(s.text(), new long[hours]);
            }
            for (EventLog.HourlyCount c : new EventLog(db).hourlyCounts(from)) {
                int hour = (int) Duration.between(from, c.hour()).toHours();
                long[] series = counts.get(c.source().text());
                if (series != null && hour >= 0 && hour < hours) {
                    series[hour] += c.count();
                }
            }
            return Map.of("from", from.toString(), "hours", hours, "sources", counts);
        });
    }

    /**
     * {@code GET /api/events}: the newest findings matching {@code source}, {@code kind} (comma-separated),
     * {@code path} (a glob over the subject; text without {@code * ? [} matches anywhere in it), {@code process}
     * (the command name or executable a file finding names), {@code since} and {@code until} (an ISO instant, or an
     * age: 30m, 24h, 7d), at most {@code limit} (1 to {@value #MAX_PAGE}, default {@value #DEFAULT_PAGE}), newest
     * first; {@code more} says whether older ones match too. Also the kinds each source has, for the filter.
     */
    public void events(Exchange exchange) {
        answer(exchange, () -> {
            Message in = exchange.getMessage();
            Source source = source(text(in, "source"));
            List<String> kinds = kinds(text(in, "kind"), source);
            String path = glob(text(in, "path"));
            String process = text(in, "process");
            Instant since = time(in, "since");
            Instant until = time(in, "until");
            int limit = number(in, "limit", DEFAULT_PAGE, 1, MAX_PAGE);
            List<Finding> found = new EventLog(db).newest(new EventLog.Query(since, until, source, kinds, path, process), limit + 1);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("events", found.stream().limit(limit).map(WebView::finding).toList());
            out.put("more", found.size() > limit);
            out.put("kinds", kindsBySource());
            return out;
        });
    }

    /**
     * {@code GET /api/status}: the daemon's status model as {@code vigil status} tells it: the daemon (pid,
     * version, since when, healthy or degraded), each source route (running, what fails, its facts) and each
     * channel of the outbox (backlog, given up, last delivery, what fails).
     */
    public void status(Exchange exchange) {
        answer(exchange, () -> {
            DaemonStatus status = StatusModel.of(exchange.getContext()).current();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("pid", status.pid());
            out.put("version", status.version());
            out.put("started", status.started());
            out.put("health", status.health().name());
            out.put("sources", status.sources());
            out.put("channels", status.channels());
            return out;
        });
    }

    /**
     * {@code GET /api/hosts}, on a collector: the fleet's hosts, silent ones first, at most {@value #MAX_PAGE} (each's
     * last heartbeat, file check mode, and the bytes of its findings stored against {@code vigil.collect.hostMaxBytes}),
     * and how many in all. {@code vigil hosts} lists them all, with their open deviations, which take a scan of each
     * host's findings: too much for a page that asks every 30 s. A daemon has no fleet store: a 404.
     */
    public void hosts(Exchange exchange) {
        CamelContext context = exchange.getContext();
        DataSource fleet = Beans.fleetStore(context).orElse(null);
        if (fleet == null) {
            WebPage.answer(exchange.getMessage(), 404, "application/json; charset=utf-8",
                    Json.write(Map.of("error", "no fleet store here: /api/hosts answers on a collector (vigil collect)")));
            return;
        }
        answer(exchange, () -> {
            FleetStore.HostPage page = new FleetStore(fleet).hostPage(MAX_PAGE);
            List<Map<String, Object>> hosts = new ArrayList<>();
            for (FleetStore.Beating h : page.hosts()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", h.name());
                row.put("lastHeartbeat", h.lastHeartbeat().toString());
                row.put("silent", h.silent());
                row.put("mode", h.mode());
                row.put("storedBytes", h.storedBytes());
                hosts.add(row);
            }
            return Map.of("total", page.total(),
                    "hostMaxBytes", Sizes.bytes(Settings.value(context, Key.COLLECT_HOST_MAX_BYTES)), "hosts", hosts);
        });
    }

    /** A finding as the page shows it: the process a file finding names comes out of its details. */
    private static Map<String, Object> finding(Finding f) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("time", f.time().toString());
        row.put("source", f.source().text());
        row.put("kind", f.kind());
        row.put("severity", f.severity().name());
        row.put("subject", f.subject());
        row.put("host", f.host());
        Object comm = f.details().get("comm");
        Object exe = f.details().get("exe");
        if (comm != null || exe != null) {
            row.put("process", comm != null ? comm : exe);
        }
        if (f.details().get("user") != null) {
            row.put("user", f.details().get("user"));
        }
        return row;
    }

    private static Map<String, List<String>> kindsBySource() {
        Map<String, List<String>> kinds = new TreeMap<>();
        EventLog.KINDS.forEach((source, list) -> kinds.put(source.text(), list.stream().sorted().toList()));
        return kinds;
    }

    /**
     * What an answer is made of; an {@link IllegalArgumentException} is the client's mistake (a 400), a
     * {@link StoreException} the store's (a 500: a collector's fleet store not made yet, or out of reach).
     */
    private interface Answer {
        Object make();
    }

    /** Answers with what {@code answer} makes, as JSON ({@link WebPage#answer}), or a 400 naming the client's mistake. */
    private static void answer(Exchange exchange, Answer answer) {
        Object body;
        int status = 200;
        try {
            body = answer.make();
        } catch (IllegalArgumentException badRequest) {
            body = Map.of("error", badRequest.getMessage());
            status = 400;
        } catch (StoreException failed) {
            // answered as the others, not by platform-http, which sends the request's headers back with its 500
            body = Map.of("error", failed.getMessage());
            status = 500;
        }
        WebPage.answer(exchange.getMessage(), status, "application/json; charset=utf-8", Json.write(body));
    }

    private static String text(Message in, String name) {
        String value = in.getHeader(name, String.class);
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_TEXT) {
            throw new IllegalArgumentException("parameter " + name + " is longer than " + MAX_TEXT + " characters");
        }
        return value.strip();
    }

    private static int number(Message in, String name, int fallback, int min, int max) {
        String value = text(in, name);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException notANumber) {
            // refused below, with what is allowed
        }
        throw new IllegalArgumentException("parameter " + name + "=" + value + " is not a whole number from " + min + " to " + max);
    }

    private static Source source(String value) {
        if (value == null) {
            return null;
        }
        return EventLog.KINDS.keySet().stream().filter(s -> s.text().equals(value.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("parameter source=" + value + " is not a source: files, logs or pids"));
    }

    /** The kinds asked for, each one a kind of {@code source} (of any source when none is given). */
    private static List<String> kinds(String value, Source source) {
        if (value == null) {
            return null;
        }
        List<String> known = source == null ? EventLog.KINDS.values().stream().flatMap(List::stream).toList()
                : EventLog.KINDS.get(source);
        List<String> kinds = new ArrayList<>();
        for (String kind : value.split(",")) {
            String k = kind.strip().toUpperCase(Locale.ROOT);
            if (!known.contains(k)) {
                throw new IllegalArgumentException("parameter kind=" + kind.strip() + " is not a kind of "
                        + (source == null ? "finding" : source.text()) + ": " + String.join(", ", known.stream().sorted().toList()));
            }
            kinds.add(k);
        }
        return kinds;
    }

    /** A glob over subjects; plain text is looked for anywhere in the subject. */
    private static String glob(String value) {
        if (value == null) {
            return null;
        }
        return value.matches(".*[*?\\[].*") ? value : "*" + value + "*";
    }

    /** An ISO instant, or an age back from now. */
    private Instant time(Message in, String name) {
        String value = text(in, name);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return clock.instant().minusMillis(Durations.millis(value));
            } catch (IllegalArgumentException | ArithmeticException notAnAge) {
                throw new IllegalArgumentException("parameter " + name + "=" + value + " is not a time: an ISO instant"
                        + " (2026-12-01T10:00:00Z) or an age (30m, 24h, 7d)");
            }
        }
    }
}
