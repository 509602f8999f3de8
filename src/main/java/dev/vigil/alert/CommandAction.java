package dev.vigil.alert;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command for a finding (integrityd's {@code filechangeaction}), with the finding in environment variables:
 * {@code VIGIL_SOURCE}, {@code VIGIL_KIND}, {@code VIGIL_SUBJECT}, {@code VIGIL_HOST}, and for file findings
 * {@code VIGIL_BEFORE_<ATTR>} / {@code VIGIL_AFTER_<ATTR>} (e.g. {@code VIGIL_AFTER_HASH}). The command runs
 * without a shell unless it is given one ({@code sh -c '...'}); it is killed after the timeout.
 *
 * <p>Hand-written over {@link ProcessBuilder} because camel-exec 4.18.0 is not on the Maven Central reachable here.
 */
public final class CommandAction {

    private static final Logger LOG = LoggerFactory.getLogger(CommandAction.class);

    /** Runs {@code command} (split on spaces; use {@code sh -c} for more) and returns its exit status. */
    public int run(Finding finding, String command, long timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(command.strip().split("\\s+"))).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("VIGIL_SOURCE", finding.source().text());
        env.put("VIGIL_KIND", finding.kind());
        env.put("VIGIL_SUBJECT", finding.subject());
        env.put("VIGIL_HOST", finding.host());
        for (String side : List.of(Details.BEFORE, Details.AFTER)) {
            Details.attributes(finding, side).forEach((k, v) ->
                    env.put("VIGIL_" + side.toUpperCase() + "_" + k.toString().toUpperCase().replace('-', '_'), String.valueOf(v)));
        }
        // Output goes to a file, not a pipe: a pipe read would wait for a hanging command instead of timing it out.
        Path output = Files.createTempFile("vigil-action", ".log");
        try {
            Process p = pb.redirectOutput(output.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                LOG.warn("command '{}' for {} timed out after {}s", command, finding.subject(), timeoutSeconds);
                return -1;
            }
            if (p.exitValue() != 0) {
                try (var in = Files.newInputStream(output)) {
                    LOG.warn("command '{}' for {} exited {}: {}", command, finding.subject(), p.exitValue(),
                            new String(in.readNBytes(64 * 1024)).strip());
                }
            }
            return p.exitValue();
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
