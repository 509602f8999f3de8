package dev.vigil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code vigil} run as its own JVM, for what only a process shows: its exit status. The classpath is the
 * test's own.
 */
public final class ChildJvm {

    /**
     * A broken install: JNA finds no native support library (not unpacked from its jar, none on the system), so
     * the first libc call throws an {@link Error} instead of an exception.
     */
    public static List<String> brokenJna(Path emptyDir) {
        return List.of("-Djna.nosys=true", "-Djna.nounpack=true", "-Djna.boot.library.path=" + emptyDir);
    }

    /** The finished process: its exit status and what it wrote to standard error. */
    public record Ended(int status, String err) {}

    private ChildJvm() {
    }

    /**
     * Runs {@code vigil args} with {@code jvmOptions}, standard error to {@code errFile}; waits at most a few
     * minutes (a loaded machine), after which the process is killed and the wait fails.
     */
    public static Ended vigil(List<String> jvmOptions, Path errFile, String... args) throws IOException, InterruptedException {
        return vigil(jvmOptions, Map.of(), errFile, args);
    }

    /** As {@link #vigil(List, Path, String...)}, with {@code environment} added to the child's environment. */
    public static Ended vigil(List<String> jvmOptions, Map<String, String> environment, Path errFile, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.vigil.cli.VigilCommand"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(errFile.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                throw new AssertionError("vigil " + String.join(" ", args) + " still running after 3 minutes; its errors:\n"
                        + Files.readString(errFile, StandardCharsets.UTF_8));
            }
            return new Ended(process.exitValue(), Files.readString(errFile, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
        }
    }
}
