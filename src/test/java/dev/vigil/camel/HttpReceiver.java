package dev.vigil.camel;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real HTTP receiver on the loopback interface (the JDK's HttpServer) standing in for Slack or a webhook
 * endpoint: it records every request and answers with the responses a test queued, then 200. Requests are handled
 * on a thread each, as a real receiver's are handled concurrently; it counts how many it held at once.
 */
final class HttpReceiver implements AutoCloseable {

    /**
     * @param query   the request's query as sent (still encoded), or null without one
     * @param arrived {@link System#nanoTime()} when the request had been read
     */
    record Request(String path, String query, Map<String, List<String>> headers, String body, long arrived) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** {@code endless}: the body never ends (chunks of 'x' until the client goes away), as a hostile receiver's. */
    private record Response(int status, Map<String, String> headers, boolean endless) {
    }

    private final HttpServer server;
    /** A list copied only when read: a copy-on-write list copied all the requests so far at each one (a fleet's 20,000). */
    private final List<Request> requests = new ArrayList<>();
    private final Deque<Response> queued = new ArrayDeque<>();
    private final AtomicInteger endlessCut = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private final Set<InetSocketAddress> clients = ConcurrentHashMap.newKeySet();
    private volatile Predicate<Request> refused = r -> false;
    private volatile int refusal = 503;
    private volatile int holdUntilInFlight;

    /** Listens on {@code port} of 127.0.0.1 (0: any free port). */
    HttpReceiver(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", exchange -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                handle(exchange);
            } finally {
                inFlight.decrementAndGet();
            }
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Request request = new Request(exchange.getRequestURI().getPath(), exchange.getRequestURI().getRawQuery(),
                Map.copyOf(exchange.getRequestHeaders()), body, System.nanoTime());
        synchronized (requests) {
            requests.add(request);
        }
        clients.add(exchange.getRemoteAddress());
        hold();
        Response r;
        synchronized (queued) {
            r = queued.isEmpty() ? new Response(200, Map.of(), false) : queued.poll();
        }
        if (refused.test(request)) {
            r = new Response(refusal, Map.of(), false);
        }
        r.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        if (r.endless()) {
            exchange.sendResponseHeaders(r.status(), 0);
            byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            try {
                while (true) {
                    exchange.getResponseBody().write(chunk);
                }
            } catch (IOException clientWentAway) {
                endlessCut.incrementAndGet();
                exchange.close();
                return;
            }
        }
        byte[] answer = (r.status() == 200 ? "ok" : "no").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(r.status(), answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    /** The next request gets this status and these headers. */
    HttpReceiver answer(int status, Map<String, String> headers) {
        synchronized (queued) {
            queued.add(new Response(status, headers, false));
        }
        return this;
    }

    /** The next request gets this status and a body that never ends. */
    HttpReceiver answerEndlessly(int status) {
        synchronized (queued) {
            queued.add(new Response(status, Map.of(), true));
        }
        return this;
    }

    /** Answers 503 to the requests {@code which} matches from now on (until called again). */
    HttpReceiver refuse(Predicate<Request> which) {
        return refuse(which, 503);
    }

    /** Answers {@code status} to the requests {@code which} matches from now on (until called again). */
    HttpReceiver refuse(Predicate<Request> which, int status) {
        refusal = status;
        refused = which;
        return this;
    }

    /**
     * Holds each request from now on until {@code requests} are held at once, at most 30 s (the most requests held
     * at once then tells whether that many came).
     */
    HttpReceiver holdUntilInFlight(int requests) {
        holdUntilInFlight = requests;
        return this;
    }

    /** The most requests that were being handled at once. */
    int mostInFlight() {
        return mostInFlight.get();
    }

    private void hold() {
        try {
            synchronized (inFlight) {
                inFlight.notifyAll();
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (inFlight.get() < holdUntilInFlight && mostInFlight.get() < holdUntilInFlight
                        && System.nanoTime() < until) {
                    inFlight.wait(100);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How many connections the requests came on (by the client's address and port). */
    int connections() {
        return clients.size();
    }

    /** How many endless answers the client cut off by closing the connection. */
    int endlessCut() {
        return endlessCut.get();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
