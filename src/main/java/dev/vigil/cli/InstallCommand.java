package dev.vigil.cli;

import dev.vigil.os.Proc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code vigil install}: this built clone installed as a service ({@link Installation}), or with {@code --deb} the
 * same layout as a Debian package ({@link DebianPackage}). Then it says what to edit and how to start it.
 */
@Command(name = "install", description = "Install Vigil as a systemd service: the application in /opt/vigil, the"
        + " configuration in /etc/vigil (an existing file is kept, the new one written beside it as FILE.dist), the"
        + " data in /var/lib/vigil, the unit vigil.service and /usr/local/bin/vigil. Run it as root from a clone.")
public final class InstallCommand implements Callable<Integer> {

    @Option(names = "--root", paramLabel = "DIR", description = "Install under DIR instead of / (to stage or look at the layout).")
    Path root = Path.of("/");

    @Option(names = "--deb", paramLabel = "FILE", description = "Write a Debian package of the same layout to FILE (or into the directory FILE) instead of installing.")
    Path deb;

    PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        Path source = VigilHome.directory();
        if (deb != null) {
            Path file = Files.isDirectory(deb) ? deb.resolve(DebianPackage.fileName()) : deb;
            DebianPackage.build(source, file);
            out.println("Wrote " + file + " (install: apt install ./" + file.getFileName() + ")");
            return 0;
        }
        boolean system = root.toAbsolutePath().normalize().equals(Path.of("/"));
        if (system && Proc.effectiveUid() != 0) {
            throw new IllegalArgumentException("vigil install writes /opt, /etc and /var/lib: run it as root"
                    + " (sudo ./vigil install), or give --root DIR");
        }
        Installation installation = new Installation(source, Installation.Flavor.LOCAL);
        List<String> kept = installation.install(root, true);
        if (system && Services.running()) {
            Services.systemctl("daemon-reload");
            // A reinstall over a running service: the service runs the new version from now on.
            Services.systemctl("try-restart", Installation.UNIT);
        }
        String where = system ? "" : " under " + root;
        out.printf("Installed Vigil %s%s:%n", Installation.version(), where);
        out.println("  /" + Installation.APP + "              the application (launcher, vigil.jar, lib/, native/)");
        out.println("  /" + Installation.ETC + "              vigil.properties, routes/, logrules/");
        out.println("  /" + Installation.STATE + "          the database and the alert file");
        out.println("  /" + installation.unitPath());
        out.println("  /" + installation.commandPath() + "    -> /" + Installation.APP + "/vigil");
        for (String file : kept) {
            out.println("Kept " + file + ": it exists and differs from this version's, which is " + file + ".dist");
        }
        out.println("Vigil runs as root: fanotify and reading every file need it. The unit cuts root down to the");
        out.println("capabilities that needs, and lets it write /" + Installation.STATE + " only.");
        out.println("Next:");
        out.println("  1. edit /" + Installation.ETC + "/vigil.properties: vigil.files.areas, vigil.logs.files, a channel"
                + " (vigil.email.to, ...)");
        out.println("  2. vigil config                 check it");
        out.println("  3. vigil baseline               the accepted state (else the first start takes it)");
        out.println("  4. systemctl enable --now vigil");
        out.println("  5. journalctl -u vigil -f       what it says; vigil events, vigil check: what it found");
        return 0;
    }

    /** systemd, when it runs here. */
    static final class Services {
        private Services() {
        }

        static boolean running() {
            return Files.isDirectory(Path.of("/run/systemd/system"));
        }

        static void systemctl(String... args) throws Exception {
            List<String> command = new ArrayList<>(List.of("systemctl"));
            command.addAll(List.of(args));
            DebianPackage.run(command);
        }
    }
}
