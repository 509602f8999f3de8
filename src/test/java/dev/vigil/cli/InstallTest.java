package dev.vigil.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code vigil install}, {@code vigil uninstall} and the .deb, into scratch roots: the documented layout exactly,
 * an edited configuration kept, the installed launcher finding /etc/vigil and /var/lib/vigil, the package
 * installed, removed and purged by dpkg, and the unit checked by systemd's own analyser.
 */
class InstallTest {

    @TempDir
    Path dir;

    private Path root;
    private String savedHome;

    @BeforeEach
    void aBuiltClone() throws IOException {
        savedHome = System.getProperty("vigil.home");
        System.setProperty("vigil.home", BuiltClone.make(dir.resolve("clone")).toString());
        root = Files.createDirectories(dir.resolve("root"));
    }

    @AfterEach
    void restore() {
        if (savedHome == null) {
            System.clearProperty("vigil.home");
        } else {
            System.setProperty("vigil.home", savedHome);
        }
    }

    /** The layout README's "Install as a service" lists, with the clone's own lib/, native/, routes/ and rules. */
    private List<String> documentedLayout(String unitDir, String binDir, boolean manifest) throws IOException {
        Path clone = dir.resolve("clone");
        TreeSet<String> expected = new TreeSet<>();
        for (String file : List.of("opt/vigil/vigil", "opt/vigil/vigil.jar", "etc/vigil/vigil.properties",
                unitDir + "/vigil.service", binDir + "/vigil")) {
            expected.add(file);
        }
        if (manifest) {
            expected.add("opt/vigil/installed");
        }
        expected.add("var/lib/vigil/");
        BuiltClone.listing(clone.resolve("target/lib")).forEach(p -> expected.add("opt/vigil/lib/" + p));
        BuiltClone.listing(clone.resolve("target/native")).forEach(p -> expected.add("opt/vigil/native/" + p));
        BuiltClone.listing(clone.resolve("routes")).forEach(p -> expected.add("etc/vigil/routes/" + p));
        BuiltClone.listing(clone.resolve("logrules")).forEach(p -> expected.add("etc/vigil/logrules/" + p));
        for (String path : new ArrayList<>(expected)) {
            for (int slash = path.indexOf('/'); slash > 0 && slash < path.length() - 1; slash = path.indexOf('/', slash + 1)) {
                expected.add(path.substring(0, slash + 1));
            }
        }
        return List.copyOf(expected);
    }

    @Test
    void installLaysOutExactlyTheDocumentedFilesWithTheirModesAndSaysWhatToDoNext() throws Exception {
        CommandRun run = CommandRun.vigil("install", "--root", root.toString());

        assertEquals(0, run.status(), run::toString);
        assertEquals(documentedLayout("etc/systemd/system", "usr/local/bin", true), BuiltClone.listing(root));
        assertEquals("rwxr-xr-x", mode("opt/vigil/vigil"));
        assertEquals("rw-------", mode("etc/vigil/vigil.properties"));
        assertEquals("rwx------", mode("var/lib/vigil"));
        assertEquals(Path.of("/opt/vigil/vigil"), Files.readSymbolicLink(root.resolve("usr/local/bin/vigil")));
        String config = Files.readString(root.resolve("etc/vigil/vigil.properties"));
        assertTrue(config.contains("\nvigil.database=/var/lib/vigil/vigil.db\n"), config);
        assertTrue(config.contains("\nvigil.alerts.file=/var/lib/vigil/alerts.ndjson\n"), config);
        assertTrue(run.out().contains("Vigil runs as root"), run::toString);
        assertTrue(run.out().contains("edit /etc/vigil/vigil.properties"), run::toString);
        assertTrue(run.out().contains("systemctl enable --now vigil"), run::toString);
    }

    @Test
    void theInstalledLauncherReadsItsConfigurationFromEtcVigilAndPutsTheDataInVarLibVigil() throws Exception {
        assertEquals(0, CommandRun.vigil("install", "--root", root.toString()).status());
        Path out = dir.resolve("out");
        Process p = new ProcessBuilder(root.resolve("opt/vigil/vigil").toString(), "config").redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "vigil config ends");
        String said = Files.readString(out);
        assertEquals(0, p.exitValue(), said);
        assertTrue(said.contains("# " + root.resolve("etc/vigil/vigil.properties") + ":"), said);
        assertTrue(said.contains("\nvigil.database=/var/lib/vigil/vigil.db\n"), said);
        assertTrue(said.contains("\nvigil.alerts.file=/var/lib/vigil/alerts.ndjson\n"), said);
        assertFalse(said.contains("vigil: "), "no problem, the rule tree (logrules, relative) found in /etc/vigil: " + said);
    }

    @Test
    void anEditedConfigurationIsKeptByAReinstallWhichWritesTheNewOneBesideItAsDist() throws Exception {
        assertEquals(0, CommandRun.vigil("install", "--root", root.toString()).status());
        Path config = root.resolve("etc/vigil/vigil.properties");
        String installed = Files.readString(config);
        Files.writeString(config, "vigil.files.areas=/srv\n", StandardCharsets.UTF_8);

        CommandRun again = CommandRun.vigil("install", "--root", root.toString());

        assertEquals(0, again.status(), again::toString);
        assertEquals("vigil.files.areas=/srv\n", Files.readString(config));
        assertEquals(installed, Files.readString(root.resolve("etc/vigil/vigil.properties.dist")));
        assertTrue(again.out().contains("Kept /etc/vigil/vigil.properties: it exists and differs from this version's,"
                + " which is /etc/vigil/vigil.properties.dist"), again::toString);
        assertFalse(Files.exists(root.resolve("etc/vigil/routes/files.yaml.dist")), "an unchanged file is not doubled");
    }

    @Test
    void uninstallRemovesWhatInstallLaidOutButAnEditedConfigurationAndTheDataWhichPurgeRemovesToo() throws Exception {
        assertEquals(0, CommandRun.vigil("install", "--root", root.toString()).status());
        Files.writeString(root.resolve("etc/vigil/routes/pids.yaml"), "# mine\n");
        Files.writeString(root.resolve("var/lib/vigil/vigil.db"), "a baseline");

        CommandRun uninstall = CommandRun.vigil("uninstall", "--root", root.toString());

        assertEquals(0, uninstall.status(), uninstall::toString);
        assertEquals(List.of("etc/vigil/routes/pids.yaml", "var/lib/vigil/vigil.db"), files(root));
        assertTrue(uninstall.out().contains("kept /etc/vigil/routes/pids.yaml: changed since it was installed"), uninstall::toString);
        assertTrue(uninstall.out().contains("kept /var/lib/vigil"), uninstall::toString);

        assertEquals(0, CommandRun.vigil("install", "--root", root.toString()).status());
        CommandRun purge = CommandRun.vigil("uninstall", "--root", root.toString(), "--purge");
        assertEquals(0, purge.status(), purge::toString);
        assertEquals(List.of(), files(root));
        assertFalse(Files.exists(root.resolve("etc/vigil")));
        assertFalse(Files.exists(root.resolve("var/lib/vigil")));
    }

    @Test
    void uninstallWhereNothingWasInstalledSaysSoAndHowAPackageIsRemoved() {
        CommandRun run = CommandRun.vigil("uninstall", "--root", root.toString());
        assertEquals(2, run.status(), run::toString);
        assertTrue(run.err().contains("no Vigil installed by `vigil install` under " + root), run::toString);
        assertTrue(run.err().contains("apt remove vigil"), run::toString);
    }

    @Test
    void theDebHasTheSameLayoutAndInstallsRemovesAndPurgesCleanlyWithDpkg() throws Exception {
        CommandRun build = CommandRun.vigil("install", "--deb", dir.toString());
        assertEquals(0, build.status(), build::toString);
        Path deb = dir.resolve(DebianPackage.fileName());

        List<String> contents = new ArrayList<>();
        for (String line : BuiltClone.split(run("dpkg-deb", "-c", deb.toString()))) {
            String path = line.substring(line.indexOf("./") + 2).replaceFirst(" -> .*", "");
            if (!path.isEmpty()) {
                contents.add(path);
            }
        }
        contents.sort(null);
        assertEquals(documentedLayout("lib/systemd/system", "usr/bin", false), contents);
        assertTrue(run("dpkg-deb", "-f", deb.toString(), "Depends").contains("java17-runtime-headless"));
        List<String> etcFiles = contents.stream().filter(p -> p.startsWith("etc/vigil/") && !p.endsWith("/"))
                .map(p -> "/" + p).toList();
        assertEquals(etcFiles, BuiltClone.split(conffiles(deb)).stream().sorted().toList(), "every file of /etc/vigil is a conffile");

        Path admin = Files.createDirectories(root.resolve("var/lib/dpkg/updates"));
        Files.createDirectories(root.resolve("var/lib/dpkg/info"));
        Files.writeString(admin.resolveSibling("status"), "");
        List<String> dpkg = List.of("dpkg", "--root=" + root, "--force-script-chrootless");
        run(concat(dpkg, "--force-depends", "-i", deb.toString()));
        assertEquals(documentedLayout("lib/systemd/system", "usr/bin", false), outsideDpkg(BuiltClone.listing(root)));

        Files.writeString(root.resolve("var/lib/vigil/vigil.db"), "a baseline");
        run(concat(dpkg, "-r", "vigil"));
        assertTrue(Files.exists(root.resolve("etc/vigil/vigil.properties")), "dpkg -r keeps the conffiles");
        assertFalse(Files.exists(root.resolve("opt/vigil")));

        run(concat(dpkg, "-P", "vigil"));
        assertEquals(List.of(), outsideDpkg(files(root)));
        assertFalse(Files.exists(root.resolve("etc/vigil")));
        assertFalse(Files.exists(root.resolve("var/lib/vigil")));
    }

    @Test
    void theUnitPassesSystemdAnalyzeVerifyAndItsExposureIsAtMostFive() throws Exception {
        assertEquals(0, CommandRun.vigil("install", "--root", root.toString()).status());
        // verify resolves the unit's dependencies (sysinit.target, ...) in the root, as systemd would: the host's units.
        Path units = Files.createDirectories(root.resolve("lib/systemd"));
        run("cp", "-a", "/lib/systemd/system", units.toString());
        try {
            assertEquals("", run("systemd-analyze", "verify", "--root=" + root, "vigil.service"));
        } finally {
            Installation.delete(units);
        }

        String security = run("systemd-analyze", "security", "--offline=yes",
                root.resolve("etc/systemd/system/vigil.service").toString());
        Matcher overall = Pattern.compile("Overall exposure level for vigil.service: ([0-9.]+)").matcher(security);
        assertTrue(overall.find(), security);
        double exposure = Double.parseDouble(overall.group(1));
        assertTrue(exposure <= 5.0, "exposure " + exposure + ":\n" + security);
    }

    private String conffiles(Path deb) throws Exception {
        Path control = Files.createDirectories(dir.resolve("control"));
        run("dpkg-deb", "--control", deb.toString(), control.toString());
        return Files.readString(control.resolve("conffiles"));
    }

    private static List<String> outsideDpkg(List<String> paths) {
        return paths.stream().filter(p -> !p.startsWith("var/lib/dpkg/")).toList();
    }

    private String mode(String path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve(path)));
    }

    /** The files (not directories) under {@code root}. */
    private static List<String> files(Path root) throws IOException {
        return BuiltClone.listing(root).stream().filter(p -> !p.endsWith("/")).toList();
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    private static String run(String... command) throws Exception {
        return run(List.of(command));
    }

    /** Runs a command; its output, or a failure naming the command and what it said. */
    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), () -> String.join(" ", command) + ":\n" + said);
        return said;
    }
}
