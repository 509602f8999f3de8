package dev.vigil.watch;

import org.apache.camel.util.FileUtil;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code @ExtendWith(FanotifyAvailable.class)}: runs a test only where fanotify in FID mode may be used (root,
 * a kernel of 5.1 or later, no seccomp filter refusing it), and otherwise skips it saying why. CI runs as root.
 * The probe (a watcher started on an empty directory) runs once per test run.
 */
public final class FanotifyAvailable implements ExecutionCondition {

    private static ConditionEvaluationResult probed;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return probe();
    }

    private static synchronized ConditionEvaluationResult probe() {
        if (probed == null) {
            Path dir = null;
            try {
                dir = Files.createTempDirectory("vigil-fanotify-probe");
                try (NativeWatcher watcher = new NativeWatcher(WatchOptions.of(dir).withMode(WatchOptions.Mode.FANOTIFY))) {
                    watcher.start();
                }
                probed = ConditionEvaluationResult.enabled("fanotify in FID mode is permitted");
            } catch (WatchException e) {
                probed = ConditionEvaluationResult.disabled("fanotify in FID mode not permitted here (it needs root): "
                        + e.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                if (dir != null) {
                    FileUtil.removeDir(dir.toFile());
                }
            }
        }
        return probed;
    }
}
