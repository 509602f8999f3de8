package dev.vigil.camel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.Await;
import dev.vigil.alert.Json;
import dev.vigil.store.OpenDeviations;
import org.apache.camel.main.Main;
import org.apache.camel.support.ScheduledPollConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web view of a running daemon that has findings (files changed in its watched tree, log lines, a PID file
 * gone), in a real headless Chromium: what a person sees, on a desktop and on a phone. Screenshots are kept in
 * target/web-view.png and target/web-view-phone.png for review.
 */
class WebViewTest {

    private static final String TOKEN = "web-view-token";
    /** A log line that is markup: the page must show it as text. */
    private static final String HOSTILE_LINE = "Nov 22 01:00:01 web app[2]: <img src=x id=injected onerror=alert(1)> & more";
    /** A file name that a right-to-left override makes read as "reportexe.pdf": the page shows the override as an escape. */
    private static final String DISGUISED_NAME = "report\u202efdp.exe";

    @RegisterExtension
    final TestDaemon daemon = new TestDaemon();

    @Test
    void thePageShowsOpenDeviationsAChartOfFindingsByTheirSourcesAndAListTheFilterNarrows() throws Exception {
        Findings made = daemonWithFindings();

        try (Chromium browser = Chromium.start()) {
            browser.viewport(1280, 900, false);
            browser.navigate(made.url() + "/");
            browser.awaitTrue("the page asking for its token", "!document.getElementById('problem').hidden");
            String asked = browser.evaluate("document.getElementById('problem').textContent").asText();
            assertTrue(asked.contains(made.url() + "/#token=TOKEN"), asked);

            browser.navigate(made.url() + "/#token=" + TOKEN);
            browser.awaitTrue("the open deviations listed", "document.querySelectorAll('#open li.row').length >= 3");

            String open = browser.evaluate("document.getElementById('open').innerText").asText();
            assertTrue(open.contains(made.modified().toString()), open);
            assertTrue(open.contains(made.added().toString()), open);
            assertTrue(open.contains(made.pidFile().toString()), open);
            assertTrue(open.contains(made.added().resolveSibling("report\\u202efdp.exe").toString()), open);
            assertFalse(open.contains("\u202e"), "no right-to-left override reaches the page: " + open);
            assertTrue(open.contains("MODIFIED") && open.contains("ADDED") && open.contains("MISSING"), open);
            assertEquals("", browser.evaluate("location.hash").asText(), "the token is taken out of the address bar");

            browser.awaitTrue("the chart drawn", "document.querySelectorAll('#chart rect.bar').length > 0");
            for (String source : List.of("files", "logs", "pids")) {
                assertTrue(browser.evaluate("document.querySelectorAll('#chart rect.bar[data-source=" + source + "]').length").asInt() > 0,
                        "the chart has a mark for the " + source + " findings");
            }

            browser.awaitTrue("the events listed", "document.querySelectorAll('#events li.row').length >= 4");
            String events = browser.evaluate("document.getElementById('events').innerText").asText();
            assertTrue(events.contains(HOSTILE_LINE), "a log line is shown as the text it is: " + events);
            assertTrue(browser.evaluate("document.getElementById('injected') === null && document.querySelectorAll('main img').length === 0")
                    .asBoolean(), "text from the store never becomes markup");
            assertTrue(browser.evaluate("document.querySelectorAll('#outbox tbody tr[data-channel]').length").asInt() > 0,
                    "the outbox lists the channels");
            browser.awaitTrue("each source's status", "document.querySelectorAll('#sources .card').length >= 3");
            for (String route : List.of("files-check", "files-watch", "logs-check", "pids-check")) {
                String card = browser.evaluate("document.querySelector('#sources .card[data-route=" + route + "]').innerText").asText();
                assertTrue(card.contains("running"), card);
            }
            String logs = browser.evaluate("document.querySelector('#sources .card[data-route=logs-check]').innerText").asText();
            assertTrue(logs.contains(made.log().toString()), "the log file followed: " + logs);
            assertTrue(browser.evaluate("document.getElementById('daemon').textContent").asText().contains("healthy"));
            browser.evaluate("(() => { document.getElementById('updated').textContent = ''; refresh(); })()");
            browser.awaitTrue("a refresh settled", "document.getElementById('updated').textContent !== ''");
            assertTrue(browser.evaluate("document.getElementById('hosts-section').hidden && document.getElementById('problem').hidden")
                    .asBoolean(), "a daemon's page has no hosts, and its 404 for them is no problem");

            browser.click("#f-path");
            browser.type(made.added().getFileName().toString());
            browser.click("#f-apply");
            browser.awaitTrue("the list narrowed to the added file",
                    "[...document.querySelectorAll('#events li.row .subject')].map(e => e.textContent).join('|') === "
                            + Json.write(made.added().toString()));

            browser.evaluate("(() => { const s = document.getElementById('f-path'); s.value = ''; })()");
            browser.evaluate("(() => { const s = document.getElementById('f-source'); s.value = 'logs';"
                    + " s.dispatchEvent(new Event('change')); })()");
            browser.click("#f-apply");
            browser.awaitTrue("the list narrowed to log findings", "(() => { const rows = [...document.querySelectorAll('#events li.row')];"
                    + " return rows.length >= 2 && rows.every(r => r.dataset.source === 'logs'); })()");
            browser.screenshot(Path.of("target/web-view.png"));

            browser.viewport(390, 844, true);
            browser.navigate(made.url() + "/");
            browser.awaitTrue("the page on a phone", "document.querySelectorAll('#open li.row').length >= 3"
                    + " && document.querySelectorAll('#chart rect.bar').length > 0");
            assertTrue(browser.evaluate("document.documentElement.scrollWidth <= window.innerWidth").asBoolean(),
                    "nothing wider than a phone's screen: " + browser.evaluate("document.documentElement.scrollWidth").asInt());
            assertTrue(browser.evaluate("document.getElementById('chart').getBoundingClientRect().width <= window.innerWidth").asBoolean());
            browser.screenshot(Path.of("target/web-view-phone.png"));
        }
    }

    @Test
    void thePageLoadsWithoutTheTokenAndItsDataOnlyWithIt() throws Exception {
        Files.createDirectories(daemon.dir.resolve("watched"));
        int port = LocalHttpServerTest.freePort();
        daemon.start(Map.of("vigil.http.port", String.valueOf(port), "vigil.http.token", TOKEN));

        HttpResponse<String> page = LocalHttpServerTest.get(port, "/", null);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<script src=\"vigil.js\""), page.body());
        String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"), policy);
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals(200, LocalHttpServerTest.get(port, "/vigil.js", null).statusCode());

        assertEquals(401, LocalHttpServerTest.get(port, "/api/open", null).statusCode());
        HttpResponse<String> open = LocalHttpServerTest.get(port, "/api/open", "Bearer " + TOKEN);
        assertEquals(200, open.statusCode());
        assertEquals("application/json; charset=utf-8", open.headers().firstValue("Content-Type").orElse(""));
        assertEquals("nosniff", open.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals(0, Json.read(open.body(), JsonNode.class).get("total").asInt());
        HttpResponse<String> hosts = LocalHttpServerTest.get(port, "/api/hosts", "Bearer " + TOKEN);
        assertEquals(404, hosts.statusCode(), "a daemon has no fleet store");
        assertEquals("no fleet store here: /api/hosts answers on a collector (vigil collect)",
                Json.read(hosts.body(), JsonNode.class).get("error").asText());
    }

    @Test
    void aFilterTheEventsCannotTakeIsRefusedNamingItAndWhatIsAllowed() throws Exception {
        Files.createDirectories(daemon.dir.resolve("watched"));
        int port = LocalHttpServerTest.freePort();
        daemon.start(Map.of("vigil.http.port", String.valueOf(port), "vigil.http.token", TOKEN));

        assertRefused(port, "/api/events?source=disk", "parameter source=disk is not a source: files, logs or pids");
        assertRefused(port, "/api/events?source=logs&kind=MODIFIED", "parameter kind=MODIFIED is not a kind of logs: ROTATED,"
                + " SECURITY_ALERT, SECURITY_EVENT, SYSTEM_EVENT, UNLISTED");
        assertRefused(port, "/api/events?limit=100000", "parameter limit=100000 is not a whole number from 1 to 500");
        assertRefused(port, "/api/events?since=yesterday", "parameter since=yesterday is not a time: an ISO instant"
                + " (2026-12-01T10:00:00Z) or an age (30m, 24h, 7d)");
        assertRefused(port, "/api/findings/hourly?days=0", "parameter days=0 is not a whole number from 1 to 31");
        HttpResponse<String> fine = LocalHttpServerTest.get(port, "/api/events?source=files&kind=added,modified&since=24h&limit=5",
                "Bearer " + TOKEN);
        assertEquals(200, fine.statusCode(), fine.body());
        assertFalse(fine.headers().firstValue("source").isPresent(), "query parameters are not echoed as response headers");
    }

    private static void assertRefused(int port, String path, String message) throws Exception {
        HttpResponse<String> response = LocalHttpServerTest.get(port, path, "Bearer " + TOKEN);
        assertEquals(400, response.statusCode(), path);
        assertEquals(message, Json.read(response.body(), JsonNode.class).get("error").asText(), path);
    }

    /** What {@link #daemonWithFindings} changed, and where its page is. */
    private record Findings(String url, Path modified, Path added, Path pidFile, Path log) {
    }

    /**
     * A daemon serving its web view with the token, whose watch has seen a file modified and one added, whose log
     * tail has classified two lines, and whose PID check misses a PID file; the reports of all three are in the
     * outbox.
     */
    private Findings daemonWithFindings() throws Exception {
        Path watched = Files.createDirectories(daemon.dir.resolve("watched"));
        Path hosts = Files.writeString(watched.resolve("hosts"), "127.0.0.1 localhost\n");
        Path log = Files.createDirectories(daemon.dir.resolve("logs")).resolve("syslog");
        Files.writeString(log, "");
        Path pidFile = daemon.dir.resolve("run/app.pid");
        int port = LocalHttpServerTest.freePort();
        Main main = daemon.start(Map.of("vigil.http.port", String.valueOf(port), "vigil.http.token", TOKEN,
                "vigil.pids.files", pidFile.toString(), "vigil.pids.interval", "1s"));
        Await.until("the scheduled check's first run", () -> ((ScheduledPollConsumer) main.getCamelContext()
                .getRoute("files-check").getConsumer()).getSuccessCounter() >= 1);
        TestDaemon.awaitFollowing(main, log);

        Path added = watched.resolve("cron-job");
        run(watched, "sh", "-c", "echo '10.0.0.66 evil' >> hosts && echo '* * * * * root sh' > cron-job");
        Files.writeString(watched.resolve(DISGUISED_NAME), "%PDF-1.7\n");
        Files.writeString(log, "Nov 22 01:00:00 web app[1]: the disk controller reset\n" + HOSTILE_LINE + "\n",
                StandardOpenOption.APPEND);
        OpenDeviations open = new OpenDeviations(Beans.database(main.getCamelContext()));
        Await.until("the file deviations and the PID problem open", () -> open.list(10).total() >= 4);
        Await.until("both log lines recorded", () -> TestDaemon.subjects(new dev.vigil.store.EventLog(
                Beans.database(main.getCamelContext()))).contains(HOSTILE_LINE));
        daemon.advance(Duration.ofMinutes(5));
        Await.until("reports in the outbox", () -> TestDaemon.outbox(main).list(false, 100).stream()
                .map(d -> d.report().source()).distinct().count() == 3);
        return new Findings("http://127.0.0.1:" + port, hosts, added, pidFile, log);
    }

    private static void run(Path cwd, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).inheritIO().start();
        assertEquals(0, p.waitFor(), String.join(" ", command));
    }
}
