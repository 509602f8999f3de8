package dev.vigil.camel.channel;

import dev.vigil.config.Key;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The built-in channel routes of {@code routes/channels.yaml} that need a receiver, and the key whose value
 * turns each one on; the fleet's heartbeat route (routes/fleet.yaml) is on with the kafka channel. A channel whose key is empty is not loaded at all (a Camel Main route filter), so its
 * endpoint is never built from an empty address and the outbox keeps no deliveries for it; the console and
 * file channels need no key. Also derives from {@code vigil.syslog.target} (and a second syslog receiver's
 * {@code vigil.syslog.NAME.target}) the Netty transport the syslog route sends with.
 */
public final class Channels {

    /** The Kafka channel's name (its route is channel-kafka): the channel the fleet heartbeat goes along with. */
    public static final String KAFKA = "kafka";

    /** Route id to the key that enables it. */
    public static final Map<String, String> ENABLED_BY = Map.of(
            "channel-email", Key.EMAIL_TO.key(),
            "channel-slack", Key.SLACK_WEBHOOK.key(),
            "channel-webhook", Key.WEBHOOK_URL.key(),
            "channel-syslog", Key.SYSLOG_TARGET.key(),
            OutboxDispatcher.CHANNEL_PREFIX + KAFKA, Key.KAFKA_BROKERS.key());

    /** The fleet's heartbeat route (routes/fleet.yaml), on with the kafka channel. */
    public static final String HEARTBEAT_ROUTE = "fleet-heartbeat";

    /** The framing of syslog over TCP and TLS (RFC 6587), as {@code vigil.syslog.framing} says it. */
    public static final String OCTET_COUNTING = "octet-counting";

    private Channels() {
    }

    /** The ids of the built-in channel routes whose key is empty, for a route filter; sorted. */
    public static List<String> disabled(UnaryOperator<String> config) {
        return ENABLED_BY.entrySet().stream()
                .filter(e -> blank(config.apply(e.getValue())))
                .map(Map.Entry::getKey).sorted().toList();
    }

    /** The ids of the built-in routes to leave out, for a route filter: the channels off, and the heartbeat with kafka's. */
    public static List<String> disabledRoutes(UnaryOperator<String> config) {
        List<String> off = new ArrayList<>(disabled(config));
        if (off.contains(OutboxDispatcher.CHANNEL_PREFIX + KAFKA)) {
            off.add(HEARTBEAT_ROUTE);
        }
        return off;
    }

    /** The names of the second mail receivers: NAME for every {@code vigil.email.NAME.to} among {@code keys}. */
    public static List<String> secondEmailReceivers(Collection<String> keys) {
        return names(Key.NAMED_EMAIL_TO, keys);
    }

    /** The names of the second syslog receivers: NAME for every {@code vigil.syslog.NAME.target} among {@code keys}. */
    public static List<String> secondSyslogReceivers(Collection<String> keys) {
        return names(Key.NAMED_SYSLOG_TARGET, keys);
    }

    /** The names in the keys of {@code copy}, a pattern with a second receiver's name in it. */
    private static List<String> names(Key copy, Collection<String> keys) {
        return keys.stream().filter(key -> Key.of(key).orElse(null) == copy).map(key -> copy.nameIn(key).orElseThrow())
                .sorted().toList();
    }

    /**
     * Properties derived from the channel keys, for the receivers' routes; the same under {@code vigil.KIND.NAME.} for
     * each second receiver among {@code keys}, none for a receiver that is off:
     * <ul>
     * <li>from {@code vigil.syslog.target}: {@code vigil.syslog.transport} ({@code tcp://host:port} or
     * {@code udp://host:port} for Netty), {@code .tls} and {@code .framing};</li>
     * <li>from {@code vigil.slack.webhook} and {@code vigil.webhook.url}: {@code .address}, the URL without its query,
     * and {@code .query}, its query as written. Camel's YAML DSL appends a route's endpoint options to a URI with a
     * second {@code ?} when the URI has a query of its own, and camel-http re-encodes the query it parses (a
     * signature's {@code %2B} went out as {@code +}); the route sends the query as written instead.</li>
     * </ul>
     */
    public static Map<String, String> derived(UnaryOperator<String> config, Collection<String> keys) {
        Map<String, String> out = new LinkedHashMap<>();
        deriveSyslog(config, "vigil.syslog.", out);
        for (String name : secondSyslogReceivers(keys)) {
            deriveSyslog(config, "vigil.syslog." + name + ".", out);
        }
        deriveHttp(config, "vigil.slack.", "webhook", out);
        for (String name : names(Key.NAMED_SLACK_WEBHOOK, keys)) {
            deriveHttp(config, "vigil.slack." + name + ".", "webhook", out);
        }
        deriveHttp(config, "vigil.webhook.", "url", out);
        for (String name : names(Key.NAMED_WEBHOOK_URL, keys)) {
            deriveHttp(config, "vigil.webhook." + name + ".", "url", out);
        }
        return out;
    }

    private static void deriveHttp(UnaryOperator<String> config, String prefix, String urlKey, Map<String, String> out) {
        String url = config.apply(prefix + urlKey);
        if (blank(url)) {
            return;
        }
        String withoutFragment = url.strip().replaceFirst("#.*", "");
        int query = withoutFragment.indexOf('?');
        out.put(prefix + "address", query < 0 ? withoutFragment : withoutFragment.substring(0, query));
        out.put(prefix + "query", query < 0 ? "" : withoutFragment.substring(query + 1));
    }

    private static void deriveSyslog(UnaryOperator<String> config, String prefix, Map<String, String> out) {
        String target = config.apply(prefix + "target");
        if (blank(target)) {
            return;
        }
        SyslogTarget t = SyslogTarget.parse(prefix + "target", target);
        out.put(prefix + "transport", (t.udp() ? "udp" : "tcp") + "://" + t.host() + ":" + t.port());
        out.put(prefix + "tls", Boolean.toString(t.tls()));
        out.put(prefix + "framing", t.udp() ? "datagram" : OCTET_COUNTING);
    }

    /**
     * {@code vigil.syslog.target}: {@code udp://host:port} (port 514 by default), {@code tcp://host:port}
     * (514) or {@code tls://host:port} (6514, RFC 5425).
     */
    public record SyslogTarget(String scheme, String host, int port) {

        /** Parses the value {@code text} of {@code key} (a second receiver has a target key of its own). */
        public static SyslogTarget parse(String key, String text) {
            URI uri;
            try {
                uri = URI.create(text.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + " must be udp://host:port, tcp://host:port "
                        + "or tls://host:port, not '" + text + "'");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            int defaultPort = switch (scheme) {
                case "udp", "tcp" -> 514;
                case "tls" -> 6514;
                default -> -1;
            };
            if (defaultPort < 0 || uri.getHost() == null) {
                throw new IllegalArgumentException(key + " must be udp://host:port, tcp://host:port "
                        + "or tls://host:port, not '" + text + "'");
            }
            return new SyslogTarget(scheme, uri.getHost(), uri.getPort() < 0 ? defaultPort : uri.getPort());
        }

        public boolean udp() {
            return scheme.equals("udp");
        }

        public boolean tls() {
            return scheme.equals("tls");
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
