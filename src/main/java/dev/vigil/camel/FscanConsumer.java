package dev.vigil.camel;

import dev.vigil.alert.Severity;
import dev.vigil.fim.ChangeFindings;
import dev.vigil.fim.Excludes;
import dev.vigil.fim.HashAlgorithm;
import dev.vigil.fim.Integrity;
import dev.vigil.fim.PathBytes;
import dev.vigil.fim.PathGlobs;
import dev.vigil.fim.PathPolicy;
import dev.vigil.fim.ScanOptions;
import dev.vigil.fim.ScanStats;
import dev.vigil.fim.Scanner;
import dev.vigil.store.Database;
import dev.vigil.store.SqliteBaseline;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledPollConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** Runs one check per poll on Camel's scheduler thread and sends every new deviation into the route. */
final class FscanConsumer extends ScheduledPollConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(FscanConsumer.class);

    private final FscanEndpoint endpoint;
    private final Set<Path> warnedMissing = new HashSet<>();
    private Integrity integrity;
    private PathGlobs critical;
    private String host;
    private boolean summarised;

    FscanConsumer(FscanEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        Database db = Beans.database(endpoint.getCamelContext());
        ScanOptions options = ScanOptions.defaults()
                .withAlgorithm(HashAlgorithm.named(endpoint.getHash()))
                .withExcludes(new Excludes(Beans.list(endpoint.getExcludes())))
                .withOneFilesystem(endpoint.isOneFilesystem());
        if (endpoint.getThreads() > 0) {
            options = options.withThreads(endpoint.getThreads());
        }
        PathPolicy policy = new PathPolicy(Beans.rawPaths(endpoint.getNoinode()), Beans.rawPaths(endpoint.getNotime()));
        integrity = new Integrity(new SqliteBaseline(db), options, policy);
        critical = new PathGlobs(Beans.list(endpoint.getCritical()));
        host = endpoint.getHost() != null ? endpoint.getHost() : Beans.host(endpoint.getCamelContext());
        super.doStart();
    }

    @Override
    protected int poll() throws Exception {
        List<Path> roots = new ArrayList<>();
        for (String area : Beans.list(endpoint.getAreas())) {
            Path root = Path.of(area);
            if (Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
                warnedMissing.remove(root);
                roots.add(root);
            } else if (warnedMissing.add(root)) {
                LOG.warn("fscan:{}: {} does not exist; it is checked again on the next run", endpoint.getName(), root);
            }
        }
        AtomicLong problems = new AtomicLong();
        List<String> firstProblems = new ArrayList<>();
        Scanner.Sink sink = new Scanner.Sink() {
            @Override
            public void entry(dev.vigil.fim.FileRecord record) {
            }

            @Override
            public void problem(byte[] path, String message) {
                if (problems.incrementAndGet() <= 5) {
                    synchronized (firstProblems) {
                        firstProblems.add(PathBytes.escape(path) + ": " + message);
                    }
                }
            }
        };
        List<Path> unbaselined = Consumers.baselineMissing(Beans.database(endpoint.getCamelContext()), integrity, roots,
                sink, "fscan:" + endpoint.getName());
        List<Path> checked = roots.stream().filter(r -> !unbaselined.contains(r)).toList();
        int[] sent = {0};
        if (!checked.isEmpty()) {
            integrity.checkForReport(checked, endpoint.isParanoid(), sink, new ScanStats(), change -> {
                Severity severity = critical.matches(change.path()) ? Severity.CRITICAL : Severity.WARNING;
                Consumers.send(this, ChangeFindings.toFinding(change, host, Instant.now(), severity));
                sent[0]++;
            }, path -> {
                Consumers.send(this, ChangeFindings.reverted(path, host, Instant.now()));
                sent[0]++;
            });
        }
        if (problems.get() > 0 && !summarised) {
            LOG.warn("fscan:{}: {} entries could not be read completely (run as root to cover them), e.g. {}",
                    endpoint.getName(), problems.get(), firstProblems);
        }
        summarised = true;
        return sent[0];
    }
}
