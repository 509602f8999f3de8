package dev.vigil.camel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.Await;
import dev.vigil.alert.Json;
import org.apache.camel.util.FileUtil;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A headless Chromium (Debian's {@code chromium}) driven over the DevTools protocol, for tests of the web view in a
 * real browser: one page, loaded, evaluated, clicked, typed into and photographed. Written here because the JDK's
 * WebSocket client is all the protocol needs; a browser-automation library (Selenium, Playwright) would bring a
 * driver binary or a browser download of its own. The commands used are the protocol's stable ones.
 */
final class Chromium implements AutoCloseable {

    /** Longest wait for one protocol answer: guards against a hung browser, measures nothing. */
    private static final long ANSWER_SECONDS = 60;

    private final Path profile;
    private final Process process;
    private final WebSocket socket;
    private final String session;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();

    /** Starts a browser with a fresh profile and opens one blank page; the test is skipped where there is no chromium. */
    static Chromium start() throws Exception {
        Path executable = executable();
        Assumptions.assumeTrue(executable != null, "the web view's browser test needs Debian's chromium package "
                + "(apt-get install chromium; .ci/run installs it)");
        return new Chromium(executable);
    }

    private static Path executable() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "chromium");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private Chromium(Path executable) throws Exception {
        profile = Files.createTempDirectory("vigil-chromium");
        // --no-sandbox: the tests run as root, where Chromium's sandbox refuses to start.
        process = new ProcessBuilder(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--hide-scrollbars", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolveSibling(profile.getFileName() + ".log").toFile())
                .start();
        Path activePort = profile.resolve("DevToolsActivePort");
        Await.until("Chromium's DevToolsActivePort file", () -> !process.isAlive() || lines(activePort).size() >= 2);
        if (!process.isAlive()) {
            throw new IllegalStateException("chromium ended at start with status " + process.exitValue());
        }
        List<String> port = lines(activePort);
        socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port.get(0).strip() + port.get(1).strip()), new Answers())
                .get(ANSWER_SECONDS, TimeUnit.SECONDS);
        String target = send(null, "Target.createTarget", Map.of("url", "about:blank")).get("targetId").asText();
        session = send(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true)).get("sessionId").asText();
        command("Page.enable", Map.of());
        command("Runtime.enable", Map.of());
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException notYet) {
            return List.of();
        }
    }

    /** The page at {@code width} x {@code height} CSS pixels; {@code mobile} as a phone shows it (viewport meta, touch). */
    void viewport(int width, int height, boolean mobile) throws Exception {
        command("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1,
                "mobile", mobile));
    }

    /** Runs {@code script} in every document this page loads from now on, before the document's own scripts. */
    void beforeEachDocument(String script) throws Exception {
        command("Page.addScriptToEvaluateOnNewDocument", Map.of("source", script));
    }

    void navigate(String url) throws Exception {
        command("Page.navigate", Map.of("url", url));
    }

    /** The value of a JavaScript expression in the page (a promise awaited), as JSON. */
    JsonNode evaluate(String expression) throws Exception {
        JsonNode result = command("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                "awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("the page threw on " + expression + ": " + result.get("exceptionDetails"));
        }
        JsonNode value = result.get("result").get("value");
        return value == null ? Json.mapper().nullNode() : value;
    }

    /** Waits until the expression is true in the page (a page being loaded counts as false). */
    void awaitTrue(String what, String expression) throws InterruptedException {
        Await.until(what, () -> {
            try {
                return evaluate("Boolean(" + expression + ")").asBoolean();
            } catch (Exception pageChanging) {
                return false;
            }
        });
    }

    /** A click in the middle of the element {@code selector} finds, as a mouse makes it. */
    void click(String selector) throws Exception {
        JsonNode box = evaluate("(() => { const e = document.querySelector(" + Json.write(selector) + ");"
                + " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                + " return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()");
        for (String type : List.of("mousePressed", "mouseReleased")) {
            command("Input.dispatchMouseEvent", Map.of("type", type, "x", box.get("x").asDouble(), "y", box.get("y").asDouble(),
                    "button", "left", "clickCount", 1));
        }
    }

    /** Types {@code text} into the element that has the focus, as a keyboard does. */
    void type(String text) throws Exception {
        command("Input.insertText", Map.of("text", text));
    }

    /** A PNG of the whole page, however long, at the viewport's width. */
    void screenshot(Path png) throws Exception {
        String data = command("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true))
                .get("data").asText();
        Files.createDirectories(png.getParent());
        Files.write(png, Base64.getDecoder().decode(data));
    }

    private JsonNode command(String method, Map<String, Object> params) throws Exception {
        return send(session, method, params);
    }

    private JsonNode send(String sessionId, String method, Map<String, Object> params) throws Exception {
        long id = ids.incrementAndGet();
        ObjectNode message = Json.mapper().createObjectNode().put("id", id).put("method", method);
        message.set("params", Json.mapper().valueToTree(params));
        if (sessionId != null) {
            message.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        answers.put(id, answer);
        socket.sendText(Json.write(message), true).get(ANSWER_SECONDS, TimeUnit.SECONDS);
        JsonNode reply = answer.get(ANSWER_SECONDS, TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new IllegalStateException(method + " failed: " + reply.get("error"));
        }
        return reply.get("result");
    }

    /** Hands each answer to the command waiting for it; events are not needed and dropped. */
    private final class Answers implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence part, boolean last) {
            text.append(part);
            if (last) {
                JsonNode message = Json.read(text.toString(), JsonNode.class);
                text.setLength(0);
                if (message.has("id")) {
                    CompletableFuture<JsonNode> answer = answers.remove(message.get("id").asLong());
                    if (answer != null) {
                        answer.complete(message);
                    }
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            answers.values().forEach(a -> a.completeExceptionally(error));
        }
    }

    @Override
    public void close() throws Exception {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(ANSWER_SECONDS, TimeUnit.SECONDS);
        } finally {
            // Chromium's helpers (zygote, renderers, crashpad) outlive the browser process for a moment and write
            // into the profile: they end first, or the profile's removal races them and the directory stays.
            List<ProcessHandle> helpers = process.descendants().toList();
            process.destroy();
            if (!process.waitFor(ANSWER_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            for (ProcessHandle helper : helpers) {
                helper.destroyForcibly();
                helper.onExit().get(ANSWER_SECONDS, TimeUnit.SECONDS);
            }
            FileUtil.removeDir(profile.toFile());
            Files.deleteIfExists(profile.resolveSibling(profile.getFileName() + ".log"));
        }
    }
}
