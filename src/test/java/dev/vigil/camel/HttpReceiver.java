package dev.vigil.camel;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP receiver on the loopback interface (the JDK's HttpServer) standing in for Slack or a webhook
 * endpoint: it records every request and answers with the responses a test queued, then 200.
 */
final class HttpReceiver implements AutoCloseable {

    /** @param arrived {@link System#nanoTime()} when the request had been read */
    record Request(String path, Map<String, List<String>> headers, String body, long arrived) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private record Response(int status, Map<String, String> headers) {
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Response> queued = new ArrayDeque<>();

    /** Listens on {@code port} of 127.0.0.1 (0: any free port). */
    HttpReceiver(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), body,
                    System.nanoTime()));
            Response r;
            synchronized (queued) {
                r = queued.isEmpty() ? new Response(200, Map.of()) : queued.poll();
            }
            r.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] answer = (r.status() == 200 ? "ok" : "no").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(r.status(), answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    /** The next request gets this status and these headers. */
    HttpReceiver answer(int status, Map<String, String> headers) {
        synchronized (queued) {
            queued.add(new Response(status, headers));
        }
        return this;
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
