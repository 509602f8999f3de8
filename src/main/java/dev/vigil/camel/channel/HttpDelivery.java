package dev.vigil.camel.channel;

import dev.vigil.alert.PermanentFailure;

import dev.vigil.alert.Report;
import dev.vigil.alert.RetryAfter;
import dev.vigil.alert.RetryLater;
import dev.vigil.alert.SlackRenderer;
import dev.vigil.alert.WebhookSigner;
import dev.vigil.config.Sizes;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code httpDelivery} bean: the steps around camel-http in the Slack and webhook channel routes: turn the report into the request
 * (JSON body, content type, signature headers), and turn the response into success or an exception the
 * outbox retries. camel-http is told not to throw on a non-2xx status because its exception quotes the
 * request URL, and a Slack webhook URL is a credential; this exception names only the status.
 */
public final class HttpDelivery {

    /** The exchange property the webhook route puts its secret in (a property is never sent as a header). */
    public static final String SECRET = "vigilWebhookSecret";
    /** The exchange property holding the receiver URL's query as written (empty for none). */
    public static final String QUERY = "vigilHttpQuery";
    /** The exchange property holding the webhook's {@code maxBytes}, a size ({@link Sizes}). */
    public static final String MAX_BYTES = "vigilHttpMaxBytes";

    private static final int MAX_ERROR_BODY = 200;
    private static final WebhookSigner UNSIGNED = new WebhookSigner(null);
    private static final ContentType JSON = ContentType.parse(WebhookSigner.CONTENT_TYPE);

    /**
     * A signer per secret, kept: a signer keys its MAC once (bench/README.md, "Fleet"). As many as the webhook routes
     * have secrets, which the routes fix when they start.
     */
    private final Map<String, WebhookSigner> signers = new ConcurrentHashMap<>();

    /** A Slack incoming-webhook request: Block Kit JSON. */
    public void slack(Exchange exchange) {
        Report report = exchange.getMessage().getBody(Report.class);
        Message m = request(exchange);
        m.setHeader(Exchange.CONTENT_TYPE, WebhookSigner.CONTENT_TYPE);
        m.setBody(new SlackRenderer().render(report));
    }

    /**
     * The report as the webhook's requests ({@link OutboxDispatcher#parts}): one, unless its JSON passes the webhook's
     * {@link #MAX_BYTES}. A receiver behind a proxy refuses a larger body (nginx: 1 MiB by default), for good, and a
     * report's size is not the host's to choose: anyone can write log lines long enough to push one past it.
     */
    public List<Report> parts(Exchange exchange) {
        return OutboxDispatcher.parts(exchange, maxBytes(exchange));
    }

    private static int maxBytes(Exchange exchange) {
        return (int) Math.min(Integer.MAX_VALUE, Sizes.bytes(exchange.getProperty(MAX_BYTES, String.class)));
    }

    /**
     * A webhook request: the report JSON with id, timestamp and (with a secret) signature headers. The body is the
     * request's entity, made here from the bytes signed: camel-http would look up a type converter to encode a text
     * body again and parse its content type at every request.
     */
    public void webhook(Exchange exchange) {
        Report report = exchange.getMessage().getBody(Report.class);
        String secret = exchange.getProperty(SECRET, String.class);
        exchange.removeProperty(SECRET);
        byte[] body = OutboxDispatcher.json(exchange).getBytes(StandardCharsets.UTF_8); // as the outbox stored it
        Message m = request(exchange);
        WebhookSigner signer = secret == null || secret.isBlank() ? UNSIGNED
                : signers.computeIfAbsent(secret, WebhookSigner::new);
        signer.headers(report.id(), body, Instant.now()).forEach(m::setHeader);
        m.setBody(new ByteArrayEntity(body, JSON));
    }

    /**
     * Success on a 2xx status; otherwise an exception: a {@link RetryLater} with a {@code Retry-After}'s wait (429,
     * 503), so the next attempt waits as long as the receiver asked. A 4xx other
     * than 408 (timeout) and 429 (rate limit) says the request itself is wrong (bad payload, unknown or revoked
     * webhook, too large): a {@link PermanentFailure}, given up at once.
     */
    public void check(Exchange exchange) {
        Message m = exchange.getMessage();
        // camel-http puts the answer's headers into the message: one named as the outbox's hint is the receiver's
        m.removeHeader(OutboxDispatcher.RETRY_AFTER);
        Integer status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status != null && status >= 200 && status < 300) {
            return;
        }
        Optional<Duration> wait = RetryAfter.parse(m.getHeader("Retry-After", String.class), Instant.now());
        String text = m.getBody(String.class);
        String excerpt = text == null || text.isBlank() ? "" : ": " + printable(text.strip());
        String message = "the receiver answered HTTP " + status + excerpt;
        if (status != null && status == 413 && exchange.getProperty(MAX_BYTES) != null) {
            message += " (a report goes in requests of at most " + maxBytes(exchange)
                    + " bytes: set the webhook's maxBytes under the receiver's limit)";
        }
        if (status != null && status >= 400 && status < 500 && status != 408 && status != 429) {
            throw new PermanentFailure(message);
        }
        if (wait.isPresent()) {
            throw new RetryLater(message, wait.get());
        }
        throw new IllegalStateException(message);
    }

    /**
     * The message emptied of Vigil's and the route's headers, so none leaks out as an HTTP header, with the receiver
     * URL's query as written.
     */
    private static Message request(Exchange exchange) {
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        String query = exchange.getProperty(QUERY, String.class);
        exchange.removeProperty(QUERY);
        if (query != null && !query.isEmpty()) {
            m.setHeader(Exchange.HTTP_RAW_QUERY, query);
        }
        // an answer is read as sent, never inflated: a small compressed answer may inflate past any bound
        exchange.setProperty(Exchange.SKIP_GZIP_ENCODING, true);
        return m;
    }

    private static String printable(String text) {
        String cut = text.length() > MAX_ERROR_BODY ? text.substring(0, MAX_ERROR_BODY) + "\u2026" : text;
        return cut.replaceAll("\\p{Cntrl}", " ");
    }
}
