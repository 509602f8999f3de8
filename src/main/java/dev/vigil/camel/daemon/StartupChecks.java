package dev.vigil.camel.daemon;

import dev.vigil.store.AlertFile;
import dev.vigil.store.PrivateFiles;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What will fail, said when the daemon starts rather than at the first report: an alert file that cannot be
 * written, a receiver whose host name does not resolve, a receiver's keys set but incomplete (a login without
 * its password, a second receiver's keys without the key that turns it on). Each is a warning, not a refusal to start: the outbox
 * keeps the reports until the receiver works, and a name may resolve later (a VPN, a DNS outage).
 */
final class StartupChecks {

    private static final Logger LOG = LoggerFactory.getLogger(StartupChecks.class);
    /** The schemes of the channel components whose endpoint URI names the receiver's host. */
    private static final Set<String> RECEIVER_SCHEMES = Set.of("smtp", "smtps", "http", "https", "netty");

    private StartupChecks() {
    }

    /** Logs a warning for each problem found, and returns them. */
    static List<String> run(CamelContext context) {
        List<String> problems = new ArrayList<>();
        if (started(context, "channel-file")) {
            AlertFile alerts = context.getRegistry().lookupByNameAndType(DaemonConfiguration.ALERT_FILE, AlertFile.class);
            if (alerts != null) {
                unwritable(alerts.file()).ifPresent(problems::add);
            }
        }
        problems.addAll(incompleteReceivers(context.getPropertiesComponent().loadProperties()));
        Set<String> hosts = new TreeSet<>();
        for (Endpoint endpoint : context.getEndpoints()) {
            receiverHost(endpoint.getEndpointUri()).ifPresent(hosts::add);
        }
        for (String host : hosts) {
            try {
                InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                problems.add("unknown host " + host + ": the reports of the channel sending to it wait in the outbox until the name resolves");
            }
        }
        problems.forEach(p -> LOG.warn("{}", p));
        return problems;
    }

    /** The key that turns a second receiver of each kind on, by the prefix of its keys. */
    private static final Map<String, String> ENABLING = Map.of(
            "vigil.email.", "to", "vigil.syslog.", "target", "vigil.webhook.", "url", "vigil.slack.", "webhook");

    /** A login without its password, and a second receiver whose keys are set without the one that turns it on. */
    static List<String> incompleteReceivers(Properties properties) {
        List<String> problems = new ArrayList<>();
        Function<String, String> value = k -> properties.getProperty(k, "").strip();
        Set<String> prefixes = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.endsWith(".username") && !value.apply(key).isEmpty()
                    && value.apply(key.substring(0, key.length() - "username".length()) + "password").isEmpty()) {
                problems.add(key + " is set but " + key.substring(0, key.length() - "username".length())
                        + "password is empty: the server will refuse the login");
            }
            for (Map.Entry<String, String> kind : ENABLING.entrySet()) {
                String rest = key.startsWith(kind.getKey()) ? key.substring(kind.getKey().length()) : "";
                int dot = rest.indexOf('.');
                if (dot > 0 && !value.apply(key).isEmpty() && !rest.startsWith("severity.") && !rest.startsWith("truststore.")
                        && value.apply(kind.getKey() + rest.substring(0, dot) + "." + kind.getValue()).isEmpty()) {
                    prefixes.add(kind.getKey() + rest.substring(0, dot) + "." + kind.getValue());
                }
            }
        }
        for (String enabling : prefixes) {
            String prefix = enabling.substring(0, enabling.lastIndexOf('.') + 1);
            problems.add("keys " + prefix + "* are set but " + enabling + " is not: that receiver is off");
        }
        return problems;
    }

    private static boolean started(CamelContext context, String routeId) {
        return context.getRoute(routeId) != null && context.getRouteController().getRouteStatus(routeId) == ServiceStatus.Started;
    }

    private static Optional<String> unwritable(Path file) {
        try {
            PrivateFiles.createDirectories(file.getParent());
            PrivateFiles.createIfAbsent(file);
            if (!Files.isRegularFile(file) || !Files.isWritable(file)) {
                return Optional.of("cannot write the alert file " + file + ": not a writable file; its reports wait in the outbox");
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of("cannot write the alert file " + file + ": " + e.getMessage() + "; its reports wait in the outbox");
        }
    }

    /** The host an endpoint of a receiver's component sends to, if its URI names one (only the host: URIs hold secrets). */
    static Optional<String> receiverHost(String endpointUri) {
        int colon = endpointUri.indexOf(':');
        if (colon < 0 || !RECEIVER_SCHEMES.contains(endpointUri.substring(0, colon))) {
            return Optional.empty();
        }
        String rest = endpointUri.substring(colon + 1);
        if (endpointUri.startsWith("netty:")) {
            rest = rest.replaceFirst("^(udp|tcp):", "");
        }
        try {
            String host = URI.create("x:" + (rest.startsWith("//") ? rest : "//" + rest).split("\\?", 2)[0]).getHost();
            return Optional.ofNullable(host).filter(h -> !h.isBlank());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
