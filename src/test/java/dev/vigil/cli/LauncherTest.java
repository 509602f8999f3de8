package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code vigil} launcher script run as a user runs it, in a copy of the project that has no jar yet. */
class LauncherTest {

    @TempDir
    Path dir;

    @Test
    void theFirstRunBuildsTheJarAndItsOutputRedirectedToAFileHasNoEscapeCodes() throws Exception {
        Path home = dir.resolve("vigil");
        copy(Path.of("vigil"), home.resolve("vigil"));
        copy(Path.of("pom.xml"), home.resolve("pom.xml"));
        copy(Path.of("src/main"), home.resolve("src/main"));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(home.resolve("vigil").toString(), "--help")
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();

        assertEquals(0, p.waitFor(), () -> read(err));
        String log = read(err);
        assertTrue(log.startsWith("vigil: building the jar"), log);
        assertFalse(log.contains("\u001b"), () -> "escape codes in: " + log.replace("\u001b", "ESC"));
        assertTrue(Files.isRegularFile(home.resolve("target/vigil.jar")));
        assertTrue(read(out).contains("Usage: vigil"), () -> read(out));

        // a command that calls libc: JNA loads the libjnidispatch the build unpacked, and copies none out of its jar
        Files.writeString(dir.resolve("file"), "x");
        ProcessBuilder baseline = new ProcessBuilder(home.resolve("vigil").toString(), "baseline", "--db",
                dir.resolve("db").toString(), dir.resolve("file").toString()).redirectOutput(out.toFile()).redirectError(err.toFile());
        baseline.environment().put("VIGIL_JAVA_OPTS", "-Djna.debug_load=true -Djna.debug_load.jna=true");
        assertEquals(0, baseline.start().waitFor(), () -> read(err));
        String loading = read(err);
        assertTrue(loading.contains("Found jnidispatch at " + home.resolve("target/native/com/sun/jna").toRealPath()), loading);
        assertFalse(loading.contains("Extracting"), loading);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path f : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                Files.createDirectories(target.getParent());
                if (!Files.isDirectory(f)) {
                    Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
