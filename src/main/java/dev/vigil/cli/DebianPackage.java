package dev.vigil.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The .deb of {@link Installation}'s layout, built by {@code dpkg-deb} (Debian's own tool; the Maven plugins that
 * build a .deb do not resolve here): the same files, the unit in {@code /lib/systemd/system}, {@code vigil} in
 * {@code /usr/bin}, every file of {@code /etc/vigil} a conffile, no user made (Vigil runs as root). The
 * maintainer scripts only tell systemd (when it runs), stop the service before removal and, on purge, remove
 * {@code /etc/vigil} and {@code /var/lib/vigil}. They honour {@code $DPKG_ROOT}, so dpkg can install the package
 * into another root without a chroot ({@code --force-script-chrootless}).
 */
final class DebianPackage {

    static final String NAME = "vigil";

    private static final String POSTINST = """
            #!/bin/sh
            set -e
            if [ "$1" = configure ]; then
              if [ -d "$DPKG_ROOT/run/systemd/system" ]; then
                systemctl daemon-reload || true
                if systemctl is-enabled --quiet vigil.service; then systemctl start vigil.service || true; fi
              fi
              echo "vigil: edit /etc/vigil/vigil.properties (and routes/), run 'vigil config' to check it,"
              echo "vigil: then 'systemctl enable --now vigil'. Vigil runs as root."
            fi
            """;

    private static final String PRERM = """
            #!/bin/sh
            set -e
            if [ -d "$DPKG_ROOT/run/systemd/system" ]; then
              case "$1" in
                remove) systemctl disable --now vigil.service || true ;;
                upgrade) systemctl stop vigil.service || true ;;
              esac
            fi
            # The launcher's class-data archive, made on first use: dpkg removes only what it installed.
            rm -f "$DPKG_ROOT/opt/vigil/vigil.jsa"
            """;

    private static final String POSTRM = """
            #!/bin/sh
            set -e
            if [ -d "$DPKG_ROOT/run/systemd/system" ] && [ "$1" = remove ]; then
              systemctl daemon-reload || true
            fi
            if [ "$1" = purge ]; then
              rm -rf "$DPKG_ROOT/etc/vigil" "$DPKG_ROOT/var/lib/vigil"
            fi
            """;

    private DebianPackage() {
    }

    /** The package's file name, as Debian names them. */
    static String fileName() {
        return NAME + "_" + debianVersion() + "_all.deb";
    }

    /** 0.1.0-SNAPSHOT as Debian orders it (a '-' would start a Debian revision; '~' sorts before the release). */
    static String debianVersion() {
        return Installation.version().replace('-', '~');
    }

    /** Builds the package of the clone {@code source} as {@code output}. */
    static void build(Path source, Path output) throws IOException, InterruptedException {
        Path stage = Files.createTempDirectory("vigil-deb");
        try {
            // The package's "./", which would otherwise carry the temporary directory's mode 0700.
            Files.setPosixFilePermissions(stage, PosixFilePermissions.fromString("rwxr-xr-x"));
            Installation layout = new Installation(source, Installation.Flavor.PACKAGE);
            layout.install(stage, false);
            Path debian = Files.createDirectories(stage.resolve("DEBIAN"));
            Files.writeString(debian.resolve("control"), control(stage));
            try (Stream<Installation.Item> items = layout.items().stream()) {
                Files.writeString(debian.resolve("conffiles"), items.filter(Installation.Item::configuration)
                        .map(i -> "/" + i.path() + "\n").collect(Collectors.joining()));
            }
            script(debian.resolve("postinst"), POSTINST);
            script(debian.resolve("prerm"), PRERM);
            script(debian.resolve("postrm"), POSTRM);
            Files.createDirectories(output.toAbsolutePath().getParent());
            run(List.of("dpkg-deb", "--root-owner-group", "-Zgzip", "--build", stage.toString(), output.toString()));
        } finally {
            Installation.delete(stage);
        }
    }

    private static String control(Path stage) throws IOException {
        long bytes;
        try (Stream<Path> all = Files.walk(stage)) {
            bytes = all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> p.toFile().length()).sum();
        }
        return """
                Package: %s
                Version: %s
                Architecture: all
                Maintainer: Vigil <root@localhost>
                Section: admin
                Priority: optional
                Installed-Size: %d
                Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless
                Description: host security daemon: file integrity, log checks, PID checks, alerts
                 Vigil keeps a baseline of files and watches them with fanotify, follows logs with
                 logcheck's rules, checks PID files and delivers alerts by mail, Slack, webhooks
                 and syslog. It runs as root, as a hardened systemd service.
                """.formatted(NAME, debianVersion(), (bytes + 1023) / 1024);
    }

    private static void script(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Runs a command, its output to ours; a failure names the command and what it said. */
    static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (status " + p.exitValue() + "): "
                    + said.strip());
        }
    }
}
