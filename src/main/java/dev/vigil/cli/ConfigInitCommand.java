package dev.vigil.cli;

import dev.vigil.config.Key;
import dev.vigil.os.HostName;
import dev.vigil.os.Proc;
import dev.vigil.os.UserNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code vigil config init}: a commented configuration for this host ({@link HostSurvey}): the areas Vigil would
 * choose for this user, the log files that exist and the PID files of the running services set, every other key
 * listed commented out at its default. Names, defaults and documentation lines come from {@link Key}. The file
 * is made 0600 (a configuration may come to hold a password) and put in place by a rename, and an existing file
 * is replaced only with {@code --force}.
 */
@Command(name = "init", description = "Write a commented configuration for this host: the areas for this user, the"
        + " log files that exist, the PID files under /run. It passes `vigil config check`.")
public final class ConfigInitCommand implements Callable<Integer> {

    @Option(names = "--output", paramLabel = "FILE", description = "Write it to FILE (made 0600) instead of standard output.")
    Path output;

    @Option(names = "--force", description = "Replace FILE if it exists.")
    boolean force;

    /** Where the host is looked at; a test's directory in tests. */
    Path root = Path.of("/");
    int euid = Proc.effectiveUid();
    PrintStream out = System.out;
    PrintStream err = System.err;

    @Override
    public Integer call() throws IOException {
        String text = render(HostSurvey.of(root, euid));
        if (output == null) {
            out.print(text);
            return 0;
        }
        Path target = output.toAbsolutePath();
        if (!Files.isDirectory(target.getParent())) {
            throw new IllegalArgumentException("no directory " + target.getParent() + " to write " + target.getFileName() + " in");
        }
        Path temporary = Files.createTempFile(target.getParent(), ".vigil-init-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            if (force) {
                // rename(2) replaces a link in the target's place, never what it points to
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                // link(2) fails if the name was taken since it was looked at: nothing is ever replaced unasked
                Files.createLink(target, temporary);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException(output + " exists: it is left as it is (--force replaces it)");
        } finally {
            Files.deleteIfExists(temporary);
        }
        err.println("vigil: wrote " + target + "; check it with: vigil config check --config " + target);
        return 0;
    }

    private String render(HostSurvey survey) {
        String user = new UserNames(root.resolve("etc/passwd")).nameOrNumber(euid);
        StringBuilder text = new StringBuilder();
        text.append("# Vigil's configuration for ").append(HostName.of("")).append(", written by `vigil config init` on ")
                .append(LocalDate.now()).append(" for user ").append(user).append(".\n")
                .append("# It is read over config/vigil.properties of the install, which documents every key; a key\n")
                .append("# left out keeps its value there. Check it with: vigil config check --config FILE\n\n")
                .append("## Found on this host\n\n");
        key(text, Key.FILES_AREAS, join(survey.areas()), euid == 0
                ? "the system areas that exist here, as Vigil chooses them for root"
                : "what an ordinary user can read of the system, as Vigil chooses it for one");
        key(text, Key.LOGS_FILES, join(survey.logs().stream().map(Path::toString).toList()), survey.logs().isEmpty()
                ? "none of " + String.join(", ", HostSurvey.LOG_FILES) + " is a file in /var/log here"
                : "those of " + String.join(", ", HostSurvey.LOG_FILES) + " in /var/log that are files here");
        key(text, Key.PIDS_FILES, join(survey.pidFiles().stream().map(Path::toString).toList()), survey.pidFiles().isEmpty()
                ? "no PID file found in /run; empty turns the PID checks off"
                : "the *.pid files in /run and one level down, of the services running now; leave out any that"
                        + " come and go");
        List<Key> written = new ArrayList<>(List.of(Key.FILES_AREAS, Key.LOGS_FILES, Key.PIDS_FILES));
        if (survey.logcheckRules() != null) {
            key(text, Key.LOGS_RULES, survey.logcheckRules().toString(), "Debian's logcheck-database is installed: its"
                    + " rules for Debian's services, which Vigil reads as logcheck does" + (euid == 0 ? ""
                    : " (the directory is root's and group logcheck's: add this user to the group)"));
            written.add(Key.LOGS_RULES);
        }
        text.append("## Everything else, at its default: take the # off a line to change it\n\n");
        for (Key k : Key.settable()) {
            if (written.contains(k)) {
                continue;
            }
            Map<String, String> named = k.namedDefaults();
            if (!named.isEmpty()) {
                text.append("# ").append(k.doc()).append('\n');
                named.forEach((key, value) -> text.append('#').append(key).append('=').append(value).append('\n'));
                text.append('\n');
            } else if (!k.isPattern()) {
                text.append("# ").append(k.doc()).append("\n#").append(k.key()).append('=').append(k.defaultValue())
                        .append("\n\n");
            }
        }
        text.append("# Keys with a name of yours in them, for more log groups and receivers, are described in\n")
                .append("# config/vigil.properties: ").append(Key.settable().stream()
                        .filter(k -> k.isPattern() && k.namedDefaults().isEmpty()).map(Key::key)
                        .collect(Collectors.joining(", "))).append('\n');
        return text.toString();
    }

    private static void key(StringBuilder text, Key key, String value, String why) {
        text.append("# ").append(key.doc()).append("\n# Here: ").append(why).append('.');
        if (!key.defaultValue().isEmpty()) {
            text.append(" Default: ").append(key.defaultValue()).append('.');
        }
        text.append('\n').append(key.key()).append('=').append(value).append("\n\n");
    }

    private static String join(List<String> values) {
        return String.join(",", values);
    }
}
