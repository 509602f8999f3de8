package dev.vigil.camel.http;

import dev.vigil.camel.Settings;
import dev.vigil.config.Key;
import io.vertx.core.Future;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.SimpleAuthenticationHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The daemon's HTTP server, off unless {@code vigil.http.port} is set: Camel's platform-http server (vert.x)
 * bound to 127.0.0.1 only, so what it tells about this host stays on it unless the administrator forwards it
 * on purpose. With {@code vigil.http.token} set every request must carry {@code Authorization: Bearer TOKEN}
 * or gets 401; without one, every request must name it by a loopback name (localhost, 127.0.0.1) or gets 403, and
 * the web view's data ({@value #DATA}) is not served (403): 127.0.0.1 is every local user's, and the event history
 * holds what only root may read (auth.log's lines, paths under /root), so it takes the token.
 * What it serves is added to its {@link #router(CamelContext) router} (or as {@code platform-http:} routes), which
 * the token guards as well; only the web view's page, which holds no data, is served ahead of it ({@link WebPage}).
 */
public final class LocalHttpServer {

    /** The only address the server listens on. */
    public static final String HOST = "127.0.0.1";
    /** The web view's data, served only with a token. */
    static final String DATA = "/api/*";
    /** The names a request may give the server without a token. */
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private LocalHttpServer() {
    }

    /**
     * Adds the server to the context when {@code vigil.http.port} is set; it starts with the context.
     *
     * @return whether a server was added
     */
    public static boolean install(CamelContext context) throws Exception {
        Optional<String> port = Settings.given(context, Key.HTTP_PORT);
        if (port.isEmpty()) {
            return false;
        }
        MainHttpServer server = new MainHttpServer();
        server.setCamelContext(context);
        server.setHost(HOST);
        server.setPort(Integer.parseInt(port.get()));
        server.setPath("/");
        Optional<String> token = Settings.given(context, Key.HTTP_TOKEN);
        if (token.isPresent()) {
            requireToken(server, token.get());
        } else {
            requireLoopbackName(context);
        }
        context.getRegistry().bind(LocalHttpServer.class.getName(), server);
        context.addService(server, true, true);
        context.addRoutes(new HealthAndMetricsRoutes());
        return true;
    }

    /** The router of the started server, to serve more paths from, or empty when the server is off. */
    public static Optional<VertxPlatformHttpRouter> router(CamelContext context) {
        return Optional.ofNullable(context.getRegistry().lookupByNameAndType(LocalHttpServer.class.getName(), MainHttpServer.class))
                .map(MainHttpServer::getRouter);
    }

    /**
     * Without a token, a request must name the server by a loopback name: a web page whose own name an attacker makes
     * resolve to 127.0.0.1 (DNS rebinding) would otherwise read what the server tells, its requests naming that page's
     * host. Ordered before every other route, the page's too.
     */
    private static void requireLoopbackName(CamelContext context) throws Exception {
        context.addStartupListener((started, alreadyStarted) -> router(started).ifPresent(router -> {
            router.route().order(Integer.MIN_VALUE).handler(LocalHttpServer::loopbackNameOnly);
            router.route(DATA).order(Integer.MIN_VALUE + 1).handler(LocalHttpServer::noDataWithoutToken);
        }));
    }

    private static void noDataWithoutToken(RoutingContext request) {
        request.response().setStatusCode(403).putHeader("Content-Type", "text/plain; charset=utf-8")
                .end("the web view's data needs vigil.http.token: without it any user of this host could read the event"
                        + " history\n");
    }

    private static void loopbackNameOnly(RoutingContext request) {
        HostAndPort authority = request.request().authority();
        if (authority != null && LOOPBACK_NAMES.contains(authority.host().toLowerCase(Locale.ROOT))) {
            request.next();
        } else {
            request.response().setStatusCode(403).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("name this server localhost or 127.0.0.1; to serve it under another name, set vigil.http.token\n");
        }
    }

    /** Guards every path with the bearer token (vert.x's authentication handler; a wrong or missing one is a 401). */
    private static void requireToken(MainHttpServer server, String token) {
        byte[] expected = token.getBytes(StandardCharsets.UTF_8);
        AuthenticationConfig.AuthenticationConfigEntry entry = new AuthenticationConfig.AuthenticationConfigEntry();
        entry.setPath("/*");
        entry.setAuthenticationProviderFactory(vertx -> null);
        entry.setAuthenticationHandlerFactory(new AuthenticationConfig.AuthenticationHandlerFactory() {
            @Override
            public <T extends AuthenticationProvider> AuthenticationHandler createAuthenticationHandler(T unused) {
                return SimpleAuthenticationHandler.create().authenticate(request -> {
                    String header = request.request().getHeader("Authorization");
                    byte[] given = header != null && header.startsWith("Bearer ")
                            ? header.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
                    return MessageDigest.isEqual(expected, given)
                            ? Future.succeededFuture(User.fromName("vigil"))
                            : Future.failedFuture(new HttpException(401));
                });
            }
        });
        AuthenticationConfig auth = server.getConfiguration().getAuthenticationConfig();
        auth.getEntries().add(entry);
        auth.setEnabled(true);
    }
}
