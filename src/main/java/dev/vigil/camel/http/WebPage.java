package dev.vigil.camel.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.StartupListener;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The web view's page: {@code web/index.html}, {@code vigil.css} and {@code vigil.js} from the jar, served at
 * {@code /}, {@code /vigil.css} and {@code /vigil.js} with a Content-Security-Policy that allows only those files
 * (no inline script or style, no other origin) and {@code nosniff}. The page holds no data, so it is served ahead
 * of the token check: a browser cannot send a header when it opens a page, and the page's script sends the token
 * (taken from the URL fragment) with every request for data ({@code /api/...}), which the token guards.
 */
public final class WebPage {

    /** Only the page's own files; data comes from this server only; the page cannot be framed. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /** The page's files: path served at, resource name, content type. */
    private static final String[][] FILES = {
            {"/", "web/index.html", "text/html; charset=utf-8"},
            {"/vigil.css", "web/vigil.css", "text/css; charset=utf-8"},
            {"/vigil.js", "web/vigil.js", "text/javascript; charset=utf-8"},
    };

    private WebPage() {
    }

    /** The headers of every answer of the web view, page and data alike. */
    private static Map<String, String> securityHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        return headers;
    }

    /**
     * Answers a {@code platform-http:} exchange with {@code body}, this page's headers and no header of the request's:
     * platform-http makes the query's parameters message headers and sends the message's headers back, so
     * {@code /metrics?Set-Cookie=...} answered with that header. Not to be sniffed as anything else, nor cached.
     */
    static void answer(Message message, int status, String contentType, String body) {
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, contentType);
        securityHeaders().forEach(message::setHeader);
        message.setHeader("Cache-Control", "no-store");
        message.setBody(body);
    }

    /** Serves the page once the server has started (its router exists only then). */
    public static void install(CamelContext context) throws Exception {
        Map<String, byte[]> contents = new LinkedHashMap<>();
        for (String[] file : FILES) {
            contents.put(file[0], resource(file[1]));
        }
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                LocalHttpServer.router(started).ifPresent(router -> serve(router, contents));
            }
        });
    }

    /** Routes ordered before the token's handler, so the page itself loads without it. */
    private static void serve(Router router, Map<String, byte[]> contents) {
        for (String[] file : FILES) {
            byte[] body = contents.get(file[0]);
            router.route(HttpMethod.GET, file[0]).order(-1).handler(request -> {
                var response = request.response();
                securityHeaders().forEach(response::putHeader);
                response.putHeader("Content-Type", file[2]);
                response.putHeader("Cache-Control", "no-cache");
                response.end(io.vertx.core.buffer.Buffer.buffer(body));
            });
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = WebPage.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the jar has no " + name + ": a broken build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + " from the jar", e);
        }
    }
}
