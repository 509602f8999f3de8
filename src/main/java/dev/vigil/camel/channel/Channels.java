package dev.vigil.camel.channel;

import java.net.URI;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in channel routes of {@code routes/channels.yaml} that need a receiver, and the key whose value
 * turns each one on. A channel whose key is empty is not loaded at all (a Camel Main route filter), so its
 * endpoint is never built from an empty address and the outbox keeps no deliveries for it; the console and
 * file channels need no key. Also derives from {@code vigil.syslog.target} (and a second syslog receiver's
 * {@code vigil.syslog.NAME.target}) the Netty transport the syslog route sends with.
 */
public final class Channels {

    /** Route id to the key that enables it. */
    public static final Map<String, String> ENABLED_BY = Map.of(
            "channel-email", "vigil.email.to",
            "channel-slack", "vigil.slack.webhook",
            "channel-webhook", "vigil.webhook.url",
            "channel-syslog", "vigil.syslog.target");

    /** The key that names a second mail receiver (an email template instance with keys vigil.email.NAME). */
    private static final Pattern SECOND_EMAIL = Pattern.compile("vigil\\.email\\.([a-z0-9_-]+)\\.to");
    /** The key that names a second syslog receiver (a syslog template instance with keys vigil.syslog.NAME). */
    private static final Pattern SECOND_SYSLOG = Pattern.compile("vigil\\.syslog\\.([a-z0-9_-]+)\\.target");

    private Channels() {
    }

    /** The ids of the built-in channel routes whose key is empty, for a route filter; sorted. */
    public static List<String> disabled(UnaryOperator<String> config) {
        return ENABLED_BY.entrySet().stream()
                .filter(e -> blank(config.apply(e.getValue())))
                .map(Map.Entry::getKey).sorted().toList();
    }

    /** The names of the second mail receivers: NAME for every {@code vigil.email.NAME.to} among {@code keys}. */
    public static List<String> secondEmailReceivers(Collection<String> keys) {
        return names(SECOND_EMAIL, keys);
    }

    /** The names of the second syslog receivers: NAME for every {@code vigil.syslog.NAME.target} among {@code keys}. */
    public static List<String> secondSyslogReceivers(Collection<String> keys) {
        return names(SECOND_SYSLOG, keys);
    }

    private static List<String> names(Pattern key, Collection<String> keys) {
        return keys.stream().map(key::matcher).filter(Matcher::matches).map(m -> m.group(1)).sorted().toList();
    }

    /**
     * Properties derived from the channel keys, which the syslog route reads: {@code vigil.syslog.transport}
     * ({@code tcp://host:port} or {@code udp://host:port} for Netty), {@code .tls} and {@code .framing} from
     * {@code vigil.syslog.target}, and the same under {@code vigil.syslog.NAME.} from each second receiver's target among
     * {@code keys}; empty when syslog is off.
     */
    public static Map<String, String> derived(UnaryOperator<String> config, Collection<String> keys) {
        Map<String, String> out = new LinkedHashMap<>();
        deriveSyslog(config, "vigil.syslog.", out);
        for (String name : secondSyslogReceivers(keys)) {
            deriveSyslog(config, "vigil.syslog." + name + ".", out);
        }
        return out;
    }

    private static void deriveSyslog(UnaryOperator<String> config, String prefix, Map<String, String> out) {
        String target = config.apply(prefix + "target");
        if (blank(target)) {
            return;
        }
        SyslogTarget t = SyslogTarget.parse(prefix + "target", target);
        out.put(prefix + "transport", (t.udp() ? "udp" : "tcp") + "://" + t.host() + ":" + t.port());
        out.put(prefix + "tls", Boolean.toString(t.tls()));
        out.put(prefix + "framing", t.udp() ? "datagram" : "octet-counting");
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
