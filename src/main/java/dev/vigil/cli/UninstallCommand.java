package dev.vigil.cli;

import dev.vigil.os.Proc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vigil uninstall}: what {@code vigil install} laid out, removed ({@link Installation#uninstall}). */
@Command(name = "uninstall", description = "Stop and remove what `vigil install` installed: the application, the"
        + " unit and each configuration file still as installed; an edited one and the data are kept unless --purge.")
public final class UninstallCommand implements Callable<Integer> {

    @Option(names = "--root", paramLabel = "DIR", description = "Uninstall from under DIR instead of /.")
    Path root = Path.of("/");

    @Option(names = "--purge", description = "Also remove /etc/vigil and /var/lib/vigil: the configuration, the baseline, the history.")
    boolean purge;

    PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        boolean system = root.toAbsolutePath().normalize().equals(Path.of("/"));
        if (system && Proc.effectiveUid() != 0) {
            throw new IllegalArgumentException("vigil uninstall removes files of /opt, /etc and /var/lib: run it as root,"
                    + " or give --root DIR");
        }
        Installation.requireManifest(root);
        boolean systemd = system && InstallCommand.Services.running();
        if (systemd) {
            InstallCommand.Services.systemctl("disable", "--now", Installation.UNIT);
        }
        Installation.uninstall(root, purge).forEach(out::println);
        if (systemd) {
            InstallCommand.Services.systemctl("daemon-reload");
        }
        out.println("Vigil is uninstalled" + (system ? "" : " from " + root) + (purge ? ", its configuration and data too." : "."));
        return 0;
    }
}
