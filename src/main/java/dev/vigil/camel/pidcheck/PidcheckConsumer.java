package dev.vigil.camel.pidcheck;

import dev.vigil.camel.SourceConsumer;
import dev.vigil.alert.Source;
import dev.vigil.camel.Consumers;
import dev.vigil.store.DaemonStatus;
import dev.vigil.camel.Beans;
import dev.vigil.camel.SupervisedPollConsumer;

import dev.vigil.pid.PidChecker;
import dev.vigil.pid.PidOptions;
import dev.vigil.pid.PidState;
import dev.vigil.store.PidStateStore;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one PID check per poll on Camel's scheduler thread (one thread, as {@link PidChecker} wants) and sends
 * every finding into the route. The state is read from the database once, at start, and each check's changes
 * are saved before its findings are sent, so a finding is never reported twice across a restart. A check that
 * fails is tried again after a backoff ({@link SupervisedPollConsumer}).
 */
final class PidcheckConsumer extends SupervisedPollConsumer implements SourceConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(PidcheckConsumer.class);

    private final PidcheckEndpoint endpoint;
    private volatile PidOptions options;
    private PidChecker checker;
    private PidStateStore store;
    private Map<String, PidState> state;

    PidcheckConsumer(PidcheckEndpoint endpoint, Processor processor) {
        super(endpoint, processor, "pidcheck:" + endpoint.getName());
        this.endpoint = endpoint;
    }

    @Override
    protected void prepare() {
        options = endpoint.options();
        String host = endpoint.host();
        Clock clock = Clock.systemUTC();
        checker = new PidChecker(options, host, clock);
        store = new PidStateStore(Beans.database(endpoint.getCamelContext()), clock);
        state = store.load(options.name());
        if (options.files().isEmpty() && options.require().isEmpty()) {
            LOG.info("pidcheck:{}: no PID files or required commands configured (vigil.pids.files, vigil.pids.require);"
                    + " nothing to check", options.name());
        }
    }

    @Override
    protected int check() {
        PidChecker.PidCheck result = checker.check(state);
        store.save(options.name(), result.changed(), result.removed());
        state = result.state();
        result.findings().forEach(f -> Consumers.send(this, f));
        return result.findings().size();
    }

    @Override
    public DaemonStatus.SourceStatus status() {
        PidOptions o = options;
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("pidFiles", o == null ? List.of() : o.files());
        facts.put("requiredCommands", o == null ? List.of() : o.require());
        facts.put("checks", getSuccessCounter());
        return Consumers.status(this, supervisor(), null, facts);
    }

    @Override
    public Source source() {
        return Source.PIDS;
    }

    @Override
    public String announcement() {
        PidOptions o = options;
        if (o == null || (o.files().isEmpty() && o.require().isEmpty())) {
            return "";
        }
        return "checking " + o.files().size() + " PID " + (o.files().size() == 1 ? "file" : "files") + " and "
                + o.require().size() + " required " + (o.require().size() == 1 ? "command" : "commands");
    }
}
