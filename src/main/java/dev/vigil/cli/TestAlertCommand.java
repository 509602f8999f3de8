package dev.vigil.cli;

import dev.vigil.alert.Source;
import dev.vigil.alert.Finding;
import dev.vigil.alert.Report;
import dev.vigil.alert.Secrets;
import dev.vigil.alert.Severity;
import dev.vigil.camel.daemon.DaemonConfiguration;
import dev.vigil.camel.channel.OutboxDispatcher;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code vigil test-alert}: the channel routes of the daemon, and only those, started as {@code vigil run}
 * would start them; a one-finding report sent straight to each (not through the outbox, so the answer is
 * immediate and nothing is retried), and per channel whether it accepted it. Exit 0 when all did.
 */
@Command(name = "test-alert", description = "Send a small test report through the configured channels and say per channel whether it was accepted.")
public final class TestAlertCommand implements Callable<Integer> {

    @Mixin
    StoreOptions store = new StoreOptions();

    @Option(names = "--routes", paramLabel = "DIR", description = "Directory of Camel YAML routes (default: routes/ in the install directory).")
    Path routes;

    @Option(names = "--channel", paramLabel = "NAME", split = ",", description = "Only these channels (console, file, email, slack, webhook, syslog, or a route of your own).")
    List<String> only;

    PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        VigilHome home = store.home();
        Main main = RunCommand.daemon(home, RunCommand.routesDir(home, routes), new DaemonConfiguration());
        main.configure().withRouteFilterIncludePattern(OutboxDispatcher.CHANNEL_PREFIX + "*");
        try {
            main.start();
        } catch (Exception e) {
            main.stop();
            throw RunCommand.redacted(home, e);
        }
        try {
            return send(main.getCamelContext(), home.host());
        } finally {
            main.stop();
        }
    }

    private int send(CamelContext context, String host) {
        OutboxDispatcher dispatcher = context.getRegistry().lookupByNameAndType(DaemonConfiguration.OUTBOX, OutboxDispatcher.class);
        Secrets secrets = context.getRegistry().lookupByNameAndType(DaemonConfiguration.SECRETS, Secrets.class);
        List<String> channels = dispatcher.channels();
        if (only != null) {
            for (String name : only) {
                if (!channels.contains(name)) {
                    throw new IllegalArgumentException("no channel '" + name + "' is running; configured channels: "
                            + String.join(", ", channels) + " (email, slack, webhook and syslog need their key set)");
                }
            }
            channels = channels.stream().filter(only::contains).toList();
        }
        Report report = Report.of(Source.TEST, List.of(new Finding(Source.TEST, "TEST",
                "Vigil test alert: this channel works", host, Instant.now(), Severity.NOTICE,
                Map.of("sent by", "vigil test-alert"))), Instant.now());
        ProducerTemplate template = context.createProducerTemplate();
        int failed = 0;
        for (String channel : channels) {
            // To the route itself, as the outbox delivers: a channel's route may read from any endpoint.
            Exchange result = template.send(context.getRoute(OutboxDispatcher.CHANNEL_PREFIX + channel).getEndpoint(), exchange -> {
                exchange.getMessage().setBody(report);
                exchange.getMessage().setHeader(OutboxDispatcher.REPORT_ID, report.id());
                exchange.getMessage().setHeader(OutboxDispatcher.CHANNEL, channel);
            });
            if (result.getException() == null) {
                out.printf("%-10s accepted%n", channel);
            } else {
                failed++;
                out.printf("%-10s FAILED: %s%n", channel, secrets.redact(VigilCommand.message(result.getException())));
            }
        }
        out.printf("%d of %d channels accepted test report %s%n", channels.size() - failed, channels.size(), report.id());
        return failed == 0 ? 0 : 1;
    }
}
