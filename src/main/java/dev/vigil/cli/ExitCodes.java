package dev.vigil.cli;

import dev.vigil.fim.ChangeKind;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.util.Map;

/**
 * {@code --exit-code}: what the exit status of a comparison says. Vigil's scheme (0 no differences, 1 some,
 * 2 error) is the default; AIDE's lets a script written for {@code aide --check} run unchanged: 1 for added
 * entries plus 2 for removed plus 4 for changed, and AIDE's codes from 14 up for errors.
 */
public final class ExitCodes {

    enum Scheme { vigil, aide }

    /** AIDE's "Invalid argument error" and "IO error" (aide(1), EXIT STATUS). */
    private static final int AIDE_INVALID_ARGUMENT = 15;
    private static final int AIDE_IO_ERROR = 18;

    @Option(names = "--exit-code", paramLabel = "SCHEME", description = "vigil (default): 0 no differences, 1 differences,"
            + " 2 error; aide: as aide --check, 1 added + 2 removed + 4 changed, 15 invalid argument, 18 other error.")
    Scheme scheme = Scheme.vigil;

    /** The status for differences counted by kind (an ignore file not applied counts as changed). */
    int differences(Map<ChangeKind, Integer> counts) {
        if (scheme == Scheme.vigil) {
            return counts.values().stream().anyMatch(n -> n > 0) ? 1 : 0;
        }
        int status = 0;
        for (Map.Entry<ChangeKind, Integer> e : counts.entrySet()) {
            if (e.getValue() > 0) {
                status |= switch (e.getKey()) {
                    case ADDED -> 1;
                    case DELETED -> 2;
                    case MODIFIED, ATTRIBUTES, UNTRUSTED_IGNORE -> 4;
                };
            }
        }
        return status;
    }

    /**
     * The status of an error that ended the JVM's work before or outside a command's own handling (an {@link Error}):
     * AIDE's "IO error" where the arguments ask for AIDE's scheme, else 2. Read from the arguments as given, since
     * the command line may not have been parsed.
     */
    static int unexpected(String... args) {
        for (int i = 0; i < args.length; i++) {
            String value = args[i].equalsIgnoreCase("--exit-code") && i + 1 < args.length ? args[i + 1]
                    : args[i].regionMatches(true, 0, "--exit-code=", 0, 12) ? args[i].substring(12) : null;
            if (Scheme.aide.name().equalsIgnoreCase(value)) {
                return AIDE_IO_ERROR;
            }
        }
        return 2;
    }

    /** The status of an error in {@code command}: 2, or AIDE's code where the command was asked for AIDE's scheme. */
    static int error(CommandLine command, boolean invalidArgument) {
        for (CommandSpec mixin : command.getCommandSpec().mixins().values()) {
            if (mixin.userObject() instanceof ExitCodes codes && codes.scheme == Scheme.aide) {
                return invalidArgument ? AIDE_INVALID_ARGUMENT : AIDE_IO_ERROR;
            }
        }
        return 2;
    }
}
