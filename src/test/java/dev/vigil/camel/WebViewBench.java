package dev.vigil.camel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.alert.ClosedReport;
import dev.vigil.alert.Finding;
import dev.vigil.alert.Report;
import dev.vigil.alert.Severity;
import dev.vigil.alert.Source;
import dev.vigil.fim.ChangeKind;
import dev.vigil.logcheck.LogKind;
import dev.vigil.pid.PidKind;
import dev.vigil.store.Database;
import dev.vigil.store.EventLog;
import dev.vigil.store.Outbox;
import dev.vigil.store.ReportedState;

import java.sql.Connection;
import java.sql.SQLException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The web view's share of bench/ops.sh (issue 12), two steps run as separate processes around the daemon:
 * <ul>
 *   <li>{@code seed DB FINDINGS OPEN}: writes FINDINGS findings of the three sources, spread over the last 7 days,
 *   into the daemon's history through the store's own code ({@link EventLog#record}, then {@link Outbox#store} as
 *   reports with no channel, so the daemon finds nothing pooled to report again), and OPEN open file deviations
 *   ({@link ReportedState}) whose paths have findings among them.</li>
 *   <li>{@code load URL TOKEN RELOADS}: opens the page in headless Chromium (the tests' {@link Chromium}), first with
 *   the token in its address (cold: a fresh browser profile), then RELOADS more times (warm), and prints each
 *   navigation's time to a drawn page: from the navigation's start ({@code performance.timeOrigin}) to the first
 *   animation frame after the page's four loaders (open deviations, chart, status, events) have all settled, which
 *   the page shows by replacing "loading…" with "updated …". A load where a loader failed, or that drew no chart bar,
 *   no event or no open deviation, is an error rather than a figure.</li>
 * </ul>
 */
public final class WebViewBench {

    /** Findings written per report: one transaction each. */
    private static final int PER_REPORT = 1000;

    /**
     * Run before each document's own scripts: notes when "updated" first appears in {@code #updated}, then the
     * animation frame after it, as milliseconds since the navigation started.
     */
    private static final String DRAWN_PROBE = """
            new MutationObserver((changes, observer) => {
              const u = document.getElementById('updated');
              if (u && u.textContent.startsWith('updated')) {
                observer.disconnect();
                requestAnimationFrame(() => { window.vigilBenchDrawn = performance.now(); });
              }
            }).observe(document, { subtree: true, childList: true, characterData: true });
            """;

    private WebViewBench() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "seed" -> seed(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "load" -> load(args[1], args[2], Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException("seed DB FINDINGS OPEN | load URL TOKEN RELOADS");
        }
    }

    private static void seed(Path file, int count, int open) throws SQLException {
        Database db = Database.open(file);
        // Held open while seeding: the store opens a connection per statement, and SQLite checkpoints the WAL into
        // the database (with an fsync) whenever its last connection closes; with this one open, once per 1,000 pages.
        try (Connection held = db.connect()) {
            seed(db, count, open);
        }
        System.out.println("seeded " + count + " findings and " + open + " open deviations into " + file);
    }

    private static void seed(Database db, int count, int open) {
        EventLog events = new EventLog(db);
        Outbox outbox = new Outbox(db);
        Instant now = Instant.now();
        Duration step = Duration.ofDays(7).minusHours(1).dividedBy(Math.max(count, 1));
        ChangeKind[] changes = ChangeKind.values();
        LogKind[] logKinds = LogKind.values();
        PidKind[] pidKinds = PidKind.values();
        Map<Source, List<Finding>> batches = new EnumMap<>(Source.class);
        Map<Source, List<Long>> ids = new EnumMap<>(Source.class);
        for (int i = 0; i < count; i++) {
            Instant time = now.minus(step.multipliedBy(count - i));
            Finding f = switch (i % 10) {
                case 0, 1, 2, 3, 4, 5 -> new Finding(Source.FILES, changes[i % changes.length].name(),
                        "/srv/bench/area" + (i % 50) + "/file" + (i % open), "bench", time, Severity.WARNING,
                        Map.of("comm", "sh", "exe", "/usr/bin/dash", "user", "root", "pid", 1000 + i % 30000));
                case 6, 7, 8 -> new Finding(Source.LOGS, logKinds[i % 3].name(),
                        "Dec  4 10:00:00 bench sshd[" + i + "]: Failed password for invalid user u" + i + " from 10.0.0." + (i % 250),
                        "bench", time, logKinds[i % 3].severity(), Map.of("file", "/var/log/auth.log"));
                default -> new Finding(Source.PIDS, pidKinds[i % 4].name(), "/run/bench" + (i % 20) + ".pid",
                        "bench", time, Severity.WARNING, Map.of());
            };
            batches.computeIfAbsent(f.source(), s -> new ArrayList<>()).add(f);
            ids.computeIfAbsent(f.source(), s -> new ArrayList<>()).add(events.record(f));
            if (batches.get(f.source()).size() == PER_REPORT) {
                store(outbox, f.source(), batches.remove(f.source()), ids.remove(f.source()), now);
            }
        }
        batches.forEach((source, batch) -> store(outbox, source, batch, ids.get(source), now));
        try (Connection c = db.connect();
             java.sql.PreparedStatement remember = c.prepareStatement("INSERT INTO reported(path, fingerprint) VALUES (?, 'seeded')")) {
            for (int i = 0; i < open; i++) {
                remember.setBytes(1, ("/srv/bench/area" + (i % 50) + "/file" + i).getBytes(StandardCharsets.UTF_8));
                remember.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The findings as one report delivered to no channel: their rows are no longer pooled, as after a report. */
    private static void store(Outbox outbox, Source source, List<Finding> findings, List<Long> ids, Instant now) {
        outbox.store(new ClosedReport(Report.of(source, findings, now), ids), List.of(), now);
    }

    private static void load(String url, String token, int reloads) throws Exception {
        try (Chromium browser = Chromium.start()) {
            browser.viewport(1280, 900, false);
            browser.beforeEachDocument(DRAWN_PROBE);
            double[] warm = new double[reloads];
            System.out.printf("cold %.0f%n", drawn(browser, url + "/#token=" + token));
            for (int i = 0; i < reloads; i++) {
                warm[i] = drawn(browser, url + "/");
            }
            Arrays.sort(warm);
            System.out.printf("warm %.0f%n", warm[reloads / 2]);
            System.out.println("warm-all " + Arrays.stream(warm).mapToObj(ms -> String.format("%.0f", ms)).toList());
        }
    }

    /** Milliseconds from navigation start to the page drawn with what the page shows checked. */
    private static double drawn(Chromium browser, String url) throws Exception {
        browser.navigate(url);
        browser.awaitTrue("the page drawn", "window.vigilBenchDrawn !== undefined");
        JsonNode page = browser.evaluate("({ drawn: window.vigilBenchDrawn,"
                + " problem: document.getElementById('problem').hidden ? '' : document.getElementById('problem').textContent,"
                + " events: document.querySelectorAll('#events li.row').length,"
                + " open: document.querySelectorAll('#open li.row').length,"
                + " bars: document.querySelectorAll('#chart rect.bar').length })");
        if (!page.get("problem").asText().isEmpty() || page.get("events").asInt() == 0 || page.get("open").asInt() == 0
                || page.get("bars").asInt() == 0) {
            throw new IllegalStateException("the page did not draw what it should: " + page);
        }
        return page.get("drawn").asDouble();
    }
}
