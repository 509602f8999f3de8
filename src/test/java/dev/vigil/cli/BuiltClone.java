package dev.vigil.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * A clone as {@code mvn package} leaves it, made from this build without running Maven again (the tests run
 * before {@code package}): the launcher, config/, routes/ and logrules/ of the project, {@code target/vigil.jar}
 * from the compiled classes with the manifest Maven writes, {@code target/lib/} the runtime jars of the test's
 * class path, and {@code target/native/} sqlite-jdbc's Linux libraries as the build unpacks them.
 */
final class BuiltClone {

    private BuiltClone() {
    }

    static Path make(Path dir) throws IOException {
        Path clone = Files.createDirectories(dir);
        Files.copy(Path.of("vigil"), clone.resolve("vigil"), StandardCopyOption.COPY_ATTRIBUTES);
        for (String tree : List.of("config", "routes", "logrules")) {
            copy(Path.of(tree), clone.resolve(tree));
        }
        Path lib = Files.createDirectories(clone.resolve("target/lib"));
        List<String> names = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(":")) {
            Path jar = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(jar) && !jar.toAbsolutePath().startsWith(Path.of("target").toAbsolutePath())) {
                Files.copy(jar, lib.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                names.add("lib/" + jar.getFileName());
                if (jar.getFileName().toString().startsWith("sqlite-jdbc-")) {
                    unpackNative(jar, clone.resolve("target/native"));
                }
            }
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, VigilCommand.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", names));
        Path classes = Path.of("target/classes");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(clone.resolve("target/vigil.jar")), manifest);
             Stream<Path> all = Files.walk(classes)) {
            for (Path f : all.filter(Files::isRegularFile).sorted().toList()) {
                jar.putNextEntry(new JarEntry(classes.relativize(f).toString()));
                Files.copy(f, jar);
                jar.closeEntry();
            }
        }
        return clone;
    }

    private static void unpackNative(Path sqliteJar, Path into) throws IOException {
        try (JarFile jar = new JarFile(sqliteJar.toFile())) {
            for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) {
                if (!e.isDirectory() && e.getName().startsWith("org/sqlite/native/Linux/")) {
                    Path target = into.resolve(e.getName());
                    Files.createDirectories(target.getParent());
                    try (InputStream in = jar.getInputStream(e); OutputStream out = Files.newOutputStream(target)) {
                        in.transferTo(out);
                    }
                }
            }
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path f : all.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** Every path under {@code root}, relative and with a trailing '/' for a directory, in order. */
    static List<String> listing(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> !p.equals(root)).map(p -> root.relativize(p) + (Files.isDirectory(p,
                    LinkOption.NOFOLLOW_LINKS) ? "/" : "")).sorted().toList();
        }
    }

    static List<String> split(String lines) {
        return Arrays.stream(lines.split("\n")).filter(l -> !l.isBlank()).toList();
    }
}
